/* kt dupes train / kt dupes model: learning the duplicate model of an entity and showing it. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "kartoteka/dedupe.h"
#include "kartoteka/json.h"

static const char *const level_names[3] = {"far", "close", "exact"};

static double round4(double x)
{
    return round(x * 10000.0) / 10000.0;
}

int dupes_train_cmd(kt_cli *cli, const char *entity)
{
    int rc = cli_open(cli);
    if (rc) return rc;
    kt_dupe_train_report t;
    kt_error err;
    if (kt_dupes_train(cli->ws, entity, &t, &err)) return cli_fail(&err);
    if (cli->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "entity", entity);
        cJSON_AddNumberToObject(o, "records", (double)t.records);
        cJSON_AddNumberToObject(o, "pairs", (double)t.pairs);
        cJSON_AddNumberToObject(o, "random_pairs", (double)t.random_pairs);
        cJSON_AddNumberToObject(o, "iterations", t.iterations);
        cJSON_AddNumberToObject(o, "lambda", t.lambda);
        cJSON *l = cJSON_AddObjectToObject(o, "labels");
        cJSON_AddNumberToObject(l, "same", (double)t.labels_same);
        cJSON_AddNumberToObject(l, "distinct", (double)t.labels_distinct);
        cli_print_json(o);
    } else {
        cli_say("trained the %s model on %zu records: m by EM over %zu candidate pairs (%d "
                "iterations), u from %zu random pairs, lambda (two records picked at random "
                "match) %.3g; kt dupes model %s shows it\n",
                entity, t.records, t.pairs, t.iterations, t.random_pairs, t.lambda, entity);
        if (t.labels_same + t.labels_distinct)
            cli_say("labels taken as certain: %zu same, %zu distinct\n", t.labels_same,
                    t.labels_distinct);
    }
    return 0;
}

static cJSON *model_json(const kt_dedupe_rule *r, const kt_dupe_model_info *i)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "entity", r->entity);
    cJSON_AddBoolToObject(o, "trained", i->trained);
    if (i->trained) {
        cJSON_AddStringToObject(o, "trained_at", i->trained_at);
        cJSON_AddNumberToObject(o, "records", (double)i->records);
        cJSON_AddNumberToObject(o, "pairs", (double)i->pairs);
        cJSON_AddNumberToObject(o, "random_pairs", (double)i->random_pairs);
        cJSON_AddNumberToObject(o, "iterations", i->iterations);
        cJSON_AddNumberToObject(o, "lambda", i->lambda);
        cJSON *l = cJSON_AddObjectToObject(o, "labels");
        cJSON_AddNumberToObject(l, "same", (double)i->labels_same);
        cJSON_AddNumberToObject(l, "distinct", (double)i->labels_distinct);
    }
    cJSON *fields = cJSON_AddArrayToObject(o, "fields");
    for (size_t f = 0; f < r->n; f++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "field", r->fields[f].field);
        cJSON_AddStringToObject(x, "method", r->fields[f].method);
        if (!i->trained) {
            cJSON_AddNumberToObject(x, "weight", r->fields[f].weight);
        } else {
            const kt_dupe_field_info *fi = &i->fields[f];
            cJSON_AddNumberToObject(x, "filled", (double)fi->filled);
            cJSON_AddNumberToObject(x, "common_values", (double)fi->common);
            cJSON *lv = cJSON_AddObjectToObject(x, "levels");
            for (int l = 2; l >= 0; l--) {
                cJSON *y = cJSON_AddObjectToObject(lv, level_names[l]);
                cJSON_AddNumberToObject(y, "m", round4(fi->level[l].m));
                cJSON_AddNumberToObject(y, "u", round4(fi->level[l].u));
                cJSON_AddNumberToObject(y, "weight", round4(fi->level[l].weight));
            }
        }
        cJSON_AddItemToArray(fields, x);
    }
    return o;
}

static void model_plain(const kt_dedupe_rule *r, const kt_dupe_model_info *i)
{
    if (!i->trained) {
        printf("%s: not trained (kt dupes train %s); the declared weights are used:\n", r->entity,
               r->entity);
        for (size_t f = 0; f < r->n; f++)
            printf("  %-16s %-8s weight %g\n", r->fields[f].field, r->fields[f].method,
                   r->fields[f].weight);
        return;
    }
    printf("%s: trained %s on %lld records; m by EM over %lld candidate pairs (%d iterations), "
           "u from %lld random pairs; lambda %.3g\n",
           r->entity, i->trained_at, i->records, i->pairs, i->iterations, i->random_pairs,
           i->lambda);
    printf("  labels used: %lld (%lld same, %lld distinct; kt dupes review adds them)\n",
           i->labels_same + i->labels_distinct, i->labels_same, i->labels_distinct);
    printf("  %-16s %-8s %-6s %8s %8s %8s\n", "field", "method", "level", "m", "u", "weight");
    for (size_t f = 0; f < r->n; f++)
        for (int l = 2; l >= 0; l--)
            printf("  %-16s %-8s %-6s %8.4f %8.4f %+8.2f\n", l == 2 ? r->fields[f].field : "",
                   l == 2 ? r->fields[f].method : "", level_names[l], i->fields[f].level[l].m,
                   i->fields[f].level[l].u, i->fields[f].level[l].weight);
    printf("  (weight: log2(m/u) in bits; exact agreement on a value many records hold weighs "
           "less, on a rare one more)\n");
}

int dupes_model_cmd(kt_cli *cli, const char *entity)
{
    int rc = cli_open(cli);
    if (rc) return rc;
    kt_dedupe_rule *r = NULL;
    kt_dupe_model_info i;
    kt_error err;
    if (kt_dedupe_rule_get(cli->ws, entity, &r, &err)) return cli_fail(&err);
    if (kt_dupes_model_info(r, &i, &err)) {
        kt_dedupe_rule_free(r);
        return cli_fail(&err);
    }
    if (cli->json)
        cli_print_json(model_json(r, &i));
    else
        model_plain(r, &i);
    kt_dupes_model_info_clear(&i);
    kt_dedupe_rule_free(r);
    return 0;
}
