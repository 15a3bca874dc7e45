/* The gate for the SQL of scripts and reports. The authorizer stays installed on the
 * workspace's connection for its life and is inert outside a scope, so the core's own
 * statements are not re-prepared for every kt.query; a report's scope (recheck) expires them
 * once so that a write the core would do for the report is refused too. SQLite asks the
 * authorizer while it prepares, so a refused statement never runs at all. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "store/sql_guard.h"
#include "store/store_db.h"
#include "store/store_engine.h"

/* VM steps between two looks at the clock and the memory: a few microseconds of work. */
#define PROGRESS_STEPS 256

struct sql_guard {
    sqlite3 *db;
    int installed;
    int depth;
    unsigned long refusals;
    char first[160];
    char last[160];
    const sql_budget *budget; /* of the limited scope, NULL when none; borrowed */
    sqlite3_int64 mem_base, mem_cap;
    int stopped;
};

/* Pragmas that only read, which a script may use (pragma_table_info('person')). */
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

/* Functions with an effect outside the statement's result. Built-ins are otherwise pure, and
 * the only function the core registers (kt_fold) is deterministic. */
static int function_acts(const char *name)
{
    static const char *const no[] = {"load_extension", "fts3_tokenizer", "readfile",
                                     "writefile",      "edit",           "sqlite_dbpage"};
    for (size_t i = 0; name && i < sizeof no / sizeof no[0]; i++)
        if (sqlite3_stricmp(name, no[i]) == 0) return 1;
    return 0;
}

static int refuse(sql_guard *g, const char *what, const char *arg)
{
    snprintf(g->last, sizeof g->last, "%s%s%s", what, arg ? " " : "", arg ? arg : "");
    if (!g->refusals++) memcpy(g->first, g->last, sizeof g->first);
    return SQLITE_DENY;
}

static int authorize(void *ud, int action, const char *a1, const char *a2, const char *db,
                     const char *trigger)
{
    sql_guard *g = ud;
    (void)trigger;
    if (!g->depth) return SQLITE_OK;
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    case SQLITE_READ:
        /* ATTACH is refused, so these are the workspace's own tables */
        if (!db || !strcmp(db, "main") || !strcmp(db, "temp")) return SQLITE_OK;
        return refuse(g, "reading", db);
    case SQLITE_FUNCTION:
        return function_acts(a2) ? refuse(g, "function", a2) : SQLITE_OK;
    case SQLITE_PRAGMA:
        return pragma_reads(a1) ? SQLITE_OK : refuse(g, "PRAGMA", a1);
    case SQLITE_INSERT:
        return refuse(g, "insert into", a1);
    case SQLITE_UPDATE:
        /* SQLite itself asks this when a statement first uses an eponymous virtual table
         * (json_each); nothing else in a scope can write the schema */
        if (a1 && (!strcmp(a1, "sqlite_master") || !strcmp(a1, "sqlite_temp_master")))
            return SQLITE_OK;
        return refuse(g, "update of", a1);
    case SQLITE_DELETE:
        return refuse(g, "delete from", a1);
    case SQLITE_ATTACH:
        return refuse(g, "ATTACH", a1);
    case SQLITE_DETACH:
        return refuse(g, "DETACH", a1);
    case SQLITE_TRANSACTION:
        return refuse(g, a1 ? a1 : "transaction", NULL);
    case SQLITE_SAVEPOINT:
        return refuse(g, a1 && !strcmp(a1, "BEGIN") ? "SAVEPOINT" : a1 ? a1 : "SAVEPOINT", a2);
    default:
        return refuse(g, "schema change", a1);
    }
}

/* Asked every PROGRESS_STEPS steps of a limited scope's SQL; nonzero interrupts it (a
 * read-only statement that is interrupted leaves the transaction alone). */
static int progress(void *ud)
{
    sql_guard *g = ud;
    if (!g->budget) return 0;
    if ((g->budget->stop &&
         atomic_load_explicit(g->budget->stop, memory_order_relaxed) == g->budget->stop_time) ||
        g->stopped == SQL_STOP_TIME) {
        g->stopped = SQL_STOP_TIME;
        return 1;
    }
    if (sqlite3_memory_used() - g->mem_base > g->mem_cap) {
        g->stopped = SQL_STOP_MEMORY;
        return 1;
    }
    return 0;
}

