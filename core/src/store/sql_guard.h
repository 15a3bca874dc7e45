/* Internal: the one gate for SQL that scripts and reports run on the workspace's connection.
 * While a scope is open an authorizer allows only reads of the workspace's own tables,
 * read-only functions and pragmas that only read; everything else (ATTACH, DETACH, BEGIN,
 * COMMIT, ROLLBACK, SAVEPOINT, RELEASE, writes, schema changes, pragmas that set) is refused
 * and remembered. A scope opened with a budget (a script's) also bounds the SQL by it: its
 * deadline (a progress handler) and what is left of its memory. */
#ifndef KT_STORE_SQL_GUARD_H
#define KT_STORE_SQL_GUARD_H

#include <stdatomic.h>
#include <stddef.h>

#include "kartoteka/store.h"

/* Why SQL run under a limited scope was stopped. */
enum { SQL_STOP_NONE = 0, SQL_STOP_TIME = 1, SQL_STOP_MEMORY = 2 };

typedef struct sql_guard sql_guard;

/* What bounds a limited scope (a script's budget): the memory it has left, and a flag another
 * thread sets to stop_time when its time is up. stop borrowed, may be NULL. */
typedef struct sql_budget {
    size_t left;
    const atomic_int *stop;
    int stop_time;
} sql_budget;

typedef struct sql_scope {
    sql_guard *g; /* borrowed: the workspace's attachment */
    int open;
    unsigned long at;   /* refusals counted before this scope */
    int limited;        /* the limits below were set and are restored on leave */
    int old_length;     /* SQLITE_LIMIT_LENGTH before */
    long long old_heap; /* the hard heap limit before */
} sql_scope;

/* The guard of the store's connection, made (and its authorizer installed) on first use;
 * borrowed, freed with the store. */
kt_status sql_guard_of(kt_store *store, sql_guard **out, kt_error *err);
void sql_guard_free(sql_guard *g); /* accepts NULL */

/* Opens a read-only scope. budget (borrowed for the scope, may be NULL) bounds the SQL.
 * recheck: every statement prepared before is authorized again before it next runs (a report,
 * during which the core's own cached statements run too). Scopes nest. */
void sql_guard_enter(sql_guard *g, const sql_budget *budget, int recheck, sql_scope *s);
void sql_guard_leave(sql_scope *s);

/* 1 when something was refused since s was entered (also after it was left). */
int sql_guard_refused(const sql_scope *s);
/* What the first refusal since the outermost scope was entered was ("ATTACH /x.db"), and the
 * latest; borrowed, "" when none. */
const char *sql_guard_first(const sql_scope *s);
const char *sql_guard_last(const sql_scope *s);
/* SQL_STOP_* for the limited scope s. */
int sql_guard_stopped(const sql_scope *s);
/* The memory bound of the limited scope s in bytes (what the budget had left). */
long long sql_guard_memory(const sql_scope *s);

#endif
