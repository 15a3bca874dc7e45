/* Internal to the store: the SQLite connection behind a kt_store, for the store's own files
 * (the statements, backups, the guard on users' SQL). Nothing outside core/src/store/ includes
 * this: everything above speaks kt_stmt. */
#ifndef KT_STORE_DB_H
#define KT_STORE_DB_H

#include <sqlite3.h>

#include "kartoteka/store.h"
#include "store/sql_guard.h"

/* The handle, borrowed for the store's life. */
sqlite3 *kt_store_db(kt_store *s);

/* Where the connection's guard is kept (NULL until sql_guard_of makes it); freed at close. */
sql_guard **kt_store_guard_slot(kt_store *s);
/* A guard for a bare connection (tests, fuzzing); sql_guard_free releases it (accepts NULL). */
sql_guard *sql_guard_new(sqlite3 *db);

/* A kt_stmt is the engine's statement itself: the casts live here alone. */
static inline sqlite3_stmt *stmt_of(kt_stmt *st)
{
    return (sqlite3_stmt *)(void *)st;
}
static inline kt_stmt *stmt_wrap(sqlite3_stmt *st)
{
    return (kt_stmt *)(void *)st;
}

#endif
