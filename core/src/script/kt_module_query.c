/* kt.query: read-only SQL for what filters cannot say, through the script SQL guard. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "script/host_int.h"
#include "script/kt_module_int.h"
#include "script/sql_guard.h"

static void push_column(lua_State *L, sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
        lua_pushinteger(L, sqlite3_column_int64(st, i));
        break;
    case SQLITE_FLOAT:
        lua_pushnumber(L, sqlite3_column_double(st, i));
        break;
    case SQLITE_NULL:
        lua_pushnil(L);
        break;
    default:
        lua_pushlstring(L, (const char *)sqlite3_column_blob(st, i),
                        (size_t)sqlite3_column_bytes(st, i));
    }
}

/* One kt.query in flight: closed (statement finalized, scope left) when kt.query returns or
 * when an error unwinds through it, such as the memory budget running out mid-result. */
typedef struct query_run {
    sqlite3_stmt *st;
    sql_scope scope;
} query_run;

#define QUERY_RUN_MT "kartoteka.query_run"

static int query_close(lua_State *L)
{
    query_run *q = lua_touserdata(L, 1);
    if (!q) return 0;
    sqlite3_finalize(q->st);
    q->st = NULL;
    sql_guard_leave(&q->scope);
    return 0;
}

static query_run *query_open(lua_State *L)
{
    query_run *q = lua_newuserdatauv(L, sizeof *q, 0);
    memset(q, 0, sizeof *q);
    if (luaL_newmetatable(L, QUERY_RUN_MT)) {
        lua_pushcfunction(L, query_close);
        lua_setfield(L, -2, "__close");
        lua_pushcfunction(L, query_close);
        lua_setfield(L, -2, "__gc");
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
    }
    lua_setmetatable(L, -2);
    lua_toclose(L, -1);
    return q;
}

static int query_fail(lua_State *L, query_run *q, sqlite3 *db)
{
    char cap[48];
    /* what was left, in whole MiB as people set the budget */
    snprintf(cap, sizeof cap, "%lld MiB",
             (long long)((sql_guard_memory(&q->scope) + (1 << 20) - 1) >> 20));
    switch (sql_guard_stopped(&q->scope)) {
    case SQL_STOP_TIME:
        /* the host's stop is set: the boundary names the script and its time budget */
        return luaL_error(L, "kt.query: stopped by the time budget (setting script_time_ms)");
    case SQL_STOP_MEMORY:
        return luaL_error(L,
                          "kt.query: the query needed more than the %s the script's memory "
                          "budget had left (setting script_memory_mb)",
                          cap);
    }
    int rc = sqlite3_extended_errcode(db) & 0xff;
    if (sql_guard_refused(&q->scope))
        return luaL_error(L,
                          "kt.query is read-only (one SELECT on the workspace's own tables; "
                          "write records with kt.save): %s refused",
                          sql_guard_last(&q->scope));
    if (rc == SQLITE_TOOBIG || rc == SQLITE_NOMEM) {
        return luaL_error(L,
                          "kt.query: a value larger than the %s the script's memory budget had "
                          "left (setting script_memory_mb)",
                          cap);
    }
    return luaL_error(L, "kt.query: %s", sqlite3_errmsg(db));
}

int kt_lua_query(lua_State *L)
{
    const char *sql = luaL_checkstring(L, 1);
    int nargs = lua_gettop(L) - 1;
    kt_ws *ws = kt_lua_ws(L);
    /* The script's own connection, so it sees what it saved; the guard lets only reads of
     * the workspace's tables through, within the script's budget. */
    sqlite3 *db = kt_store_db(kt_ws_store(ws));
    kt_error err;
    sql_guard *g = NULL;
    if (sql_guard_of(ws, &g, &err)) return kt_lua_raise(L, &err);
    query_run *q = query_open(L);
    sql_guard_enter(g, kt_host_of(L), 0, &q->scope);
    const char *tail = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &q->st, &tail) != SQLITE_OK) return query_fail(L, q, db);
    while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == ';'))
        tail++;
    if (tail && *tail) return luaL_error(L, "kt.query takes one statement");
    sqlite3_stmt *st = q->st;
    if (!st) return lua_newtable(L), 1;
    /* VACUUM and the like ask the authorizer nothing; they are not read-only either */
    if (!sqlite3_stmt_readonly(st))
        return luaL_error(L, "kt.query is read-only: write records with kt.save");
    for (int i = 1; i <= nargs; i++) {
        int idx = i + 1;
        switch (lua_type(L, idx)) {
        case LUA_TNUMBER:
            if (lua_isinteger(L, idx))
                sqlite3_bind_int64(st, i, lua_tointeger(L, idx));
            else
                sqlite3_bind_double(st, i, lua_tonumber(L, idx));
            break;
        case LUA_TBOOLEAN:
            sqlite3_bind_int(st, i, lua_toboolean(L, idx));
            break;
        case LUA_TNIL:
            sqlite3_bind_null(st, i);
            break;
        default: {
            size_t len;
            const char *s = luaL_tolstring(L, idx, &len);
            sqlite3_bind_text(st, i, s, (int)len, SQLITE_TRANSIENT);
            lua_pop(L, 1);
        }
        }
    }
    lua_newtable(L);
    int rc, cols = sqlite3_column_count(st);
    lua_Integer n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        lua_createtable(L, 0, cols);
        for (int i = 0; i < cols; i++) {
            push_column(L, st, i);
            lua_setfield(L, -2, sqlite3_column_name(st, i));
        }
        lua_rawseti(L, -2, ++n);
        if (n % 512 == 0) kt_ws_progress(ws, "rows", (long)n, 0);
    }
    if (rc != SQLITE_DONE) return query_fail(L, q, db);
    return 1;
}

int kt_lua_push_change(void *ud, const kt_change *c)
{
    lua_State *L = ud;
    lua_createtable(L, 0, 8);
    lua_pushinteger(L, c->record);
    lua_setfield(L, -2, "record");
    lua_pushstring(L, c->at);
    lua_setfield(L, -2, "at");
    lua_pushstring(L, c->action);
    lua_setfield(L, -2, "action");
    if (c->field) lua_pushstring(L, c->field), lua_setfield(L, -2, "field");
    if (c->old) lua_pushstring(L, c->old), lua_setfield(L, -2, "old");
    if (c->new_) lua_pushstring(L, c->new_), lua_setfield(L, -2, "new");
    lua_pushstring(L, c->source);
    lua_setfield(L, -2, "source");
    if (c->batch) lua_pushinteger(L, c->batch), lua_setfield(L, -2, "batch");
    lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
    return 0;
}