sql_guard *sql_guard_new(sqlite3 *db)
{
    sql_guard *g = kt_calloc(1, sizeof *g);
    if (!g) return NULL;
    g->db = db;
    sqlite3_set_authorizer(db, authorize, g);
    g->installed = 1;
    return g;
}

/* The store frees its guard before it closes the connection, so the connection is still open
 * here. */
void sql_guard_free(sql_guard *g)
{
    if (!g) return;
    if (g->installed) sqlite3_set_authorizer(g->db, NULL, NULL);
    kt_free(g);
}

kt_status sql_guard_of(kt_store *store, sql_guard **out, kt_error *err)
{
    sql_guard **slot = kt_store_guard_slot(store);
    /* the guard is SQLite's authorizer: users' SQL on another engine waits for its own */
    if (!kt_store_db(store))
        return kt_error_set(err, KT_USAGE,
                            "SQL of scripts and reports: not yet available on a %s store",
                            kt_store_engine(store)->name);
    if (!*slot && !(*slot = sql_guard_new(kt_store_db(store))))
        return kt_error_set(err, KT_NOMEM, "out of memory");
    *out = *slot;
    return KT_OK;
}

void sql_guard_enter(sql_guard *g, const sql_budget *budget, int recheck, sql_scope *s)
{
    memset(s, 0, sizeof *s);
    s->g = g;
    s->open = 1;
    if (!g->depth++) {
        g->refusals = 0;
        g->first[0] = g->last[0] = '\0';
    }
    s->at = g->refusals;
    /* installing it again expires every prepared statement */
    if (recheck) sqlite3_set_authorizer(g->db, authorize, g);
    if (!budget || g->budget) return;
    /* What the script's budget has left bounds the SQL's memory: one value at most that
     * (SQLITE_TOOBIG), the whole statement checked every few steps, and twice that as the
     * hard stop for a row of many values built between two checks. */
    size_t left = budget->left;
    if (left < 65536) left = 65536;
    g->budget = budget;
    g->stopped = SQL_STOP_NONE;
    g->mem_base = sqlite3_memory_used();
    g->mem_cap = (sqlite3_int64)left;
    s->limited = 1;
    int length = sqlite3_limit(g->db, SQLITE_LIMIT_LENGTH, -1);
    s->old_length = length;
    if ((sqlite3_int64)length > g->mem_cap) sqlite3_limit(g->db, SQLITE_LIMIT_LENGTH, (int)left);
    s->old_heap = sqlite3_hard_heap_limit64(-1);
    sqlite3_int64 hard = g->mem_base + 2 * g->mem_cap;
    if (!s->old_heap || hard < s->old_heap) sqlite3_hard_heap_limit64(hard);
    sqlite3_progress_handler(g->db, PROGRESS_STEPS, progress, g);
}

void sql_guard_leave(sql_scope *s)
{
    sql_guard *g = s->g;
    if (!g || !s->open) return;
    if (s->limited) {
        sqlite3_progress_handler(g->db, 0, NULL, NULL);
        sqlite3_limit(g->db, SQLITE_LIMIT_LENGTH, s->old_length);
        sqlite3_hard_heap_limit64(s->old_heap);
        g->budget = NULL;
    }
    g->depth--;
    s->open = 0;
}

int sql_guard_refused(const sql_scope *s)
{
    return s->g && s->g->refusals > s->at;
}

const char *sql_guard_first(const sql_scope *s)
{
    return s->g ? s->g->first : "";
}

const char *sql_guard_last(const sql_scope *s)
{
    return s->g ? s->g->last : "";
}

int sql_guard_stopped(const sql_scope *s)
{
    return s->g ? s->g->stopped : SQL_STOP_NONE;
}

long long sql_guard_memory(const sql_scope *s)
{
    return s->g ? s->g->mem_cap : 0;
}
