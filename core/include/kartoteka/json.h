/* The JSON shapes of Kartoteka's records, history entries and fields: what `kt ... --json`
 * prints and what `kt serve`'s API sends, made in one place so both always agree. */
#ifndef KARTOTEKA_JSON_H
#define KARTOTEKA_JSON_H

#include <cjson/cJSON.h>

#include "kartoteka/dedupe.h"
#include "kartoteka/import.h"
#include "kartoteka/query.h"
#include "kartoteka/registry.h"
#include "kartoteka/workspace.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kt_json_record_opts {
    int omit_empty;  /* leave empty fields out (exports) instead of null, or [] for a set */
    const char *uid; /* borrowed: write "id", "merged_into" and references as export keys
                        "<uid>:<id>"; NULL = plain ids as strings */
} kt_json_record_opts;

/* A record as one flat object: "id" (a string), "entity", "state", "merged_into" when merged,
 * then every field of rec in its order, typed by the registry: text, dates and decimals as
 * strings, integers as numbers (from their stored digits; beyond 2^53 and a masked "***" as
 * strings), bool as true/false, a set as an array of strings, a ref as the target's id; empty
 * as null. The one encoder of kt --json, the API and the exports. opts may be NULL. Caller
 * deletes; NULL when out of memory. */
cJSON *kt_json_record(kt_ws *ws, const kt_record *rec, const kt_json_record_opts *opts);
/* One history entry: at, action, field, old, new, source (batch when there is one). */
cJSON *kt_json_change(const kt_change *c);
/* The outcome of a merge or unmerge: {"winner": id, verb: [ids], "record": the winner now}. */
cJSON *kt_json_merge(kt_ws *ws, const kt_record *winner, const char *verb, const kt_id *ids,
                     size_t n);
/* A list of record ids as an array of strings (ids are strings in every shape). */
cJSON *kt_json_ids(const kt_id *ids, size_t n);
/* A cluster of likely duplicates: {"ids": [...], "score": 0.912} (score to 3 places). */
cJSON *kt_json_dupe_cluster(const kt_dupe_cluster *c);
/* Why a pair scored as it did (kt dupes --explain, kt dupes review, the API): {"ids", "score",
 * "fields": [{"field", "method", "a", "b", "score", "weight", "contribution", "level" when
 * trained}]}. */
cJSON *kt_json_dupe_explain(const kt_dedupe_explain *e);
/* A pair to review: kt_json_dupe_explain's object with "probability" (its score), "trained" (a
 * probability of the learned model, else the declared weights' score) and "queued". */
cJSON *kt_json_dupe_review(const kt_dupe_review *r);
/* An import's counts: {"batch": "7" or null for a dry run, "rows", "created", "updated",
 * "merged", "skipped", "rejected"}. */
cJSON *kt_json_import_summary(const kt_import_summary *s);
/* A field's definition: its properties, entity, name, type, flags and origin. */
cJSON *kt_json_field(const kt_field *f);
/* An access-log entry: {"seq", "at", "who", "role", "record", "entity", "fields": [names],
 * "route"}. Caller deletes; NULL when out of memory. */
struct kt_pii_access_info;
cJSON *kt_json_pii_access(const struct kt_pii_access_info *a);

#ifdef __cplusplus
}
#endif
#endif
