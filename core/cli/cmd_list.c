/* Listing and searching: kt list, kt find, and the records that point at one (kt get). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kartoteka/alloc.h"
#include "kartoteka/auth.h"
#include "kartoteka/match.h"

#define MAX_COLS 32
#define DEFAULT_COLS 6
#define TITLE_CACHE 256
#define RELATED_ROWS 10

typedef struct title_cache {
    kt_id id[TITLE_CACHE];
    char *text[TITLE_CACHE];
} title_cache;

typedef struct listing {
    kt_cli *cli;
    cJSON *json; /* --json: the array */
    int count_only;
    long count;
    const char *cols[MAX_COLS];
    size_t ncols;
    int find; /* kt find: rows of every entity, each with its title */
    cli_table table;
    title_cache titles;
    int failed;
} listing;

/* Columns for a terminal table: the first searchable fields (names, contacts), then others. */
static size_t table_columns(kt_ws *ws, const char *entity, const char *cols[])
{
    const kt_entity *e = kt_registry_entity(kt_ws_registry(ws), entity);
    size_t n = 0;
    for (size_t i = 0; e && i < e->nfields && n < DEFAULT_COLS; i++)
        if (e->fields[i].searchable) cols[n++] = e->fields[i].name;
    for (size_t i = 0; e && i < e->nfields && n < 3; i++)
        if (!e->fields[i].searchable) cols[n++] = e->fields[i].name;
    return n;
}

/* What people call a record: a person's name, a company's name, a deal's or task's title,
 * else its first filled text field, else entity #id. */
static void record_title(const kt_record *r, char *buf, size_t size)
{
    const char *first = kt_record_text(r, "first_name"), *last = kt_record_text(r, "last_name");
    if (first || last) {
        snprintf(buf, size, "%s%s%s", first ? first : "", first && last ? " " : "",
                 last ? last : "");
        return;
    }
    static const char *const names[] = {"name", "title", "subject", "kind", NULL};
    for (size_t i = 0; names[i]; i++) {
        const char *t = kt_record_text(r, names[i]);
        if (t && *t) {
            snprintf(buf, size, "%s", t);
            return;
        }
    }
    snprintf(buf, size, "%s #%lld", r->entity, r->id);
}

/* The referenced record's title, "#id" when it is gone; cached, as a list repeats them. */
static const char *ref_title(listing *l, const char *id_text)
{
    kt_id id = kt_id_parse(id_text);
    if (!id) return id_text;
    size_t slot = (size_t)id % TITLE_CACHE;
    if (l->titles.id[slot] == id) return l->titles.text[slot];
    kt_record *r = NULL;
    kt_error err;
    char buf[256];
    if (kt_get(l->cli->ws, id, &r, &err) == KT_OK)
        record_title(r, buf, sizeof buf);
    else
        snprintf(buf, sizeof buf, "#%lld", id);
    kt_record_free(r);
    char *copy = kt_strdup(buf);
    if (!copy) return id_text;
    kt_free(l->titles.text[slot]);
    l->titles.text[slot] = copy;
    l->titles.id[slot] = id;
    return copy;
}

static void titles_free(title_cache *c)
{
    for (size_t i = 0; i < TITLE_CACHE; i++)
        kt_free(c->text[i]);
}

/* One cell's text: a set's items joined, a ref as its target's title. */
static void cell_text(listing *l, const kt_record *r, const char *col, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!strcmp(col, "id")) {
        snprintf(buf, size, "%lld", r->id);
        return;
    }
    const kt_value *v = kt_record_get(r, col);
    if (!v || kt_value_empty(v)) return;
    if (v->is_set) {
        size_t k = 0;
        for (size_t j = 0; j < v->nitems && k < size - 1; j++)
            k += (size_t)snprintf(buf + k, size - k, "%s%s", j ? "," : "", v->items[j]);
        return;
    }
    const kt_field *f = kt_registry_field(kt_ws_registry(l->cli->ws), r->entity, col);
    snprintf(buf, size, "%s", f && f->kind == KT_TYPE_REF ? ref_title(l, v->text) : v->text);
}

