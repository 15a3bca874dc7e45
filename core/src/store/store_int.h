/* Internal to the store: the kt_store the store's own files share (store.c keeps the
 * statements, transaction.c the transactions). */
#ifndef KT_STORE_INT_H
#define KT_STORE_INT_H

#include "kartoteka/store.h"
#include "store/sql_guard.h"
#include "store/store_engine.h"

#define CACHE_SLOTS 64
#define LISTENERS 8   /* search, the dedupe overlay, a few caches */
#define IDLE_SLOTS 16 /* listings given back, by text: kt_list's few shapes in a loop */

typedef struct cached {
    char *sql;
    unsigned long hash; /* of sql: the lookup runs several times per saved record */
    kt_stmt *stmt;
} cached;

struct kt_store {
    const kt_engine *eng;
    void *conn; /* the engine's own, freed by its close */
    int depth;
    int committing; /* our own COMMIT is running */
    int pending;    /* the outermost transaction is lazy and its BEGIN not issued yet */
    const kt_store_listener *listeners[LISTENERS]; /* borrowed */
    size_t nlisteners;
    cached cache[CACHE_SLOTS];
    size_t ncache;
    cached idle[IDLE_SLOTS]; /* owned; each out of use until borrowed again */
    size_t nidle;
    long busy_ms;     /* how long a writer waits for another before KT_BUSY */
    sql_guard *guard; /* made on first use by sql_guard_of */
};

/* SQL without parameters through the engine; err may be NULL. */
kt_status store_exec(kt_store *s, const char *sql, kt_error *err);
/* The same, prepared once and kept in the statement cache (savepoints, several per row). */
kt_status store_exec_cached(kt_store *s, const char *sql, kt_error *err);

#endif
