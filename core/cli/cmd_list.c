/* Listing and searching: kt list, kt find. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kartoteka/text.h"

#define MAX_COLS 6
#define MAX_WIDTH 28

typedef struct listing {
    kt_cli *cli;
    cJSON *json; /* --json: the array */
    long count;
} listing;

/* Columns for a terminal table: the first searchable fields (names, contacts). */
static size_t table_columns(kt_ws *ws, const char *entity, const char *cols[])
{
    const kt_entity *e = kt_registry_entity(kt_ws_registry(ws), entity);
    size_t n = 0;
    for (size_t i = 0; e && i < e->nfields && n < MAX_COLS; i++)
        if (e->fields[i].searchable) cols[n++] = e->fields[i].name;
    for (size_t i = 0; e && i < e->nfields && n < 3; i++)
        if (!e->fields[i].searchable) cols[n++] = e->fields[i].name;
    return n;
}

static void cell(const kt_value *v)
{
    char buf[MAX_WIDTH * 4 + 8] = "";
    if (v && !kt_value_empty(v)) {
        if (v->is_set) {
            size_t k = 0;
            for (size_t j = 0; j < v->nitems && k < sizeof buf - 1; j++)
                k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%s", j ? "," : "", v->items[j]);
        } else {
            snprintf(buf, sizeof buf, "%s", v->text);
        }
    }
    for (char *p = buf; *p; p++)
        if (*p == '\n' || *p == '\t' || *p == '\r') *p = ' ';
    /* pad by characters, not bytes, so Cyrillic and Persian columns line up */
    size_t len = kt_text_valid_utf8(buf, strlen(buf)) ? kt_text_length(buf) : strlen(buf);
    if (len > MAX_WIDTH) {
        size_t cps = 0, i = 0;
        while (buf[i] && cps < MAX_WIDTH - 1) {
            i++;
            while ((buf[i] & 0xC0) == 0x80)
                i++;
            cps++;
        }
        strcpy(buf + i, "…");
        len = MAX_WIDTH;
    }
    printf("  %s%*s", buf, (int)(MAX_WIDTH - len), "");
}

static int on_record(void *ud, const kt_record *r)
{
    listing *l = ud;
    l->count++;
    if (l->json) {
        cJSON_AddItemToArray(l->json, cli_record_json(l->cli->ws, r));
        return 0;
    }
    const char *cols[MAX_COLS];
    size_t n = table_columns(l->cli->ws, r->entity, cols);
    printf("%-8lld", r->id);
    if (strcmp(r->entity, "person") && strcmp(r->entity, "company")) printf(" %-9s", r->entity);
    for (size_t i = 0; i < n; i++)
        cell(kt_record_get(r, cols[i]));
    if (strcmp(r->state, "active") != 0) printf("  (%s)", r->state);
    putchar('\n');
    return 0;
}

int cmd_list(kt_cli *cli, int argc, char **argv)
{
    kt_filter filters[64];
    size_t nf = 0;
    const char *w;
    int archived = cli_take_flag(&argc, argv, "--archived");
    int all = cli_take_flag(&argc, argv, "--all");
    const char *limit = cli_take_option(&argc, argv, "--limit");
    kt_error err;
    int rc = 0;
    while ((w = cli_take_option(&argc, argv, "--where"))) {
        if (kt_filter_parse_all(w, filters, 64, &nf, &err)) {
            rc = cli_fail(&err);
            goto out;
        }
    }
    if (argc != 2) {
        rc = cli_usage(
            "usage: kt list ENTITY [--where name=value]... [--archived] [--limit N] [--json]");
        goto out;
    }
    if ((rc = cli_open(cli))) goto out;
    kt_list_opts o = {filters, nf, all ? 2 : archived, limit ? atol(limit) : 0, 0};
    const char *cols[MAX_COLS];
    size_t n = table_columns(cli->ws, argv[1], cols);
    listing l = {cli, cli->json ? cJSON_CreateArray() : NULL, 0};
    if (!cli->json && isatty(1) && kt_registry_entity(kt_ws_registry(cli->ws), argv[1])) {
        printf("%-8s", "id");
        for (size_t i = 0; i < n; i++)
            printf("  %-*s", MAX_WIDTH, cols[i]);
        putchar('\n');
    }
    if (kt_list(cli->ws, argv[1], &o, on_record, &l, &err)) {
        cJSON_Delete(l.json);
        rc = cli_fail(&err);
        goto out;
    }
    if (l.json) cli_print_json(l.json);
out:
    for (size_t i = 0; i < nf; i++)
        kt_filter_clear(&filters[i]);
    return rc;
}

int cmd_find(kt_cli *cli, int argc, char **argv)
{
    const char *limit = cli_take_option(&argc, argv, "--limit");
    if (argc < 2) return cli_usage("usage: kt find TEXT [--limit N] [--json]");
    int rc = cli_open(cli);
    if (rc) return rc;
    char text[2048] = "";
    size_t k = 0;
    for (int i = 1; i < argc && k < sizeof text; i++)
        k += (size_t)snprintf(text + k, sizeof text - k, "%s%s", i > 1 ? " " : "", argv[i]);
    listing l = {cli, cli->json ? cJSON_CreateArray() : NULL, 0};
    kt_error err;
    if (kt_find(cli->ws, text, limit ? atol(limit) : 50, on_record, &l, &err)) {
        cJSON_Delete(l.json);
        return cli_fail(&err);
    }
    if (l.json) cli_print_json(l.json);
    return 0;
}