static int on_record(void *ud, const kt_record *r)
{
    listing *l = ud;
    l->count++;
    if (l->count_only) return 0;
    if (l->json) {
        cJSON_AddItemToArray(l->json, cli_record_json(l->cli->ws, r));
        return 0;
    }
    char cells[MAX_COLS + 2][512];
    const char *row[MAX_COLS + 2];
    size_t n = 0;
    snprintf(cells[n], sizeof cells[n], "%lld", r->id);
    row[n] = cells[n];
    n++;
    if (l->find) {
        snprintf(cells[n], sizeof cells[n], "%s", r->entity);
        row[n] = cells[n];
        n++;
        record_title(r, cells[n], sizeof cells[n]);
        row[n] = cells[n];
        n++;
        static const char *const contact[] = {"email", "mobile", "work_phone", "city", NULL};
        cells[n][0] = '\0';
        for (size_t i = 0; contact[i] && !cells[n][0]; i++)
            cell_text(l, r, contact[i], cells[n], sizeof cells[n]);
        row[n] = cells[n];
        n++;
    } else {
        for (size_t i = 0; i < l->ncols; i++, n++) {
            cell_text(l, r, l->cols[i], cells[n], sizeof cells[n]);
            row[n] = cells[n];
        }
    }
    snprintf(cells[n], sizeof cells[n], "%s", strcmp(r->state, "active") ? r->state : "");
    row[n] = cells[n];
    /* (a table made without the state column reads only the cells before it) */
    if (cli_table_add(&l->table, row)) l->failed = 1;
    return l->failed;
}

