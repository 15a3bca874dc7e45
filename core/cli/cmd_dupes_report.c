/* kt dupes --stats, --compared and --between: how the candidate pairs came about (blocking),
 * for a user wondering why a pair was never proposed and for the benchmarks measuring recall
 * lost to blocking. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kartoteka/dedupe.h"
#include "kartoteka/import.h"
#include "kartoteka/json.h"

typedef struct wanted {
    long long id[2];
    int found[2];
} wanted;

static int seen(void *ud, const kt_batch_info *b)
{
    wanted *w = ud;
    for (int i = 0; i < 2; i++)
        w->found[i] |= b->id == w->id[i];
    return 0;
}

int dupes_between(kt_cli *cli, const char *a, const char *b, kt_dupes_opts *opts)
{
    wanted w = {{0, 0}, {0, 0}};
    if (cli_number("kt dupes --between: BATCH_A (see kt import list)", a, 1, LLONG_MAX, &w.id[0]) ||
        cli_number("kt dupes --between: BATCH_B (see kt import list)", b, 1, LLONG_MAX, &w.id[1]))
        return EX_USAGE_;
    if (w.id[0] == w.id[1])
        return cli_usage("kt dupes --between: two different batches, not %lld twice", w.id[0]);
    kt_error err;
    if (kt_import_list(cli->ws, seen, &w, &err)) return cli_fail(&err);
    for (int i = 0; i < 2; i++)
        if (!w.found[i]) {
            kt_error_set(&err, KT_NOTFOUND, "no import batch %lld (see kt import list)", w.id[i]);
            return cli_fail(&err);
        }
    opts->batch[0] = w.id[0];
    opts->batch[1] = w.id[1];
    return 0;
}

static double mib(size_t bytes)
{
    return (double)bytes / (1024.0 * 1024.0);
}

void dupes_print_stats(kt_cli *cli, const kt_dedupe_rule *r, const kt_dupes_opts *opts,
                       const kt_dupes *d)
{
    const kt_dupe_stats *s = &d->stats;
    double threshold = opts->threshold < 0 ? r->threshold : opts->threshold;
    if (cli->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "entity", r->entity);
        if (opts->batch[0]) {
            cJSON *b = cJSON_AddArrayToObject(o, "between");
            for (int i = 0; i < 2; i++)
                cJSON_AddItemToArray(b, cJSON_CreateNumber((double)opts->batch[i]));
        }
        const struct {
            const char *name;
            double value;
        } nums[] = {{"records", (double)d->records},
                    {"keys", (double)s->keys},
                    {"blocks", (double)s->blocks},
                    {"blocks_full", (double)s->blocks_full},
                    {"blocks_windowed", (double)s->blocks_window},
                    {"windowed_records", (double)s->window_rows},
                    {"largest_block", (double)s->largest},
                    {"block_cap", KT_DUPE_BLOCK_CAP},
                    {"window", (double)s->window},
                    {"orders", (double)s->orders},
                    {"pairs_found", (double)s->pairs_found},
                    {"pairs_compared", (double)d->candidates},
                    {"clusters", (double)d->n},
                    {"threshold", threshold}};
        for (size_t i = 0; i < sizeof nums / sizeof *nums; i++)
            cJSON_AddNumberToObject(o, nums[i].name, nums[i].value);
        if (s->nrules) {
            cJSON *rules = cJSON_AddArrayToObject(o, "rules");
            for (size_t i = 0; i < s->nrules && i < r->nblocking; i++) {
                cJSON *x = cJSON_CreateObject();
                cJSON_AddStringToObject(x, "rule", r->blocking[i].name);
                cJSON_AddNumberToObject(x, "blocks", (double)s->rule[i].blocks);
                cJSON_AddNumberToObject(x, "largest_block", (double)s->rule[i].largest);
                cJSON_AddNumberToObject(x, "pairs_found", (double)s->rule[i].pairs_found);
                cJSON_AddItemToArray(rules, x);
            }
        }
        cJSON *m = cJSON_AddObjectToObject(o, "memory");
        cJSON_AddNumberToObject(m, "values", (double)s->bytes_values); /* bytes */
        cJSON_AddNumberToObject(m, "keys", (double)s->bytes_keys);
        cJSON_AddNumberToObject(m, "pairs", (double)s->bytes_pairs);
        cli_print_json(o);
        return;
    }
    printf("records          %zu %s", d->records, r->entity);
    if (opts->batch[0]) printf(" (imports %lld and %lld)", opts->batch[0], opts->batch[1]);
    printf("\nblocking keys    %zu\n", s->keys);
    printf("blocks           %zu: %zu compared in full, %zu larger than %d records walked with a "
           "window of %zu in %zu orders (%zu records)\n",
           s->blocks, s->blocks_full, s->blocks_window, KT_DUPE_BLOCK_CAP, s->window, s->orders,
           s->window_rows);
    printf("largest block    %zu records\n", s->largest);
    printf("pairs compared   %zu (%zu found in blocks, repeats included)\n", d->candidates,
           s->pairs_found);
    for (size_t i = 0; i < s->nrules && i < r->nblocking; i++)
        printf("blocking rule %zu  %s: %zu blocks (the largest %zu records), %zu pairs found\n",
               i + 1, r->blocking[i].name, s->rule[i].blocks, s->rule[i].largest,
               s->rule[i].pairs_found);
    printf("clusters         %zu at threshold %.2f\n", d->n, threshold);
    printf("memory           %.1f MiB values, %.1f MiB keys, %.1f MiB pairs\n",
           mib(s->bytes_values), mib(s->bytes_keys), mib(s->bytes_pairs));
}

void dupes_print_compared(kt_cli *cli, const kt_dupes *d)
{
    if (cli->json) {
        cJSON *arr = cJSON_CreateArray();
        for (size_t i = 0; i < d->ncompared; i++)
            cJSON_AddItemToArray(arr, kt_json_ids(d->compared + 2 * i, 2));
        cli_print_json(arr);
        return;
    }
    for (size_t i = 0; i < d->ncompared; i++)
        printf("%lld\t%lld\n", d->compared[2 * i], d->compared[2 * i + 1]);
}
