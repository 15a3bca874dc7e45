/* Reports read; they never write. For the run of a report the workspace's connection gets
 * PRAGMA query_only (SQLite refuses any change) and an authorizer that refuses every statement
 * that would change something, remembering the attempt: a report that swallows the error with
 * pcall is still failed afterwards. One read transaction gives the report a consistent view. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "report/report_int.h"

/* Pragmas that only read, which a report may use (pragma_table_info('person')). */
static int pragma_reads(const char *name)
{
    static const char *const ok[] = {"table_info",    "table_xinfo",    "index_list",
                                     "index_info",    "index_xinfo",    "foreign_key_list",
                                     "function_list", "collation_list", "pragma_list",
                                     "table_list",    "database_list",  "compile_options"};
    for (size_t i = 0; name && i < sizeof ok / sizeof ok[0]; i++)
        if (strcmp(name, ok[i]) == 0) return 1;
    return 0;
}

static int refuse(report_guard *g, const char *what, const char *arg)
{
    if (!g->tried) {
        g->tried = 1;
        snprintf(g->what, sizeof g->what, "%s%s%s", what, arg ? " " : "", arg ? arg : "");
    }
    return SQLITE_DENY;
}

static int authorize(void *ud, int action, const char *a1, const char *a2, const char *db,
                     const char *trigger)
{
    report_guard *g = ud;
    (void)a2;
    (void)db;
    (void)trigger;
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    case SQLITE_PRAGMA:
        return pragma_reads(a1) ? SQLITE_OK : refuse(g, "PRAGMA", a1);
    case SQLITE_INSERT:
        return refuse(g, "insert into", a1);
    case SQLITE_UPDATE:
        /* SQLite itself asks this when a statement first uses an eponymous virtual table
         * (json_each); query_only still stops any real change of the schema */
        if (a1 && (!strcmp(a1, "sqlite_master") || !strcmp(a1, "sqlite_temp_master")))
            return SQLITE_OK;
        return refuse(g, "update of", a1);
    case SQLITE_DELETE:
        return refuse(g, "delete from", a1);
    case SQLITE_TRANSACTION:
        return refuse(g, "transaction", a1);
    case SQLITE_SAVEPOINT:
        return refuse(g, "savepoint", a2);
    default:
        return refuse(g, "schema change", a1);
    }
}

kt_status report_guard_begin(kt_ws *ws, report_guard *g, kt_error *err)
{
    sqlite3 *db = kt_store_db(kt_ws_store(ws));
    memset(g, 0, sizeof *g);
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
    /* also expires every cached statement, so the authorizer sees them again */
    sqlite3_set_authorizer(db, authorize, g);
    return KT_OK;
}

void report_guard_end(report_guard *g)
{
    sqlite3 *db = g->db;
    if (!db) return;
    sqlite3_set_authorizer(db, NULL, NULL);
    sqlite3_exec(db, "PRAGMA query_only = OFF", NULL, NULL, NULL);
    if (g->began) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    g->db = NULL;
}
