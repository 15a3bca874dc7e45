/* kt dupes: clusters of probable duplicates, decisions that two records differ, and why a pair
 * matched. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kartoteka/alloc.h"
#include "kartoteka/dedupe.h"
#include "kartoteka/json.h"
#include "kartoteka/match.h"

void dupes_explain_plain(const kt_dedupe_explain *e)
{
    printf("  %lld ~ %lld: %.3f%s\n", e->a, e->b, e->score < 0 ? 0 : e->score,
           e->distinct ? " (declared distinct)" : "");
    static const char *const level[] = {"missing", "far", "close", "exact"};
    for (size_t i = 0; e->trained && i < e->n; i++) { /* the model's bits, not the weights */
        const kt_dedupe_part *p = &e->parts[i];
        printf("    %-16s %-6s   %-7s  %+7.2f bits  %s | %s\n", p->field, p->method,
               level[p->level + 1], p->contribution, p->a ? p->a : "-", p->b ? p->b : "-");
    }
    for (size_t i = 0; !e->trained && i < e->n; i++) {
        const kt_dedupe_part *p = &e->parts[i];
        if (p->score < 0)
            printf("    %-16s %-6s   missing  x%-4g  +0.000  %s | %s\n", p->field, p->method,
                   p->weight, p->a ? p->a : "-", p->b ? p->b : "-");
        else
            printf("    %-16s %-6s   %.3f    x%-4g  +%.3f  %s | %s\n", p->field, p->method,
                   p->score, p->weight, p->contribution, p->a, p->b);
    }
}

/* One pair explained into arr (JSON) or printed. */
static int explain(kt_cli *cli, const kt_dedupe_rule *r, kt_id a, kt_id b, cJSON *arr)
{
    kt_dedupe_explain e;
    kt_error err;
    if (kt_dedupe_explain_pair(cli->ws, r, a, b, &e, &err)) return cli_fail(&err);
    if (arr)
        cJSON_AddItemToArray(arr, kt_json_dupe_explain(&e));
    else
        dupes_explain_plain(&e);
    kt_dedupe_explain_clear(&e);
    return 0;
}

static int in_cluster(const kt_dupe_cluster *c, kt_id id)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->ids[i] == id) return 1;
    return 0;
}

static int clustered(const kt_dupes *d, kt_id a, kt_id b)
{
    for (size_t i = 0; i < d->n; i++)
        if (in_cluster(&d->clusters[i], a) && in_cluster(&d->clusters[i], b)) return 1;
    return 0;
}

/* The pairs queued for review (an import created a row beside a similar record on too little
 * evidence) that no cluster holds: proposed after the clusters, marked "queued". */
static int queued(kt_cli *cli, const kt_dedupe_rule *r, const kt_dupes *d, cJSON *arr)
{
    kt_dupe_pair *q = NULL;
    size_t n = 0;
    kt_error err;
    if (kt_dupes_queued(cli->ws, r->entity, &q, &n, &err)) return cli_fail(&err);
    for (size_t i = 0; i < n; i++) {
        if (clustered(d, q[i].a, q[i].b)) continue;
        kt_id ids[2] = {q[i].a, q[i].b};
        kt_dupe_cluster c = {ids, 2, q[i].score};
        if (arr) {
            cJSON *o = kt_json_dupe_cluster(&c);
            cJSON_AddBoolToObject(o, "queued", 1);
            cJSON_AddItemToArray(arr, o);
        } else {
            printf("%.3f  %lld %lld  (queued for review: too few fields agree to act on)\n",
                   q[i].score, q[i].a, q[i].b);
        }
    }
    kt_free(q);
    return 0;
}

/* The pairs labelled the same (kt dupes review, kt dupes label) that no cluster holds: reported
 * whatever they score, marked "labelled". */
static int labelled(kt_cli *cli, const kt_dedupe_rule *r, const kt_dupes *d, cJSON *arr)
{
    kt_dupe_pair *q = NULL;
    size_t n = 0;
    kt_error err;
    if (kt_dupes_same(cli->ws, r->entity, &q, &n, &err)) return cli_fail(&err);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        if (clustered(d, q[i].a, q[i].b)) continue;
        kt_dedupe_explain e;
        if (kt_dedupe_explain_pair(cli->ws, r, q[i].a, q[i].b, &e, &err)) {
            rc = cli_fail(&err);
            break;
        }
        kt_id ids[2] = {q[i].a, q[i].b};
        kt_dupe_cluster c = {ids, 2, e.score < 0 ? 0 : e.score};
        kt_dedupe_explain_clear(&e);
        if (arr) {
            cJSON *o = kt_json_dupe_cluster(&c);
            cJSON_AddStringToObject(o, "reason", "labelled");
            cJSON_AddItemToArray(arr, o);
        } else {
            printf("%.3f  %lld %lld  (labelled: the same, whatever the score)\n", c.score, q[i].a,
                   q[i].b);
        }
    }
    kt_free(q);
    return rc;
}

