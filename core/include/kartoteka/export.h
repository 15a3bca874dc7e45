/* Export, the mirror of import: what kt_list selects, as CSV, JSON, NDJSON or vCard. NDJSON
 * reads back through kt_import_run's built-in map unchanged: one object per record, written by
 * kt_json_record (kartoteka/json.h) with "id" as the record's export key ("<workspace
 * uid>:<id>", the same in every export of the workspace), "entity", "state", "merged_into" (an export key) when merged, and
 * every non-empty field with its type kept (integers as numbers, bool as true/false, sets as
 * arrays, references as the target's export key, other values as their canonical text). CSV
 * neutralises cells a spreadsheet would run as formulas unless raw. */
#ifndef KARTOTEKA_EXPORT_H
#define KARTOTEKA_EXPORT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "kartoteka/query.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kt_export_format {
    KT_EXPORT_CSV,
    KT_EXPORT_JSON,
    KT_EXPORT_NDJSON,
    KT_EXPORT_VCF,
} kt_export_format;

/* "csv" -> KT_EXPORT_CSV ...; -1 for an unknown name. */
int kt_export_format_parse(const char *name);

typedef struct kt_export_opts {
    kt_export_format format;
    int raw;                  /* CSV: keep formula-like cells as they are */
    const kt_list_opts *list; /* filters, archived, limit; NULL = active records */
} kt_export_opts;

/* Writes the records to out. *count (may be NULL) gets the number written. */
kt_status kt_export(kt_ws *ws, const char *entity, const kt_export_opts *opts, FILE *out,
                    long *count, kt_error *err);

/* Every record of every entity in every state (active, archived, merged), as JSON or NDJSON
 * (KT_USAGE for another format), entities ordered so that a record's references point at
 * entities written before it (company before person before deal, activity, sale, task) where
 * the references allow. opts->list is ignored. */
kt_status kt_export_all(kt_ws *ws, const kt_export_opts *opts, FILE *out, long *count,
                        kt_error *err);

/* ---- export keys ---- */
#define KT_EXPORT_UID_SIZE 33 /* 32 hex digits and the NUL */

/* The workspace's own uid, made once by its first migration to know it (schema/008). */
kt_status kt_export_uid(kt_ws *ws, char uid[KT_EXPORT_UID_SIZE], kt_error *err);
/* Is text an export key "<32 hex digits>:<id>"? Fills uid and *id when it is. */
int kt_export_key_parse(const char *text, char uid[KT_EXPORT_UID_SIZE], kt_id *id);
/* The record an export key names here: the id itself for this workspace's own key, else the
 * record imported under that key; *id = 0 when none (or text is not a key). */
kt_status kt_export_key_find(kt_ws *ws, const char *key, kt_id *id, kt_error *err);
/* Remembers that the record id came in under another workspace's key (own keys need not). */
kt_status kt_export_key_keep(kt_ws *ws, const char *key, kt_id id, kt_error *err);

#ifdef __cplusplus
}
#endif
#endif
