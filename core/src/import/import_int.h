/* Internal to the import pipeline: the built-in maps, the matcher, the rejects writer and the
 * batch table. Each piece lives in a file of its own; run.c drives them row by row. */
#ifndef KT_IMPORT_IMPORT_INT_H
#define KT_IMPORT_IMPORT_INT_H

#include <stdio.h>

#include "kartoteka/buf.h"
#include "kartoteka/import.h"
#include "kartoteka/import_map.h"
#include "kartoteka/read.h"
#include "kartoteka/save.h"

/* The match keys and records maps make (kartoteka/import_map.h), by the names the pipeline's
 * files use. */
typedef kt_import_key imp_key;
typedef kt_import_keys imp_keys;
typedef kt_import_out imp_out;

/* Set fields given as text ("dog, cat", "dog;cat", a JSON array) become lists. */
kt_status imp_coerce_sets(kt_ws *ws, kt_record *rec, kt_error *err);

/* ---- identity_map.c: a row's keys naming fields of its entity (else of entity) ---- */
kt_status imp_identity_record(kt_ws *ws, const char *entity, const kt_read_row *row,
                              kt_record **out, kt_error *err);
/* Keys a row may carry that are never a record's fields: the record's own (id, entity, state,
 * dates) and those a record table reserves (ref, match, on_match, nth, dedupe). */
int imp_not_a_field(const char *k);

/* ---- builtin_map.c: the map of imports without a script or plugin map ---- */
typedef struct imp_builtin imp_builtin;
/* Chosen by the reader's format: `kt export` lines (json, ndjson) come back as the records
 * they were, vCards (vcf) as a person and company; other rows, and other formats, go through
 * the identity mapping (of entity, "person" when NULL, matched on external_id). */
kt_status imp_builtin_new(kt_ws *ws, const char *entity, const char *format, kt_import_map **out,
                          kt_error *err);

/* ---- match.c: which stored record a record is about ---- */
typedef struct imp_matcher imp_matcher;
/* A second opinion when no key hits (the duplicate detection engine): sets *id or leaves 0;
 * *review (or 0) a record too little agrees with to act on, but worth proposing. */
typedef kt_status (*imp_fallback_fn)(void *ud, kt_ws *ws, const kt_record *rec, kt_id *id,
                                     double *score, kt_id *review, double *review_score,
                                     kt_error *err);
kt_status imp_matcher_new(kt_ws *ws, imp_matcher **out, kt_error *err);
void imp_matcher_free(imp_matcher *m);
void imp_matcher_set_fallback(imp_matcher *m, imp_fallback_fn fn, void *ud);
/* Did the last imp_match ask the fallback and find no candidate? The write door's duplicate
 * check would only repeat it. */
int imp_matcher_settled(const imp_matcher *m);
/* The record the last match's fallback found similar but on too little evidence (0: none), and
 * its score: the row is created, and the pair queued for review. */
kt_id imp_matcher_review(const imp_matcher *m, double *score);
/* Was the last match found by the fallback (similarity), not by a key? */
int imp_matcher_similar(const imp_matcher *m);
/* Was the last match found by an id the record was also known by (kt_alias, a merged record's
 * external id)? Such a row was absorbed before: like a similar one, it only fills gaps. */
int imp_matcher_alias(const imp_matcher *m);
/* What the last match was found by: "external_id", "customer+date", "external_id (alias)",
 * "duplicate 0.934"; "" when nothing matched. Borrowed until the next match. */
const char *imp_matcher_how(const imp_matcher *m);
/* The duplicate detection engine (dedupe.h) as the fallback. */
void imp_matcher_use_dedupe(imp_matcher *m);
/* The first key whose fields are all non-empty in rec decides: *id is the oldest (nth oldest)
 * active record whose stored values equal rec's normalised values; when it finds nothing (or
 * no key is usable) the fallback (the duplicate detection engine) may propose a record. */
kt_status imp_match(imp_matcher *m, const kt_record *rec, const imp_keys *keys, long nth,
                    int fallback, kt_id *id, kt_error *err);
/* The id of the active `entity` record whose `field` equals value (normalised), or 0. */
kt_status imp_lookup(imp_matcher *m, const char *entity, const char *field, const char *value,
                     kt_id *id, kt_error *err);

/* ---- identity.c: the external ids of a row absorbed into a stored record ---- */
typedef struct imp_ids {
    char *row;    /* the row's external id, normalised (owned), or NULL */
    char *before; /* the record's own before the save (owned), or NULL */
} imp_ids;
/* Notes them before rec (about stored record id; 0: nothing to note) is saved. */
kt_status imp_ids_before(kt_ws *ws, const kt_record *rec, kt_id id, imp_ids *ids, kt_error *err);
/* After the save: the noted ids record id no longer carries become its aliases; one another
 * record holds already is a failure (in fails) naming that record. */
kt_status imp_ids_keep(kt_ws *ws, const char *entity, kt_id id, const imp_ids *ids, long long batch,
                       kt_failures *fails, kt_error *err);
void imp_ids_clear(imp_ids *ids);

