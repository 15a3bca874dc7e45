/* Reports read; they never write. For the run of a report the workspace's connection gets
 * PRAGMA query_only (SQLite refuses any change) and the script SQL guard (sql_guard.c), which
 * refuses every statement that would change something and remembers the attempt: a report
 * that swallows the error with pcall is still failed afterwards. One read transaction gives
 * the report a consistent view. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "report/report_int.h"

kt_status report_guard_begin(kt_ws *ws, report_guard *g, kt_error *err)
{
    sqlite3 *db = kt_store_db(kt_ws_store(ws));
    memset(g, 0, sizeof *g);
    sql_guard *sg = NULL;
    kt_status st = sql_guard_of(ws, &sg, err);
    if (st) return st;
    g->db = db;
    if (sqlite3_get_autocommit(db)) {
        if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
            return kt_error_set(err, KT_INTERNAL, "starting the report's read: %s",
                                sqlite3_errmsg(db));
        g->began = 1;
    }
    if (sqlite3_exec(db, "PRAGMA query_only = ON", NULL, NULL, NULL) != SQLITE_OK) {
        kt_error_set(err, KT_INTERNAL, "making the connection read-only: %s", sqlite3_errmsg(db));
        if (g->began) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return err ? err->code : KT_INTERNAL;
    }
    /* recheck: the core's cached statements are authorized again before they next run */
    sql_guard_enter(sg, NULL, 1, &g->scope);
    return KT_OK;
}

void report_guard_end(report_guard *g)
{
    sqlite3 *db = g->db;
    if (!db) return;
    sql_guard_leave(&g->scope);
    if (sql_guard_refused(&g->scope)) {
        g->tried = 1;
        snprintf(g->what, sizeof g->what, "%s", sql_guard_first(&g->scope));
    }
    sqlite3_exec(db, "PRAGMA query_only = OFF", NULL, NULL, NULL);
    if (g->began) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    g->db = NULL;
}
