/* Storage: the database of a workspace. Opens it with the pragmas Kartoteka relies on (WAL,
 * foreign keys, a busy timeout), migrates the core tables by number, keeps the registry and the
 * entity tables in step, caches prepared statements and nests transactions. Nothing above the
 * store names the engine: statements are kt_stmt, so a second engine plugs in here. */
#ifndef KARTOTEKA_STORE_H
#define KARTOTEKA_STORE_H

#include <stddef.h>

#include "kartoteka/error.h"
#include "kartoteka/registry.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kt_store kt_store;

typedef struct kt_store_opts {
    int create;    /* create the file when missing (else KT_NOTFOUND) */
    int read_only; /* open read-only with PRAGMA query_only: reports */
} kt_store_opts;

/* Opens (and migrates) the database at path. *out is freed with kt_store_close. */
kt_status kt_store_open(const char *path, const kt_store_opts *opts, kt_store **out, kt_error *err);
void kt_store_close(kt_store *s); /* accepts NULL; rolls back an open transaction */
/* 1 when where names a PostgreSQL database (postgresql:// or postgres://) rather than a file:
 * kt_store_open then connects to it (the password from PGPASSWORD or ~/.pgpass, never the URL). */
int kt_store_is_remote(const char *where);
/* Refuses, before anything is made, a location no store can open as given (a URL carrying a
 * password). */
kt_status kt_store_check(const char *where, kt_error *err);
/* The engine behind s, for messages: "SQLite" or "PostgreSQL". */
const char *kt_store_engine_name(const kt_store *s);

/* A prepared statement. Parameters are numbered from 1 (?1, ?2 in the SQL), columns from 0. */
typedef struct kt_stmt kt_stmt;

/* What kt_stmt_step gives: a row to read, or the end. Anything else is a failure that
 * kt_store_fail turns into an error. */
enum { KT_STMT_ROW = 100, KT_STMT_DONE = 101 };
/* The kind of a column's value in the current row. */
typedef enum { KT_COL_INT = 1, KT_COL_REAL, KT_COL_TEXT, KT_COL_BLOB, KT_COL_NULL } kt_col_kind;

/* A prepared statement from the store's cache, reset and with bindings cleared; borrowed
 * until kt_store_close. The same SQL text returns the same statement: do not nest uses. */
kt_status kt_store_prepare(kt_store *s, const char *sql, kt_stmt **stmt, kt_error *err);
/* A statement of the caller's own, outside the cache (one read while another of the same text
 * may run, or text built for one use); doing names the work in the error. Freed by the caller
 * with kt_stmt_free. */
kt_status kt_store_prepare_new(kt_store *s, const char *sql, const char *doing, kt_stmt **stmt,
                               kt_error *err);
/* SQL that a user wrote (kt.query, a report): exactly one statement, and one that only reads;
 * KT_USAGE for more than one, KT_DENIED for one that writes, KT_NOTFOUND for none (only
 * spaces or comments). Freed by the caller with kt_stmt_free. */
kt_status kt_store_prepare_user(kt_store *s, const char *sql, const char *doing, kt_stmt **stmt,
                                kt_error *err);

int kt_stmt_step(kt_stmt *st); /* KT_STMT_ROW, KT_STMT_DONE or a failure */
void kt_stmt_reset(kt_stmt *st);
void kt_stmt_clear(kt_stmt *st); /* every parameter back to null */
void kt_stmt_free(kt_stmt *st);  /* a kt_store_prepare_new statement; accepts NULL */
/* Binding returns 0, or non-zero when out of memory (or no such parameter). */
int kt_stmt_bind_int(kt_stmt *st, int i, long long v);
int kt_stmt_bind_double(kt_stmt *st, int i, double v);
int kt_stmt_bind_null(kt_stmt *st, int i);
/* v borrowed until the statement is reset or stepped to its end; NULL binds null. */
int kt_stmt_bind_text(kt_stmt *st, int i, const char *v);
/* v (len bytes, or up to its NUL when len is (size_t)-1) is copied. */
int kt_stmt_bind_text_copy(kt_stmt *st, int i, const char *v, size_t len);
/* v is taken (kt_free) even on failure. */
int kt_stmt_bind_text_owned(kt_stmt *st, int i, char *v);
/* len bytes at v, borrowed like kt_stmt_bind_text. */
int kt_stmt_bind_blob(kt_stmt *st, int i, const void *v, size_t len);
int kt_stmt_params(kt_stmt *st); /* how many parameters the SQL has */

