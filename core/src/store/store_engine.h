/* Internal to the store: what an engine (SQLite, PostgreSQL) supplies behind kt_store and
 * kt_stmt. The store keeps what both share (the statement cache, nested transactions and their
 * listeners, kt_store_run); an engine keeps its connection and speaks its own dialect. */
#ifndef KT_STORE_ENGINE_H
#define KT_STORE_ENGINE_H

#include <stddef.h>

#include "kartoteka/store.h"

/* How a bound text is held: borrowed until reset, copied, or taken (kt_free). */
typedef enum { KT_BIND_BORROW, KT_BIND_COPY, KT_BIND_TAKE } kt_bind_how;

typedef struct kt_stmt_ops {
    int (*step)(kt_stmt *st);
    void (*reset)(kt_stmt *st);
    void (*clear)(kt_stmt *st);
    void (*free)(kt_stmt *st);
    int (*bind_int)(kt_stmt *st, int i, long long v);
    int (*bind_double)(kt_stmt *st, int i, double v);
    int (*bind_null)(kt_stmt *st, int i);
    /* len (size_t)-1: up to the NUL; v NULL binds null */
    int (*bind_text)(kt_stmt *st, int i, const char *v, size_t len, kt_bind_how how);
    int (*bind_blob)(kt_stmt *st, int i, const void *v, size_t len);
    int (*params)(kt_stmt *st);
    long long (*col_int)(kt_stmt *st, int col);
    double (*col_double)(kt_stmt *st, int col);
    const char *(*col_text)(kt_stmt *st, int col);
    const void *(*col_blob)(kt_stmt *st, int col, size_t *len);
    kt_col_kind (*kind)(kt_stmt *st, int col);
    int (*columns)(kt_stmt *st);
    const char *(*column_name)(kt_stmt *st, int col);
} kt_stmt_ops;

typedef struct kt_engine {
    const char *name; /* "SQLite", "PostgreSQL": for messages */
    /* Refuses where before anything is made (a file that is missing and may not be created). */
    kt_status (*check)(const char *where, const kt_store_opts *opts, kt_error *err);
    /* Opens the connection (kt_store_set_conn), sets it up and migrates the schema unless
     * opts asks for read-only. The store closes it on failure. */
    kt_status (*open)(kt_store *s, const char *where, const kt_store_opts *opts, kt_error *err);
    void (*close)(kt_store *s); /* the connection (may be NULL: a failed open) */
    /* SQL without parameters, one or more statements; err may be NULL (a rollback). */
    kt_status (*exec)(kt_store *s, const char *sql, kt_error *err);
    /* One statement; persistent for the cache; *tail (when tail is not NULL) points past it.
     * Non-zero on failure, which kt_store_fail then reports. */
    int (*prepare)(kt_store *s, const char *sql, int persistent, kt_stmt **out, const char **tail);
    int (*stmt_read_only)(kt_stmt *st); /* NULL: users' SQL is refused on this engine */
    /* The last failure as a status and the engine's words (KT_BUSY is worded by the store). */
    kt_status (*status)(kt_store *s);
    const char *(*errmsg)(kt_store *s);
    int (*failed_on_size)(kt_store *s);
    int (*in_transaction)(kt_store *s); /* the engine still holds the outermost transaction */
    long long (*last_id)(kt_store *s);
    long long (*changes)(kt_store *s);
    int (*read_only)(kt_store *s);
    const char *begin;  /* the outermost BEGIN: a writer takes its lock up front */
    const char *commit; /* "COMMIT" */
    /* A read-only view on (1) or off (0) of the open transaction (or connection). */
    kt_status (*query_only)(kt_store *s, int on, kt_error *err);
    void (*bulk)(kt_store *s, int on);
    kt_status (*secure_delete)(kt_store *s, int on, kt_error *err);
    kt_status (*compact)(kt_store *s, int *checkpointed, kt_error *err);
} kt_engine;

extern const kt_engine kt_sqlite_engine;
extern const kt_engine kt_pg_engine;
extern const kt_stmt_ops kt_sqlite_stmt_ops;
extern const kt_stmt_ops kt_pg_stmt_ops;

/* The engine's connection, owned by the engine (set by its open, freed by its close). */
void *kt_store_conn(kt_store *s);
void kt_store_set_conn(kt_store *s, void *conn);
const kt_engine *kt_store_engine(const kt_store *s);
/* How long a writer waits for another (ms) before KT_BUSY. */
long kt_store_busy_ms(const kt_store *s);
/* 1 while a transaction of ours is open and our own COMMIT is not the one running: the moment
 * any other commit must be refused. */
int kt_store_guards_commit(const kt_store *s);
/* Runs SQL without parameters; non-zero on failure, which kt_store_fail or kt_store_errmsg then
 * describe. */
int kt_store_exec_quiet(kt_store *s, const char *sql);

/* A kt_stmt of PostgreSQL is tagged in its lowest address bit (an allocation is aligned, so the
 * bit is free): SQLite's statements stay the engine's own pointer, cast and nothing more. */
#include <stdint.h>
static inline int kt_stmt_tagged(const kt_stmt *st)
{
    return (int)((uintptr_t)st & 1u);
}

#endif
