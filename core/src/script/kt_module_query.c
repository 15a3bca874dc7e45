/* kt.query: read-only SQL for what filters cannot say, through the script SQL guard. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "script/host_int.h"
#include "script/kt_module_int.h"
#include "store/sql_guard.h"

static void push_column(lua_State *L, kt_stmt *st, int i)
{
    switch (kt_stmt_kind(st, i)) {
    case KT_COL_INT:
        lua_pushinteger(L, kt_stmt_int(st, i));
        break;
    case KT_COL_REAL:
        lua_pushnumber(L, kt_stmt_double(st, i));
        break;
    case KT_COL_NULL:
        lua_pushnil(L);
        break;
    default: {
        size_t len;
        const char *p = kt_stmt_blob(st, i, &len);
        lua_pushlstring(L, p ? p : "", len);
    }
    }
}

/* One kt.query in flight: closed (statement freed, scope left) when kt.query returns or when
 * an error unwinds through it, such as the memory budget running out mid-result. */
typedef struct query_run {
    kt_stmt *st;
    sql_scope scope;
    sql_budget budget; /* the script's, for the scope's life */
} query_run;

#define QUERY_RUN_MT "kartoteka.query_run"

static int query_close(lua_State *L)
{
    query_run *q = lua_touserdata(L, 1);
    if (!q) return 0;
    kt_stmt_free(q->st);
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

/* why: the store's error when the statement could not even be prepared, else NULL */
static int query_fail(lua_State *L, query_run *q, kt_store *s, const kt_error *why)
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
    if (sql_guard_refused(&q->scope))
        return luaL_error(L,
                          "kt.query is read-only (one SELECT on the workspace's own tables; "
                          "write records with kt.save): %s refused",
                          sql_guard_last(&q->scope));
    if (why && why->code == KT_USAGE) return luaL_error(L, "kt.query takes one statement");
    if (why && why->code == KT_DENIED)
        return luaL_error(L, "kt.query is read-only: write records with kt.save");
    if (kt_store_failed_on_size(s)) {
        return luaL_error(L,
                          "kt.query: a value larger than the %s the script's memory budget had "
                          "left (setting script_memory_mb)",
                          cap);
    }
    return luaL_error(L, "kt.query: %s", kt_store_errmsg(s));
}

int kt_lua_query(lua_State *L)
{
    const char *sql = luaL_checkstring(L, 1);
    int nargs = lua_gettop(L) - 1;
    kt_ws *ws = kt_lua_ws(L);
    /* The script's own connection, so it sees what it saved; the guard lets only reads of
     * the workspace's tables through, within the script's budget. */
    kt_store *s = kt_ws_store(ws);
    kt_error err;
    sql_guard *g = NULL;
    if (sql_guard_of(s, &g, &err)) return kt_lua_raise(L, &err);
    query_run *q = query_open(L);
    kt_host *host = kt_host_of(L);
    if (host) {
        q->budget.left = host->cap > host->used ? host->cap - host->used : 0;
        q->budget.stop = &host->stop;
        q->budget.stop_time = STOP_TIME;
    }
    sql_guard_enter(g, host ? &q->budget : NULL, 0, &q->scope);
    kt_error why;
    if (kt_store_prepare_user(s, sql, "kt.query", &q->st, &why)) {
        if (why.code == KT_NOTFOUND) return lua_newtable(L), 1; /* only spaces or comments */
        return query_fail(L, q, s, &why);
    }
    kt_stmt *st = q->st;
    for (int i = 1; i <= nargs; i++) {
        int idx = i + 1;
        switch (lua_type(L, idx)) {
        case LUA_TNUMBER:
            if (lua_isinteger(L, idx))
                kt_stmt_bind_int(st, i, lua_tointeger(L, idx));
            else
                kt_stmt_bind_double(st, i, lua_tonumber(L, idx));
            break;
        case LUA_TBOOLEAN:
            kt_stmt_bind_int(st, i, lua_toboolean(L, idx));
            break;
        case LUA_TNIL:
            kt_stmt_bind_null(st, i);
            break;
        default: {
            size_t len;
            const char *v = luaL_tolstring(L, idx, &len);
            kt_stmt_bind_text_copy(st, i, v, len);
            lua_pop(L, 1);
        }
        }
    }
    lua_newtable(L);
    int rc, cols = kt_stmt_columns(st);
    lua_Integer n = 0;
    while ((rc = kt_stmt_step(st)) == KT_STMT_ROW) {
        lua_createtable(L, 0, cols);
        for (int i = 0; i < cols; i++) {
            push_column(L, st, i);
            lua_setfield(L, -2, kt_stmt_column_name(st, i));
        }
        lua_rawseti(L, -2, ++n);
        if (n % 512 == 0) kt_ws_progress(ws, "rows", (long)n, 0);
    }
    if (rc != KT_STMT_DONE) return query_fail(L, q, s, NULL);
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
