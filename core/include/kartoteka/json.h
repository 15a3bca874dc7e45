/* The JSON shapes of Kartoteka's records, history entries and fields: what `kt ... --json`
 * prints and what `kt serve`'s API sends, made in one place so both always agree. */
#ifndef KARTOTEKA_JSON_H
#define KARTOTEKA_JSON_H

#include <cjson/cJSON.h>

#include "kartoteka/query.h"
#include "kartoteka/registry.h"
#include "kartoteka/workspace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A record: id, entity, state (merged_into when merged), then every field it holds, typed by
 * the registry (integers as numbers, bools as true/false, sets as arrays, empty as null).
 * Caller deletes; NULL when out of memory. */
cJSON *kt_json_record(kt_ws *ws, const kt_record *rec);
/* One history entry: at, action, field, old, new, source (batch when there is one). */
cJSON *kt_json_change(const kt_change *c);
/* The outcome of a merge or unmerge: {"winner": id, verb: [ids], "record": the winner now}. */
cJSON *kt_json_merge(kt_ws *ws, const kt_record *winner, const char *verb, const kt_id *ids,
                     size_t n);
/* A field's definition: its properties, entity, name, type, flags and origin. */
cJSON *kt_json_field(const kt_field *f);

#ifdef __cplusplus
}
#endif
#endif
