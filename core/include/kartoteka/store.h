/* Storage: the SQLite database of a workspace. Opens it with the pragmas Kartoteka relies on
 * (WAL, foreign keys, a busy timeout), migrates the core tables by number, keeps the registry
 * and the entity tables in step, caches prepared statements and nests transactions. */
#ifndef KARTOTEKA_STORE_H
#define KARTOTEKA_STORE_H

#include <sqlite3.h>

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

/* The SQLite handle, borrowed for the store's life. */
sqlite3 *kt_store_db(kt_store *s);

/* A prepared statement from the store's cache, reset and with bindings cleared; borrowed
 * until kt_store_close. The same SQL text returns the same statement: do not nest uses. */
kt_status kt_store_prepare(kt_store *s, const char *sql, sqlite3_stmt **stmt, kt_error *err);
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

/* Work that must happen once per transaction, just before the outermost COMMIT (flushing staged
 * search entries). A failure rolls the transaction back. One hook; ud borrowed. */
typedef kt_status (*kt_store_commit_fn)(void *ud, kt_error *err);
void kt_store_before_commit(kt_store *s, kt_store_commit_fn fn, void *ud);

/* Turns the last SQLite failure into err with some context. Returns the status set. */
kt_status kt_store_fail(kt_store *s, kt_error *err, const char *doing);

/* Reads kt_entity and kt_field into reg (which should be empty). */
kt_status kt_store_load_registry(kt_store *s, kt_registry *reg, kt_error *err);
/* Persists an entity: the kt_entity row and its table. */
kt_status kt_store_put_entity(kt_store *s, const kt_entity *e, const char *origin, kt_error *err);
/* Persists a field: the kt_field row, its column (added to a populated table without touching
 * any record), its index, and a kt_field_change row when it is new or changed. */
kt_status kt_store_put_field(kt_store *s, const kt_field *f, const char *source, kt_error *err);

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
