/* kt dupes review and kt dupes label: a person's answers about the pairs the model is least sure
 * of, stored as labels that kt dupes honours and kt dupes train learns from. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "kartoteka/alloc.h"
#include "kartoteka/dedupe.h"
#include "kartoteka/json.h"

#define JSON_LIMIT 10

static const char *const review_usage = "usage: kt dupes review ENTITY [--json] [--limit N] | "
                                        "kt dupes label ENTITY ID1 ID2 same|distinct|clear";

/* One answer from stdin: 'y', 'n', 's' or 'q' (end of input: 'q'); asks again otherwise. */
static int answer(void)
{
    char line[64];
    for (;;) {
        printf("same record? [y]es, [n]o, [s]kip, [q]uit: ");
        fflush(stdout);
        if (!fgets(line, sizeof line, stdin)) {
            putchar('\n');
            return 'q';
        }
        char c = line[0];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (strchr("ynsq", c) && c &&
            (line[1] == '\n' || line[1] == '\0' || line[1] == '\r' || !strncmp(line, "yes", 3) ||
             !strncmp(line, "no", 2) || !strncmp(line, "skip", 4) || !strncmp(line, "quit", 4)))
            return c;
        printf("  answer y, n, s or q\n");
    }
}

static int review_ask(kt_cli *cli, const kt_dedupe_rule *r, const kt_dupe_pair *p, size_t n)
{
    size_t same = 0, distinct = 0, skipped = 0, i = 0;
    kt_error err;
    for (; i < n; i++) {
        kt_dedupe_explain e;
        if (kt_dedupe_explain_pair(cli->ws, r, p[i].a, p[i].b, &e, &err)) return cli_fail(&err);
        printf("pair %zu of %zu\n", i + 1, n);
        dupes_explain_plain(&e);
        kt_dedupe_explain_clear(&e);
        int c = answer();
        if (c == 'q') break;
        if (c == 's') {
            skipped++;
            continue;
        }
        if (kt_dupes_label(cli->ws, p[i].a, p[i].b, c == 'y' ? KT_DUPE_SAME : KT_DUPE_DISTINCT,
                           "review", &err))
            return cli_fail(&err);
        if (c == 'y')
            same++;
        else
            distinct++;
    }
    fprintf(stderr, "kt: %zu labelled the same, %zu distinct, %zu skipped of %zu %s pair%s%s\n",
            same, distinct, skipped, n, r->entity, n == 1 ? "" : "s",
            same + distinct ? "; kt dupes train learns from the labels" : "");
    return 0;
}

int dupes_review_cmd(kt_cli *cli, int argc, char **argv)
{
    const char *limit_text = cli_take_option(&argc, argv, "--limit");
    long long limit = cli->json ? JSON_LIMIT : 0;
    if (limit_text && cli_number("kt dupes review --limit", limit_text, 1, INT_MAX, &limit))
        return EX_USAGE_;
    if (argc != 2) return cli_usage("%s", review_usage);
    int rc = cli_open(cli);
    if (rc) return rc;
    kt_dedupe_rule *r = NULL;
    kt_dupe_pair *p = NULL;
    size_t n = 0;
    kt_error err;
    if (kt_dedupe_rule_get(cli->ws, argv[1], &r, &err)) return cli_fail(&err);
    if (cli->json) {
        kt_dupe_review *items = NULL;
        if (kt_dupes_review_list(cli->ws, r, (size_t)limit, &items, &n, &err)) {
            rc = cli_fail(&err);
        } else {
            cJSON *arr = cJSON_CreateArray();
            for (size_t i = 0; i < n; i++)
                cJSON_AddItemToArray(arr, kt_json_dupe_review(&items[i]));
            cli_print_json(arr);
        }
        kt_dupes_review_free(items, n);
    } else if (kt_dupes_uncertain(cli->ws, r, (size_t)limit, &p, &n, &err))
        rc = cli_fail(&err);
    else if (!n)
        fprintf(stderr, "kt: no %s pair left to review\n", r->entity);
    else
        rc = review_ask(cli, r, p, n);
    kt_free(p);
    kt_dedupe_rule_free(r);
    return rc;
}

int dupes_label_cmd(kt_cli *cli, int argc, char **argv)
{
    kt_dupe_label label;
    kt_id a, b;
    if (argc != 5) return cli_usage("%s", review_usage);
    if (kt_dupes_label_parse(argv[4], &label))
        return cli_usage("kt dupes label: same, distinct or clear, not \"%s\"", argv[4]);
    if (cli_id(argv[2], &a) || cli_id(argv[3], &b)) return EX_USAGE_;
    int rc = cli_open(cli);
    if (rc) return rc;
    kt_error err;
    char entity[64];
    if (kt_ws_entity_of(cli->ws, a, entity, sizeof entity, &err)) return cli_fail(&err);
    if (strcmp(entity, argv[1])) {
        kt_error_set(&err, KT_USAGE, "record %lld is a %s, not a %s", a, entity, argv[1]);
        return cli_fail(&err);
    }
    if (kt_dupes_label(cli->ws, a, b, label, "cli", &err)) return cli_fail(&err);
    if (cli->json)
        cli_print_json(cJSON_CreateTrue());
    else if (label == KT_DUPE_SAME)
        cli_say("%lld and %lld are the same: kt dupes reports them, kt dupes train learns it\n", a,
                b);
    else if (label == KT_DUPE_DISTINCT)
        cli_say("%lld and %lld are distinct: never proposed again\n", a, b);
    else
        cli_say("%lld and %lld are unlabelled again\n", a, b);
    return 0;
}
