/* Lua filter tables, { field = value, field = { op, value } }, as kt_list filters: a
 * campaign's `filter` and kt.last_activity's conditions. */
#include <stdio.h>

#include "kartoteka/query.h"
#include "script/lua_adapters.h"

/* Reads one `name = value` or `name = { op, value }` entry (key at -2, value at -1). */
static kt_status one_filter(lua_State *L, kt_filter *f, kt_error *err)
{
    char text[1100];
    int top = lua_gettop(L);
    const char *k = lua_type(L, top - 1) == LUA_TSTRING ? lua_tostring(L, top - 1) : NULL;
    const char *op = "=", *v;
    int pair = 0; /* a date object (with __tostring) is a value, not { op, value } */
    if (lua_istable(L, top)) {
        if (luaL_getmetafield(L, top, "__tostring") != LUA_TNIL)
            lua_pop(L, 1);
        else
            pair = 1;
    }
    if (pair) {
        lua_rawgeti(L, top, 1);
        lua_rawgeti(L, top, 2);
        op = lua_tostring(L, top + 1);
        v = luaL_tolstring(L, top + 2, NULL);
    } else {
        v = luaL_tolstring(L, top, NULL);
    }
    snprintf(text, sizeof text, "%s%s%s", k ? k : "", op ? op : "", v ? v : "");
    lua_settop(L, top);
    if (!k || !op)
        return kt_error_set(err, KT_INVALID,
                            "filter: entries are field = value or field = { op, value }");
    return kt_filter_parse(text, f, err);
}

kt_status kt_lua_filters(lua_State *L, int idx, kt_filter *out, size_t max, size_t *n,
                         kt_error *err)
{
    kt_status st = KT_OK;
    *n = 0;
    if (!lua_istable(L, idx)) return KT_OK;
    idx = lua_absindex(L, idx);
    int top = lua_gettop(L);
    lua_pushnil(L);
    while (!st && lua_next(L, idx)) {
        if (*n == max)
            st = kt_error_set(err, KT_LIMIT, "filter: at most %zu fields", max);
        else if (!(st = one_filter(L, &out[*n], err)))
            (*n)++;
        lua_pop(L, 1);
    }
    lua_settop(L, top);
    if (st) {
        for (size_t i = 0; i < *n; i++)
            kt_filter_clear(&out[i]);
        *n = 0;
    }
    return st;
}
