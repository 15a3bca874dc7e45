/* Reports read; they never write. For the run of a report the workspace's connection gets
 * PRAGMA query_only (SQLite refuses any change) and the script SQL guard (sql_guard.c), which
 * refuses every statement that would change something and remembers the attempt: a report
 * that swallows the error with pcall is still failed afterwards. One read transaction gives
 * the report a consistent view. */
#include <stdio.h>
#include <string.h>

#include "report/report_int.h"

kt_status report_guard_begin(kt_ws *ws, report_guard *g, kt_error *err)
{
    memset(g, 0, sizeof *g);
    sql_guard *sg = NULL;
    kt_status st = sql_guard_of(kt_ws_store(ws), &sg, err);
    if (st || (st = kt_store_read_begin(kt_ws_store(ws), &g->began, err))) return st;
    g->store = kt_ws_store(ws);
    /* recheck: the core's cached statements are authorized again before they next run */
    sql_guard_enter(sg, NULL, 1, &g->scope);
    return KT_OK;
}

void report_guard_end(report_guard *g)
{
    if (!g->store) return;
    sql_guard_leave(&g->scope);
    if (sql_guard_refused(&g->scope)) {
        g->tried = 1;
        snprintf(g->what, sizeof g->what, "%s", sql_guard_first(&g->scope));
    }
    kt_store_read_end(g->store, g->began);
    g->store = NULL;
}