/* report: 's' --stats, 'c' --compared, 0 the clusters. */
static int list(kt_cli *cli, const kt_dedupe_rule *r, const kt_dupes_opts *opts, int with_explain,
                int report)
{
    kt_dupes d;
    kt_error err;
    double threshold = opts->threshold;
    if (kt_dupes_find_with(cli->ws, r, opts, &d, &err)) return cli_fail(&err);
    if (report) {
        if (report == 's')
            dupes_print_stats(cli, r, opts, &d);
        else
            dupes_print_compared(cli, &d);
        kt_dupes_clear(&d);
        return 0;
    }
    cJSON *arr = cli->json ? cJSON_CreateArray() : NULL;
    int rc = 0;
    for (size_t i = 0; i < d.n && !rc; i++) {
        const kt_dupe_cluster *c = &d.clusters[i];
        cJSON *pairs = NULL;
        if (arr) {
            cJSON *o = kt_json_dupe_cluster(c);
            if (with_explain) pairs = cJSON_AddArrayToObject(o, "pairs");
            cJSON_AddItemToArray(arr, o);
        } else {
            printf("%.3f ", c->score);
            for (size_t j = 0; j < c->n; j++)
                printf(" %lld", c->ids[j]);
            putchar('\n');
        }
        if (!with_explain) continue;
        for (size_t p = 0; p < d.npairs && !rc; p++)
            if (in_cluster(c, d.pairs[p].a))
                rc = explain(cli, r, d.pairs[p].a, d.pairs[p].b, pairs);
    }
    if (!rc && !opts->batch[0]) rc = labelled(cli, r, &d, arr);
    if (!rc && !opts->batch[0]) rc = queued(cli, r, &d, arr);
    if (arr)
        cli_print_json(arr);
    else
        fprintf(stderr,
                "kt: %zu cluster%s among %zu %s records (%zu candidate pairs compared, "
                "threshold %.2f)\n",
                d.n, d.n == 1 ? "" : "s", d.records, r->entity, d.candidates,
                threshold < 0 ? r->threshold : threshold);
    kt_dupes_clear(&d);
    return rc;
}

int cmd_dupes(kt_cli *cli, int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "review")) return dupes_review_cmd(cli, argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "label")) return dupes_label_cmd(cli, argc - 1, argv + 1);
    int not = cli_take_flag(&argc, argv, "--not");
    int with_explain = cli_take_flag(&argc, argv, "--explain");
    int stats = cli_take_flag(&argc, argv, "--stats");
    int compared = cli_take_flag(&argc, argv, "--compared");
    const char *between = cli_take_option(&argc, argv, "--between");
    const char *th = cli_take_option(&argc, argv, "--threshold");
    double threshold = -1;
    if (th) {
        char *end;
        threshold = strtod(th, &end);
        if (*end || !(threshold > 0 && threshold <= 1))
            return cli_usage("--threshold must be a number in (0, 1], not \"%s\"", th);
    }
    const char *usage = "usage: kt dupes ENTITY [--threshold X] [--explain [ID1 ID2]] [--json] "
                        "[--stats | --compared] [--between BATCH_A BATCH_B] | "
                        "kt dupes ENTITY --not ID1 ID2 | kt dupes train|model ENTITY | "
                        "kt dupes review ENTITY [--json] [--limit N] | "
                        "kt dupes label ENTITY ID1 ID2 same|distinct|clear";
    if (argc < 2) return cli_usage("%s", usage);
    int plain = !not &&!with_explain && !th && !between && !stats && !compared;
    if (argc == 2 && (!strcmp(argv[1], "train") || !strcmp(argv[1], "model")))
        return cli_usage("usage: kt dupes %s ENTITY", argv[1]);
    if (argc == 3 && plain && !strcmp(argv[1], "train")) return dupes_train_cmd(cli, argv[2]);
    if (argc == 3 && plain && !strcmp(argv[1], "model")) return dupes_model_cmd(cli, argv[2]);
    const char *between_b = NULL;
    if (between) { /* its second value is left among the arguments */
        if (argc != 3 || not || with_explain) return cli_usage("%s", usage);
        between_b = argv[--argc];
    }
    if ((stats && compared) || ((stats || compared) && (not || with_explain)))
        return cli_usage("%s", usage);
    int first = kt_id_parse(argv[1]) ? 1 : 2; /* `kt dupes --not 4 9` works without ENTITY */
    if ((not &&argc - first != 2) || (!not &&argc != 2 && !(with_explain && argc == 4)))
        return cli_usage("%s", usage);
    int rc = cli_open(cli);
    if (rc) return rc;
    kt_error err;
    if (not ) {
        kt_id a, b;
        if (cli_id(argv[first], &a) || cli_id(argv[first + 1], &b)) return EX_USAGE_;
        if (kt_dupes_distinct(cli->ws, a, b, &err)) return cli_fail(&err);
        if (!cli->json)
            cli_say("%lld and %lld are distinct: never proposed again\n", a, b);
        else
            cli_print_json(cJSON_CreateTrue());
        return 0;
    }
    kt_dedupe_rule *r = NULL;
    if (kt_dedupe_rule_get(cli->ws, argv[1], &r, &err)) return cli_fail(&err);
    if (argc == 4) {
        kt_id a = 0, b = 0;
        rc = cli_id(argv[2], &a) || cli_id(argv[3], &b) ? EX_USAGE_ : 0;
        cJSON *arr = cli->json ? cJSON_CreateArray() : NULL;
        if (!rc) rc = explain(cli, r, a, b, arr);
        if (arr && !rc) cli_print_json(cJSON_DetachItemFromArray(arr, 0));
        cJSON_Delete(arr);
    } else {
        kt_dupes_opts opts = KT_DUPES_OPTS_INIT;
        opts.threshold = threshold;
        opts.keep_compared = compared;
        if (between) rc = dupes_between(cli, between, between_b, &opts);
        if (!rc) rc = list(cli, r, &opts, with_explain, stats ? 's' : compared ? 'c' : 0);
    }
    kt_dedupe_rule_free(r);
    return rc;
}
