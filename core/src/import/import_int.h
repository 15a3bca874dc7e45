/* Internal to the import pipeline: the loaded script, the matcher, the rejects writer and the
 * batch table. Each piece lives in a file of its own; run.c drives them row by row. */
#ifndef KT_IMPORT_IMPORT_INT_H
#define KT_IMPORT_IMPORT_INT_H

#include <lua.h>
#include <stdio.h>

#include "kartoteka/buf.h"
#include "kartoteka/host.h"
#include "kartoteka/import.h"
#include "kartoteka/read.h"
#include "kartoteka/save.h"

/* A match key: one field, or several that must all be equal ({ "customer", "date" }). */
typedef struct imp_key {
    char **fields;
    size_t n;
} imp_key;

typedef struct imp_keys {
    imp_key *items;
    size_t n;
} imp_keys;

void imp_keys_free(imp_keys *k);
/* Reads a match list from the Lua value at idx (nil = no keys). */
kt_status imp_keys_from_lua(lua_State *L, int idx, imp_keys *out, kt_error *err);

/* ---- script.c: the mapping script, loaded once ---- */
typedef struct imp_script {
    kt_ws *ws;
    kt_host *host;
    lua_State *L;
    int ref_map;  /* LUA_NOREF: identity mapping */
    int ref_ctx;  /* the ctx table handed to every map call */
    char *entity; /* default entity of returned records */
    imp_keys keys;
    kt_on_match on_match;
    int no_dedupe; /* the script said dedupe = false */
    kt_read_opts read;
    char *format, *encoding, *sheet; /* owned strings behind read */
} imp_script;

struct imp_matcher;
/* Loads path (NULL: identity mapping for entity). ctx.lookup uses m. */
kt_status imp_script_load(imp_script *s, kt_ws *ws, const char *path, const char *entity,
                          const char *file, struct imp_matcher *m, kt_error *err);
void imp_script_free(imp_script *s);

/* One record a row produced, ready to be matched and saved. */
typedef struct imp_out {
    kt_record *rec;
    char *ref;     /* the name other records of the row refer to it by, or NULL */
    imp_keys keys; /* its own match keys (record table's `match`), else n == 0 */
    int has_keys;
    kt_on_match on_match; /* its own on_match, or KT_ON_MATCH_SCRIPT */
    long nth;             /* match the nth record with equal keys (repeated lines), default 1 */
    int no_dedupe;        /* dedupe = false: this record matches by its keys only */
} imp_out;

/* Calls map(row, ctx) and leaves its result on the Lua stack, normalised to an array of
 * record tables (empty for nil). Returns the array's stack index in *idx; the caller pops. */
kt_status imp_script_map(imp_script *s, const kt_read_row *row, int *idx, size_t *count,
                         kt_error *err);
/* Converts element i (1-based) of the array at idx into o, replacing { ref = "name" } values by
 * the ids in refs/ids (names of records saved earlier in the row). Failures of the conversion
 * (a bad value type) are added to fails with the field named, and *ok cleared. */
kt_status imp_script_record(imp_script *s, int idx, size_t i, char **refs, const kt_id *ids,
                            size_t nrefs, imp_out *o, kt_failures *fails, int *ok, kt_error *err);
void imp_out_clear(imp_out *o);

/* Set fields given as text ("dog, cat", "dog;cat", a JSON array) become lists. */
kt_status imp_coerce_sets(kt_ws *ws, kt_record *rec, kt_error *err);

/* ---- builtin_map.c: imports without a script (the map chosen by the reader's format) ---- */
typedef struct imp_builtin imp_builtin;
/* *out = NULL when the format has no built-in map (the identity mapping then serves). */
kt_status imp_builtin_new(kt_ws *ws, const char *format, imp_builtin **out, kt_error *err);
void imp_builtin_free(imp_builtin *b); /* accepts NULL */
/* As imp_script_map. A row that must not become a record (a nameless vCard) leaves nothing on
 * the stack, sets *refused and adds the reason to fails. */
kt_status imp_builtin_map(imp_builtin *b, imp_script *s, const kt_read_row *row, int *idx,
                          size_t *count, kt_failures *fails, int *refused, kt_error *err);
/* The record the current row's export key names here already, or 0 (b may be NULL). */
kt_id imp_builtin_known(const imp_builtin *b);
/* After the row's record was saved as id: remembers its export key, archives it when the file
 * says so, and keeps the references (and merge) that wait for records further on. */
kt_status imp_builtin_saved(imp_builtin *b, kt_id id, int created, const kt_save_opts *so,
                            kt_error *err);
/* After the last row: the references that waited, and merges. A reference to a record neither
 * in the file nor in the workspace fails the import, naming its line. */
kt_status imp_builtin_finish(imp_builtin *b, const kt_save_opts *so, kt_error *err);

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

/* ---- verify.c: the summary checked against the batch's history before it is reported ---- */
/* KT_INTERNAL when the history holds fewer created records or changes than sum claims. */
kt_status imp_verify_counts(kt_ws *ws, const kt_import_summary *sum, kt_error *err);

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