/* --columns a,b,c: each a field of the entity (or id), else a usage error with a suggestion. */
static int parse_columns(listing *l, const kt_entity *e, char *spec)
{
    for (char *save = NULL, *c = strtok_r(spec, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
        while (*c == ' ')
            c++;
        if (!strcmp(c, "id")) continue; /* always the first column */
        const char *names[256];
        size_t n = 0, found = 0;
        for (size_t i = 0; i < e->nfields && n < 256; i++) {
            names[n++] = e->fields[i].name;
            found |= !strcmp(e->fields[i].name, c);
        }
        if (!found) {
            const char *near = kt_match_suggest(c, names, n);
            return cli_usage("--columns: %s has no field '%s'%s%s%s", e->name, c,
                             near ? " (did you mean " : "", near ? near : "", near ? "?)" : "");
        }
        if (l->ncols == MAX_COLS) return cli_usage("--columns: at most %d columns", MAX_COLS);
        l->cols[l->ncols++] = c;
    }
    return 0;
}

static int number_option(const char *name, const char *text, long long min, long *out)
{
    long long n = 0;
    int rc = text ? cli_number(name, text, min, LONG_MAX, &n) : 0;
    *out = (long)n;
    return rc;
}

/* The table of l's columns: id first, then the state when with_state; head has room for
 * MAX_COLS + 2 names and must live as long as the table. */
static void start_table(listing *l, const char **head, int with_state)
{
    head[0] = "id";
    for (size_t i = 0; i < l->ncols; i++)
        head[i + 1] = l->cols[i];
    head[l->ncols + 1] = "state";
    cli_table_init(&l->table, l->ncols + (with_state ? 2 : 1), head);
}

static void print_table(listing *l)
{
    if (!l->failed) cli_table_print(&l->table, stdout);
}

static void listing_free(listing *l)
{
    cli_table_free(&l->table);
    titles_free(&l->titles);
}

int cmd_list(kt_cli *cli, int argc, char **argv)
{
    kt_filter filters[64];
    size_t nf = 0;
    const char *w;
    int archived = cli_take_flag(&argc, argv, "--archived");
    int all = cli_take_flag(&argc, argv, "--all");
    int count_only = cli_take_flag(&argc, argv, "--count");
    const char *limit = cli_take_option(&argc, argv, "--limit");
    const char *offset = cli_take_option(&argc, argv, "--offset");
    const char *sort = cli_take_option(&argc, argv, "--sort");
    const char *columns = cli_take_option(&argc, argv, "--columns");
    int show_pii = cli_take_flag(&argc, argv, "--show-pii");
    kt_error err;
    int rc = 0;
    listing l;
    memset(&l, 0, sizeof l);
    char colspec[1024] = "";
    while ((w = cli_take_option(&argc, argv, "--where"))) {
        if (kt_filter_parse_all(w, filters, 64, &nf, &err)) {
            rc = cli_fail(&err);
            goto out;
        }
    }
    long lim = 0, off = 0;
    if ((rc = number_option("--limit", limit, 1, &lim)) ||
        (rc = number_option("--offset", offset, 0, &off)))
        goto out;
    if (argc != 2) {
        rc = cli_usage(
            "usage: kt list ENTITY [--where FILTER]... [--sort F] [--columns F,...] "
            "[--count] [--limit N] [--offset N] [--show-pii] [--json] (see kt help list)");
        goto out;
    }
    if ((rc = cli_open(cli))) goto out;
    if (!show_pii && kt_auth_mask_pii(cli->ws, 1, &err)) {
        rc = cli_fail(&err);
        goto out;
    }
    const kt_entity *e = kt_registry_entity(kt_ws_registry(cli->ws), argv[1]);
    if (!e) {
        kt_error_set(&err, KT_NOTFOUND, "there is no entity '%s'", argv[1]);
        rc = cli_fail(&err);
        goto out;
    }
    l.cli = cli;
    l.count_only = count_only;
    l.json = cli->json && !count_only ? cJSON_CreateArray() : NULL;
    snprintf(colspec, sizeof colspec, "%s", columns ? columns : "");
    if (columns && (rc = parse_columns(&l, e, colspec))) goto out;
    if (!columns) l.ncols = table_columns(cli->ws, argv[1], l.cols);
    const char *head[MAX_COLS + 2];
    /* Active records only: a state column would say "active" on every line. */
    start_table(&l, head, all || archived);
    l.table.keep_empty = columns != NULL;
    kt_list_opts o = {filters, nf, all ? 2 : archived, lim, off};
    if (kt_list_ordered(cli->ws, argv[1], &o, sort, on_record, &l, &err)) {
        cJSON_Delete(l.json);
        rc = cli_fail(&err);
        goto out;
    }
    if (count_only && cli->json)
        printf("{\"count\":%ld}\n", l.count);
    else if (count_only)
        printf("%ld\n", l.count);
    else if (l.json)
        cli_print_json(l.json);
    else
        print_table(&l);
    if (l.failed) rc = cli_fail(&(kt_error){.code = KT_NOMEM, .message = "out of memory"});
out:
    listing_free(&l);
    for (size_t i = 0; i < nf; i++)
        kt_filter_clear(&filters[i]);
    return rc;
}

int cmd_find(kt_cli *cli, int argc, char **argv)
{
    const char *limit = cli_take_option(&argc, argv, "--limit");
    long lim = 0;
    int rc = number_option("--limit", limit, 1, &lim);
    if (rc) return rc;
    if (argc < 2) return cli_usage("usage: kt find TEXT [--limit N] [--json]");
    if ((rc = cli_open(cli))) return rc;
    char text[2048] = "";
    size_t k = 0;
    for (int i = 1; i < argc && k < sizeof text; i++)
        k += (size_t)snprintf(text + k, sizeof text - k, "%s%s", i > 1 ? " " : "", argv[i]);
    listing l;
    memset(&l, 0, sizeof l);
    l.cli = cli;
    l.find = 1;
    l.json = cli->json ? cJSON_CreateArray() : NULL;
    static const char *const head[] = {"id", "entity", "title", "contact", "state"};
    cli_table_init(&l.table, 5, head);
    kt_error err;
    if (kt_find(cli->ws, text, limit ? lim : 50, on_record, &l, &err)) {
        cJSON_Delete(l.json);
        listing_free(&l);
        return cli_fail(&err);
    }
    if (l.json)
        cli_print_json(l.json);
    else if (l.count)
        print_table(&l);
    listing_free(&l);
    return 0;
}

/* "people", "activities", "deals": how a section of kt get is headed. */
static void plural(const char *entity, char *buf, size_t size)
{
    size_t n = strlen(entity);
    if (!strcmp(entity, "person"))
        snprintf(buf, size, "people");
    else if (n > 1 && entity[n - 1] == 'y')
        snprintf(buf, size, "%.*sies", (int)(n - 1), entity);
    else
        snprintf(buf, size, "%ss", entity);
}

/* One section of kt get: the records of entity e whose ref field f points at r. */
static void related_section(kt_cli *cli, const kt_entity *e, const kt_field *f, const kt_record *r,
                            int several)
{
    char text[160], heading[160], name[64];
    snprintf(text, sizeof text, "%s=%lld", f->name, r->id);
    kt_filter flt;
    kt_error err;
    if (kt_filter_parse(text, &flt, &err)) return;
    listing l;
    memset(&l, 0, sizeof l);
    l.cli = cli;
    l.ncols = table_columns(cli->ws, e->name, l.cols);
    /* The field pointing back says nothing new in its own section. */
    for (size_t i = 0; i < l.ncols; i++)
        if (!strcmp(l.cols[i], f->name)) {
            memmove(&l.cols[i], &l.cols[i + 1], (l.ncols - i - 1) * sizeof l.cols[0]);
            l.ncols--;
            break;
        }
    const char *head[MAX_COLS + 2];
    start_table(&l, head, 1);
    /* count them all, keep the first rows */
    kt_list_opts count = {&flt, 1, 0, 0, 0};
    listing counter = {.cli = cli, .count_only = 1};
    kt_list_opts o = {&flt, 1, 0, RELATED_ROWS, 0};
    if (kt_list(cli->ws, e->name, &count, on_record, &counter, &err) == KT_OK && counter.count &&
        kt_list(cli->ws, e->name, &o, on_record, &l, &err) == KT_OK) {
        plural(e->name, name, sizeof name);
        snprintf(heading, sizeof heading, several ? "%s (%s)" : "%s", name, f->name);
        printf("\n%s: %ld\n", heading, counter.count);
        print_table(&l);
        if (counter.count > RELATED_ROWS)
            printf("... and %ld more: kt list %s --where %s=%lld\n", counter.count - RELATED_ROWS,
                   e->name, f->name, r->id);
    }
    listing_free(&l);
    kt_filter_clear(&flt);
}

/* Whether a ref field's targets ("person|company") include entity. */
static int refers_to(const kt_field *f, const char *entity)
{
    size_t n = strlen(entity);
    for (const char *p = f->kind == KT_TYPE_REF ? f->ref : NULL; p && *p;) {
        size_t m = strcspn(p, "|");
        if (m == n && !strncmp(p, entity, n)) return 1;
        p += m + (p[m] == '|');
    }
    return 0;
}

void cli_print_related(kt_cli *cli, const kt_record *r)
{
    const kt_registry *reg = kt_ws_registry(cli->ws);
    for (size_t i = 0; i < kt_registry_entity_count(reg); i++) {
        const kt_entity *e = kt_registry_entity_at(reg, i);
        int refs = 0;
        for (size_t j = 0; j < e->nfields; j++)
            refs += refers_to(&e->fields[j], r->entity);
        for (size_t j = 0; j < e->nfields; j++) {
            const kt_field *f = &e->fields[j];
            if (refers_to(f, r->entity)) related_section(cli, e, f, r, refs > 1);
        }
    }
}
