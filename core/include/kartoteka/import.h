/* Import: a file through a per-client Lua mapping script into records, as one batch that can
 * be listed and undone.
 *
 * The script returns a table:
 *   entity   = "person"                       default entity of the records map returns
 *   read     = { format, encoding, delimiter, sheet, header = false }   each detected if left out
 *   map      = function(row, ctx) ... end     row: cells by header name and by position (row[1])
 *   match    = { "external_id", "email", { "customer", "date" } }   keys, in order; a list is a
 *              composite key. The first key the record has values for decides (values normalised
 *              through the field's type, as the write door stores them: two spellings of one
 *              phone match). When that key finds nothing (or none is usable) the duplicate
 *              detection engine (dedupe.h) proposes its best candidate, unless --no-dedupe or
 *              dedupe = false; a record found only by similarity is merged (its empty fields
 *              filled), never overwritten, whatever on_match says (except skip and create).
 *   on_match = "update" | "skip" | "merge" | "create"   (default update; --on-match overrides)
 *   dedupe   = false                          match by the keys only
 * ctx: ctx.file, ctx.entity, ctx.line (the row's line), ctx.translate(value, table) (a value, or a
 * ","/";"-separated list -> a list, through the table ignoring case; unknown values stay as they
 * are, so validation names them), ctx.lookup(entity, field, value) (the id of the active record
 * whose field equals the normalised value, or nil).
 * map returns nil (the row is skipped), a record table, or a list of record tables. A record
 * table holds fields by name plus reserved keys: entity, ref = "name" (how later records of the
 * same row refer to it: company = { ref = "name" } becomes its id once it is saved), match and
 * on_match (this record's own, winning over --on-match: a row's company can be "skip" while its
 * person is "create"), dedupe = false (this record matches by its keys only), nth = n (match the
 * nth oldest record with equal keys: repeated lines).
 * Empty strings are dropped (an empty cell says nothing: update never clears a field; kt.null
 * does); set fields may be given as "a, b; c", a JSON array text or a list; id is ignored.
 * Without a script the identity mapping is used (every key naming a field of the row's `entity`
 * column, or of opts->entity, matched on external_id), which is how `kt export --format ndjson`
 * reads back.
 *
 * Every row ends in exactly one fate: rejected when the write door refuses any of its records
 * (all of the row's records are then rolled back: a savepoint per row); else created if any of
 * its records was created, updated / merged if one changed, skipped otherwise (map returned nil,
 * on_match skip, or nothing changed). A record that matched a stored one is first judged as a
 * new record would be (kt_save_check: every field and rule, required ones included), so a bad
 * value is rejected whatever the match decides, and a re-run rejects the same rows. Rejected
 * rows go to the rejects CSV: line, row, every reason ("field: message; ..."), the original
 * cells; opts->log lists every row's fate.
 * The external id of a record absorbed into a stored one (and the one an update replaced) stays
 * attached to it as an alias (record/alias.c): an external_id match key, ctx.lookup and
 * kt_external_find find the record by any of them.
 *
 * The whole file is one transaction (prepared statements, indexed lookups, one budgeted Lua call
 * per row): a malformed file or a failing script rolls everything back and forgets the batch,
 * so the database is exactly as it was. The batch row is committed before the first row with
 * status "running": a process that dies half-way leaves it so, and kt_import_list reports it as
 * "interrupted" once its process is gone (nothing of it was committed; run the import again). */
#ifndef KARTOTEKA_IMPORT_H
#define KARTOTEKA_IMPORT_H

#include <stddef.h>

#include "kartoteka/error.h"
#include "kartoteka/record.h"
#include "kartoteka/workspace.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kt_on_match {
    KT_ON_MATCH_SCRIPT = 0, /* what the script says (default "update") */
    KT_ON_MATCH_UPDATE,     /* set the mapped non-empty fields on the matched record */
    KT_ON_MATCH_SKIP,       /* leave the matched record alone: the row is skipped */
    KT_ON_MATCH_MERGE,      /* fill only the matched record's empty fields */
    KT_ON_MATCH_CREATE,     /* never match: always a new record */
} kt_on_match;

/* "update" -> KT_ON_MATCH_UPDATE ...; -1 for an unknown name. */
int kt_on_match_parse(const char *name);

typedef enum kt_row_fate {
    KT_FATE_CREATED,
    KT_FATE_UPDATED,
    KT_FATE_MERGED,
    KT_FATE_SKIPPED,
    KT_FATE_REJECTED,
} kt_row_fate;