long long kt_stmt_int(kt_stmt *st, int col);
double kt_stmt_double(kt_stmt *st, int col);
/* Borrowed until the next step or reset; NULL for a null value. */
const char *kt_stmt_text(kt_stmt *st, int col);
/* Borrowed like kt_stmt_text; *len its bytes. */
const void *kt_stmt_blob(kt_stmt *st, int col, size_t *len);
kt_col_kind kt_stmt_kind(kt_stmt *st, int col);
int kt_stmt_is_null(kt_stmt *st, int col);
int kt_stmt_columns(kt_stmt *st);
const char *kt_stmt_column_name(kt_stmt *st, int col); /* borrowed like kt_stmt_text */
/* Like kt_store_prepare_new, but a statement of the same text given back earlier is taken
 * instead of parsed again (text built per call that repeats: a listing judged per record).
 * The caller has it alone until kt_store_give_back (with the same text), which owns it from
 * then on. */
kt_status kt_store_borrow(kt_store *s, const char *sql, const char *doing, kt_stmt **stmt,
                          kt_error *err);
void kt_store_give_back(kt_store *s, const char *sql, kt_stmt *stmt); /* accepts NULL */
/* KT_OK while the outermost transaction is still open: after some failures (out of memory,
 * I/O) SQLite rolls it back by itself, and what follows would write piece by piece. what names
 * the work in the error ("the import"). */
kt_status kt_store_still_open(kt_store *s, const char *what, kt_error *err);
/* Bulk writing on (1) or back to normal (0): a row's savepoints keep their statement journals
 * in memory, and a bigger page cache keeps a batch's pages from spilling to the WAL row by row. */
void kt_store_bulk(kt_store *s, int on);
/* Prepare, bind, step, report in one call: runs sql once with the parameters that binds
 * spells, one letter each: 'i' a long long, 't' a const char * (NULL binds null), 'd' a
 * double, 'z' a long long bound as null when 0. doing names the work in the error. The
 * statement is left reset. */
kt_status kt_store_run(kt_store *s, const char *sql, const char *doing, kt_error *err,
                       const char *binds, ...);
/* The id of the row the last INSERT made, and how many rows the last statement changed. */
long long kt_store_last_id(kt_store *s);
long long kt_store_changes(kt_store *s);
/* The first column of the first row of sql, which takes no parameters (a count, a max(id));
 * doing names the work in the error when it fails. */
kt_status kt_store_int(kt_store *s, const char *sql, const char *doing, long long *out,
                       kt_error *err);

/* Transactions nest: the outermost is BEGIN IMMEDIATE (a writer waits for the lock up front
 * instead of failing half-way), inner ones are savepoints. Rollback undoes the innermost. */
kt_status kt_store_begin(kt_store *s, kt_error *err);
kt_status kt_store_commit(kt_store *s, kt_error *err);
void kt_store_rollback(kt_store *s);
/* An outermost transaction that takes the write lock only when something is written inside it
 * (a nested kt_store_begin): reading the configuration must not queue behind a long import. */
kt_status kt_store_begin_lazy(kt_store *s, kt_error *err);
int kt_store_depth(const kt_store *s); /* 0 when no transaction is open */
/* A consistent read-only view (a report): opens a read transaction when none is open (*began
 * says so) and makes the connection refuse every change until kt_store_read_end(s, *began). */
kt_status kt_store_read_begin(kt_store *s, int *began, kt_error *err);
void kt_store_read_end(kt_store *s, int began);

/* Who hears of transactions: search's staged entries, the dedupe overlay, caches register
 * themselves here instead of being steered by whoever opens a transaction. Every level is told
 * (depth: the level, 1 = the outermost); a lazy outermost transaction is told of once it writes
 * (one that never wrote, of nothing). committing runs inside the level, just before it ends; its
 * failure rolls the level back. Any hook may be NULL; ud borrowed. */
typedef struct kt_store_listener {
    void (*began)(void *ud, int depth);
    kt_status (*committing)(void *ud, int depth, kt_error *err);
    void (*committed)(void *ud, int depth);
    void (*rolled_back)(void *ud, int depth);
    void *ud;
} kt_store_listener;
/* l is borrowed until kt_store_unlisten (or kt_store_close); told in the order of listening. */
kt_status kt_store_listen(kt_store *s, const kt_store_listener *l, kt_error *err);
void kt_store_unlisten(kt_store *s, const kt_store_listener *l); /* accepts one not listening */

