/* The ctx table every map call receives: file, line, entity, translate and lookup. */
#include <lauxlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/text.h"
#include "script/import_map_lua_int.h"

/* Trims ASCII spaces; returns the length of the trimmed part starting at *p. */
static size_t trim(const char **p, size_t n)
{
    const char *s = *p;
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    *p = s;
    return n;
}

/* Pushes the translation of one item: the table's value for a key equal to it ignoring case,
 * else the item itself (so validation names the original text). */
static void push_translated(lua_State *L, int tbl, const char *item, size_t n)
{
    lua_pushlstring(L, item, n);
    char *low = NULL;
    kt_error err;
    if (kt_text_lower(lua_tostring(L, -1), &low, &err) != KT_OK) return;
    lua_pushnil(L);
    while (lua_next(L, tbl)) {
        if (lua_type(L, -2) == LUA_TSTRING) {
            char *k = NULL;
            int eq = kt_text_lower(lua_tostring(L, -2), &k, &err) == KT_OK && !strcmp(k, low);
            kt_free(k);
            if (eq) {
                lua_replace(L, -3); /* value over the item; key stays */
                lua_pop(L, 1);
                break;
            }
        }
        lua_pop(L, 1);
    }
    kt_free(low);
}

/* ctx.translate(value, table): one value -> its translation; "a, b; c" -> a list. */
static int l_translate(lua_State *L)
{
    if (lua_isnoneornil(L, 1)) return lua_pushnil(L), 1;
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    luaL_checktype(L, 2, LUA_TTABLE);
    if (!strpbrk(s, ",;")) {
        size_t n = trim(&s, len);
        if (n == 0) return lua_pushnil(L), 1;
        push_translated(L, 2, s, n);
        return 1;
    }
    lua_newtable(L);
    lua_Integer k = 0;
    const char *p = s, *end = s + len;
    while (p <= end) {
        const char *q = p;
        while (q < end && *q != ',' && *q != ';')
            q++;
        const char *item = p;
        size_t n = trim(&item, (size_t)(q - p));
        if (n) {
            push_translated(L, 2, item, n);
            lua_rawseti(L, -2, ++k);
        }
        p = q + 1;
    }
    return 1;
}

/* ctx.lookup(entity, field, value): the id of the active record with that value, or nil. */
static int l_lookup(lua_State *L)
{
    import_lua *m = lua_touserdata(L, lua_upvalueindex(1));
    const char *entity = luaL_checkstring(L, 1), *field = luaL_checkstring(L, 2);
    if (lua_isnoneornil(L, 3)) return lua_pushnil(L), 1;
    const char *value = luaL_checkstring(L, 3);
    kt_id id = 0;
    kt_error err;
    if (m->lookup(m->lookup_ud, entity, field, value, &id, &err))
        return luaL_error(L, "%s", err.message);
    if (id)
        lua_pushinteger(L, id);
    else
        lua_pushnil(L);
    return 1;
}

void import_lua_push_ctx(import_lua *m, const char *file)
{
    lua_State *L = m->L;
    lua_newtable(L);
    lua_pushstring(L, file ? file : "");
    lua_setfield(L, -2, "file");
    lua_pushstring(L, m->entity ? m->entity : "");
    lua_setfield(L, -2, "entity");
    lua_pushcfunction(L, l_translate);
    lua_setfield(L, -2, "translate");
    lua_pushlightuserdata(L, m);
    lua_pushcclosure(L, l_lookup, 1);
    lua_setfield(L, -2, "lookup");
}