typedef struct kt_import_summary {
    long long batch; /* 0 for a dry run */
    long rows, created, updated, merged, skipped, rejected;
    char encoding[24];          /* the file was read in ("CP1252"); "" for plugin readers */
    double encoding_confidence; /* 1 when given or certain; a detected code page's confidence */
    int encoding_detected;      /* an 8-bit code page guessed from the text */
} kt_import_summary;

/* One field of a record a row touched, for --diff: old NULL on a create. Borrowed. */
typedef struct kt_import_change {
    const char *field, *old, *new_;
} kt_import_change;

/* Called per record written (or that would be written): action "create", "update", "merge". */
typedef void (*kt_import_diff_fn)(void *ud, long line, const char *action, const char *entity,
                                  kt_id id, const kt_import_change *changes, size_t n);
/* Called every 100 rows and at the end: rows so far, the file's line, total lines (0
 * when unknown). */
typedef void (*kt_import_progress_fn)(void *ud, long rows, long line, long total_lines);

typedef struct kt_import_opts {
    const char *script; /* the mapping script, or NULL for the identity mapping */
    const char *entity; /* identity mapping: the entity when rows carry none */
    const char *format; /* overrides the script's read.format; NULL = script / detect */
    kt_on_match on_match;
    int dry_run;            /* do everything, then roll back */
    const char *rejects;    /* path of the rejects CSV (kartoteka/output.h), or NULL */
    const char *log;        /* path of the row log (kartoteka/output.h; NDJSON when it ends in
                               .ndjson, .jsonl or .json, else CSV), or NULL */
    kt_import_diff_fn diff; /* may be NULL */
    void *diff_ud;
    kt_import_progress_fn progress; /* may be NULL */
    void *progress_ud;
    const char *source; /* history source; NULL = "import FILE" */
    int no_dedupe;      /* match by the script's keys only: no duplicate detection
                           (neither as the matcher's fallback nor the write door's
                           on-entry check); the script may say dedupe = false too */
    int rejects_replace; /* an existing rejects file may be replaced (kt import --force) */
    /* Instead of a script: the import map a plugin registered under this name
     * (kartoteka/import_map.h), or NULL. */
    const char *map;
} kt_import_opts;

/* Imports path. On KT_OK *sum holds the counts (they add up to sum->rows). A malformed file, a
 * failing script or an unwritable rejects file returns the error (naming line or position) and
 * leaves the database unchanged. */
kt_status kt_import_run(kt_ws *ws, const char *path, const kt_import_opts *opts,
                        kt_import_summary *sum, kt_error *err);

/* One batch as `kt import list` shows it. Borrowed for the callback. */
typedef struct kt_batch_info {
    long long id;
    const char *kind, *source, *started_at, *finished_at; /* finished_at may be NULL */
    const char *status;                                   /* running, done, interrupted, undone */
    const char *summary;                                  /* JSON text, or NULL */
} kt_batch_info;
typedef int (*kt_batch_cb)(void *ud, const kt_batch_info *b); /* non-zero stops */

kt_status kt_import_list(kt_ws *ws, kt_batch_cb cb, void *ud, kt_error *err);

typedef struct kt_undo_result {
    long archived;   /* records the batch created, now archived */
    long dependants; /* later records referring to them, archived too (KT_UNDO_CASCADE) */
    long restored;   /* records the batch updated or merged, fields set back */
    long fields;     /* fields set back */
} kt_undo_result;

#define KT_UNDO_FORCE 1   /* undo although later changes or later records are in the way */
#define KT_UNDO_CASCADE 2 /* archive the later records that refer to the batch's records too */

/* Returns every record the batch created (archived) or changed (fields restored from the
 * batch's history rows) to its state before the batch, and detaches the external ids it
 * attached as aliases, in one transaction, recorded in history with source "undo batch N".
 * KT_CONSTRAINT, naming record and field, when a later change to the same field would be lost,
 * unless KT_UNDO_FORCE; KT_CONSTRAINT, naming how many records of each entity, when later
 * records refer to records the batch created (the sales of an imported person), unless
 * KT_UNDO_CASCADE (they are archived as part of the same undo) or KT_UNDO_FORCE (they are left
 * pointing at archived records). KT_NOTFOUND for an unknown batch, KT_INVALID for one already
 * undone. */
kt_status kt_import_undo(kt_ws *ws, long long batch, int flags, kt_undo_result *res, kt_error *err);

#ifdef __cplusplus
}
#endif
#endif