/* Turns the last failure of the database into err with some context. Returns the status set. */
kt_status kt_store_fail(kt_store *s, kt_error *err, const char *doing);
/* 1 when the last failure was a value or a result too large for the memory allowed. */
int kt_store_failed_on_size(kt_store *s);
/* 1 when the last failure was a constraint (a unique key already taken). */
int kt_store_failed_on_constraint(kt_store *s);
/* The database's own words for the last failure; borrowed until the next call on s. */
const char *kt_store_errmsg(kt_store *s);
/* 1 when the database was opened read-only (a report's connection). */
int kt_store_read_only(kt_store *s);

/* Freed pages are overwritten with zeros (on) or left as they are (off, SQLite's default). */
kt_status kt_store_secure_delete(kt_store *s, int on, kt_error *err);
/* Outside any transaction, after one that failed while writing to the full-text index: makes
 * the connection prepare every statement again, FTS5's own too (a schema change of the temp
 * database, which leaves the file alone). SQLite 3.40's FTS5 can keep a statement whose state
 * the rollback of a failed index write does not reset, and then finds its index "malformed"
 * on every later write through this connection, though the file is sound. */
kt_status kt_store_refresh(kt_store *s, kt_error *err);
/* Outside any transaction: rewrites the database without its free pages and empties the WAL.
 * *checkpointed is 0 when another connection still reads, so the WAL could not be emptied. */
kt_status kt_store_compact(kt_store *s, int *checkpointed, kt_error *err);

/* Reads kt_entity and kt_field into reg (which should be empty). */
kt_status kt_store_load_registry(kt_store *s, kt_registry *reg, kt_error *err);
/* The registry's version: grows with every change of a field (kt_field_change), by this
 * connection or any other, so a long-lived reader knows when to load the registry again. */
kt_status kt_store_registry_version(kt_store *s, long long *version, kt_error *err);
/* Persists an entity: the kt_entity row and its table. */
kt_status kt_store_put_entity(kt_store *s, const kt_entity *e, const char *origin, kt_error *err);
/* Persists a field: the kt_field row, its column (added to a populated table without touching
 * any record), its index, and a kt_field_change row when it is new or changed. */
kt_status kt_store_put_field(kt_store *s, const kt_field *f, const char *source, kt_error *err);
/* An index on entity's fields (n of them) for the import's match keys, kept once made. */
kt_status kt_store_put_match_index(kt_store *s, const char *entity, const char *const *fields,
                                   size_t n, kt_error *err);
/* An index on the month and day of entity.field (a date or datetime), for anniversaries
 * (query/list.c's KT_OP_ANNIVERSARY), kept once made. */
kt_status kt_store_put_month_day_index(kt_store *s, const char *entity, const char *field,
                                       kt_error *err);

/* kt field remove (retire = 1) and restore (0): marks the field in kt_field_retired and logs
 * the change; its kt_field row, column and values stay. KT_NOTFOUND when there is no such row. */
kt_status kt_store_field_retire(kt_store *s, const char *entity, const char *name, int retire,
                                const char *source, kt_error *err);
/* Reads one kt_field row (retired or not) into reg. */
kt_status kt_store_load_field(kt_store *s, kt_registry *reg, const char *entity, const char *name,
                              kt_error *err);
/* What became of a name the registry does not hold: *retired_at when it is a retired field,
 * else *renamed_to when kt field rename moved it (to the end of a chain of renames). Each is
 * allocated (kt_free) or NULL. */
kt_status kt_store_field_fate(kt_store *s, const char *entity, const char *name, char **retired_at,
                              char **renamed_to, kt_error *err);
/* Renames field f to new_name inside the caller's transaction: the kt_field row, the column,
 * its index, and two kt_field_change rows (renamed_to, renamed_from). */
kt_status kt_store_field_rename(kt_store *s, const kt_field *f, const char *new_name,
                                const char *source, kt_error *err);
/* How many records of f's entity hold a value of f (archived and merged ones too). */
kt_status kt_store_field_values(kt_store *s, const kt_field *f, long long *n, kt_error *err);
/* The retired fields (of entity, or all when NULL) in declaration order; cb returns non-zero
 * to stop. Strings borrowed for the call. */
typedef int (*kt_store_field_cb)(void *ud, const char *entity, const char *name, const char *type,
                                 const char *retired_at);
kt_status kt_store_retired_fields(kt_store *s, const char *entity, kt_store_field_cb cb, void *ud,
                                  kt_error *err);

/* The current time, UTC, as "YYYY-MM-DDTHH:MM:SSZ" (honours KT_NOW for tests). */
void kt_store_now(char out[32]);

/* A double-quoted SQL identifier for a checked name (names are checked identifiers, so this
 * only guards). Writes into out (size >= 70). */
void kt_sql_ident(const char *name, char *out, size_t size);

#ifdef __cplusplus
}
#endif
#endif