/* ---- log.c: the import log (--log), one line per source row ---- */
typedef struct imp_log imp_log;
typedef struct imp_log_entry {
    long line;
    const char *fate;       /* created, updated, merged, skipped, rejected */
    kt_id record;           /* the record it created or was about, 0 none */
    const char *matched_by; /* "external_id", "duplicate 0.934", "" */
    const kt_failures *why; /* a rejected row's failures (its errors are listed), or NULL */
} imp_log_entry;
/* Appends one failure as a reason: "field: message" (the message alone for a rule about the
 * whole record). */
kt_status imp_reason_put(kt_buf *out, const kt_failure *f, kt_error *err);
/* Through the output writer (kartoteka/output.h): ws's own files are refused, an existing file
 * is replaced only when replace. */
kt_status imp_log_open(kt_ws *ws, const char *path, int replace, imp_log **out, kt_error *err);
kt_status imp_log_row(imp_log *l, const imp_log_entry *row, kt_error *err);
/* Finishes the log: kept when keep (the import succeeded), else removed. Accepts NULL; err
 * is only used when keep. */
kt_status imp_log_close(imp_log *l, int keep, kt_error *err);
/* Syncs what was written, so the import can commit knowing its log is on disk. Accepts NULL. */
kt_status imp_log_sync(imp_log *l, kt_error *err);

/* ---- rejects.c: the rejects CSV ---- */
typedef struct imp_rejects imp_rejects;
/* Through the output writer (kartoteka/output.h): nothing appears at path before close. */
kt_status imp_rejects_open(kt_ws *ws, const char *path, int replace, imp_rejects **out,
                           kt_error *err);
/* Writes the header (line, row, reasons, then the source's header) before the first row. */
kt_status imp_rejects_write(imp_rejects *r, const char *const *header, size_t nheader,
                            const kt_read_row *row, const char *reasons, kt_error *err);
/* Everything written so far on disk (in the temporary file): run before the import commits, so
 * an import whose rejects cannot be written commits nothing. Accepts NULL. */
kt_status imp_rejects_sync(imp_rejects *r, kt_error *err);
/* keep: put the file in place; else it is dropped and path left as it was. Accepts NULL. */
kt_status imp_rejects_close(imp_rejects *r, int keep, kt_error *err);

/* ---- batch.c: the kt_batch row ---- */
kt_status imp_batch_start(kt_ws *ws, const char *source, long long *id, kt_error *err);
kt_status imp_batch_finish(kt_ws *ws, long long id, const char *status,
                           const kt_import_summary *sum, kt_error *err);
kt_status imp_batch_forget(kt_ws *ws, long long id, kt_error *err);
/* Drops the lock imp_batch_start took (after the import's commit or rollback); 0: nothing. */
void imp_batch_release(kt_ws *ws, long long id);

/* ---- batch_table.c: owns kt_batch ---- */
/* A running import's row (summary: its first JSON, the process); *id its id. */
kt_status imp_batch_row_add(kt_store *s, const char *source, const char *at, const char *summary,
                            long long *id, kt_error *err);
kt_status imp_batch_row_finish(kt_store *s, long long id, const char *status, const char *at,
                               const char *summary, kt_error *err);
kt_status imp_batch_row_delete(kt_store *s, long long id, kt_error *err);
/* The batch's status into out; KT_NOTFOUND names the batch. */
kt_status imp_batch_row_status(kt_store *s, long long id, char *out, size_t size, kt_error *err);
kt_status imp_batch_row_undone(kt_store *s, long long id, kt_error *err);
/* Calls fn with each batch, oldest first, until it returns non-zero; b borrowed for the call. */
typedef int (*imp_batch_row_fn)(void *ud, kt_batch_info *b);
kt_status imp_batch_rows_each(kt_store *s, imp_batch_row_fn fn, void *ud, kt_error *err);

/* ---- verify.c: the summary checked against the batch's history before it is reported ---- */
/* KT_INTERNAL when the history holds fewer created records or changes than sum claims. */
kt_status imp_verify_counts(kt_ws *ws, const kt_import_summary *sum, kt_error *err);

/* ---- undo_set_table.c: owns temp.kt_undo_set, an undo's working set ---- */
/* The set emptied, then holding the records batch created. */
kt_status imp_undo_set_start(kt_store *s, long long batch, kt_error *err);
/* One round: the active records outside the set whose ref field f points into it join it as
 * dependants; *added grows by how many. */
kt_status imp_undo_set_grow(kt_store *s, const kt_field *f, long long *added, kt_error *err);
/* "3 sales, 1 deal" into b; *n the number of dependants. */
kt_status imp_undo_set_describe(kt_store *s, kt_buf *b, long *n, kt_error *err);
/* The dependants' ids, ascending; *ids allocated (kt_free). */
kt_status imp_undo_set_dependants(kt_store *s, kt_id **ids, size_t *n, kt_error *err);

/* ---- undo_dependants.c ---- */
/* Counts the active records outside the batch that refer (directly or through each other) to a
 * record it created: KT_CONSTRAINT naming how many of each entity, unless flags has
 * KT_UNDO_CASCADE (they are archived, counted in *archived) or KT_UNDO_FORCE. */
kt_status imp_undo_dependants(kt_ws *ws, long long batch, int flags, const kt_save_opts *so,
                              long *archived, kt_error *err);

/* ---- progress.c ---- */
/* Lines in the file (a fast count of line ends), for the ETA. 0 when unknown. */
long imp_count_lines(const char *path);

#endif
