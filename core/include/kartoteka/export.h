/* Export, the mirror of import: what kt_list selects, as CSV, JSON, NDJSON or vCard. NDJSON
 * reads back through kt_import_run's identity mapping unchanged: one object per record with
 * "id", "entity", "state" and every non-empty field (sets as arrays, other values as their
 * canonical text). CSV neutralises cells a spreadsheet would run as formulas unless raw. */
#ifndef KARTOTEKA_EXPORT_H
#define KARTOTEKA_EXPORT_H

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

#ifdef __cplusplus
}
#endif
#endif
