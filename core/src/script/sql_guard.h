/* Internal: the one gate for SQL that scripts and reports run on the workspace's connection.
 * While a scope is open an authorizer allows only reads of the workspace's own tables,
 * read-only functions and pragmas that only read; everything else (ATTACH, DETACH, BEGIN,
 * COMMIT, ROLLBACK, SAVEPOINT, RELEASE, writes, schema changes, pragmas that set) is refused
 * and remembered. A scope opened with a host also bounds the SQL by that host's budget: its
 * deadline (a progress handler) and what is left of its memory. */
#ifndef KT_SCRIPT_SQL_GUARD_H
#define KT_SCRIPT_SQL_GUARD_H

#include <sqlite3.h>

#include "kartoteka/host.h"
#include "kartoteka/workspace.h"

/* Why SQL run under a limited scope was stopped. */
enum { SQL_STOP_NONE = 0, SQL_STOP_TIME = 1, SQL_STOP_MEMORY = 2 };

typedef struct sql_guard sql_guard;

typedef struct sql_scope {
    sql_guard *g; /* borrowed: the workspace's attachment */
    int open;
    unsigned long at;       /* refusals counted before this scope */
    int limited;            /* the limits below were set and are restored on leave */
    int old_length;         /* SQLITE_LIMIT_LENGTH before */
    sqlite3_int64 old_heap; /* sqlite3_hard_heap_limit64 before */
} sql_scope;

/* The guard of ws's connection, made (and its authorizer installed) on first use; borrowed,
 * freed with the workspace. */
kt_status sql_guard_of(kt_ws *ws, sql_guard **out, kt_error *err);
/* A guard for a bare connection (tests, fuzzing); sql_guard_free releases it (accepts NULL). */
sql_guard *sql_guard_new(sqlite3 *db);
void sql_guard_free(void *g);

/* Opens a read-only scope. host (borrowed, may be NULL) bounds the SQL by its budget.
 * recheck: every statement prepared before is authorized again before it next runs (a report,
 * during which the core's own cached statements run too). Scopes nest. */
void sql_guard_enter(sql_guard *g, kt_host *host, int recheck, sql_scope *s);
void sql_guard_leave(sql_scope *s);

/* 1 when something was refused since s was entered (also after it was left). */
int sql_guard_refused(const sql_scope *s);
/* What the first refusal since the outermost scope was entered was ("ATTACH /x.db"), and the
 * latest; borrowed, "" when none. */
const char *sql_guard_first(const sql_scope *s);
const char *sql_guard_last(const sql_scope *s);
/* SQL_STOP_* for the limited scope s. */
int sql_guard_stopped(const sql_scope *s);
/* The memory bound of the limited scope s in bytes (what the host's budget had left). */
sqlite3_int64 sql_guard_memory(const sql_scope *s);

#endif
