/* kt.query: read-only SQL for what filters cannot say, on a connection that cannot write. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "script/kt_module_int.h"

static void push_column(lua_State *L, sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER: lua_pushinteger(L, sqlite3_column_int64(st, i)); break;
    case SQLITE_FLOAT: lua_pushnumber(L, sqlite3_column_double(st, i)); break;
    case SQLITE_NULL: lua_pushnil(L); break;
    default:
        lua_pushlstring(L, (const char *)sqlite3_column_blob(st, i),
                        (size_t)sqlite3_column_bytes(st, i));
    }
}

int kt_lua_query(lua_State *L)
{
    const char *sql = luaL_checkstring(L, 1);
    /* The script's own connection, so it sees what it saved; refusing every statement that
     * could write keeps the query read-only. */
    sqlite3 *db = kt_store_db(kt_ws_store(kt_lua_ws(L)));
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, &tail) != SQLITE_OK)
        return luaL_error(L, "kt.query: %s", sqlite3_errmsg(db));
    while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == ';')) tail++;
    if (tail && *tail) {
        sqlite3_finalize(st);
        return luaL_error(L, "kt.query takes one statement");
    }
    if (!st) return lua_newtable(L), 1;
    if (!sqlite3_stmt_readonly(st)) {
        sqlite3_finalize(st);
        return luaL_error(L, "kt.query is read-only: write records with kt.save");
    }
    int nargs = lua_gettop(L) - 1;
    for (int i = 1; i <= nargs; i++) {
        int idx = i + 1;
        switch (lua_type(L, idx)) {
        case LUA_TNUMBER:
            if (lua_isinteger(L, idx)) sqlite3_bind_int64(st, i, lua_tointeger(L, idx));
            else sqlite3_bind_double(st, i, lua_tonumber(L, idx));
            break;
        case LUA_TBOOLEAN: sqlite3_bind_int(st, i, lua_toboolean(L, idx)); break;
        case LUA_TNIL: sqlite3_bind_null(st, i); break;
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
    }
    if (rc != SQLITE_DONE) {
        const char *msg = sqlite3_errmsg(db);
        lua_pushfstring(L, "kt.query: %s", msg);
        sqlite3_finalize(st);
        return lua_error(L);
    }
    sqlite3_finalize(st);
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
