/* The declaration language of kartoteka.lua: each form records a declaration; nothing is
 * applied until the whole file has run (see config_apply.c). */
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "script/script_int.h"

/* `field "person.pets" { ... }`: the spec closure fills in the entry recorded by the name. */
static int attach_spec(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, 1);
    lua_setfield(L, -2, "spec");
    return 0;
}

static int declare(lua_State *L)
{
    const char *kind = lua_tostring(L, lua_upvalueindex(1));
    lua_getfield(L, LUA_REGISTRYINDEX, KT_LUA_PHASE);
    int allowed = lua_toboolean(L, -1);
    lua_pop(L, 1);
    if (!allowed)
        return luaL_error(L, "%s declarations belong in kartoteka.lua (or a file it requires)",
                          kind);
    int bare = lua_istable(L, 1); /* settings { ... } has no name */
    if (!bare) luaL_checkstring(L, 1);
    lua_getfield(L, LUA_REGISTRYINDEX, KT_LUA_DECLS);
    lua_createtable(L, 0, 4);
    lua_pushstring(L, kind);
    lua_setfield(L, -2, "kind");
    if (bare) lua_pushliteral(L, "");
    else lua_pushvalue(L, 1);
    lua_setfield(L, -2, "name");
    luaL_where(L, 1);
    lua_setfield(L, -2, "where");
    if (bare) lua_pushvalue(L, 1);
    else lua_newtable(L);
    lua_setfield(L, -2, "spec");
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, (lua_Integer)lua_rawlen(L, -3) + 1);
    if (bare) return 0;
    lua_pushcclosure(L, attach_spec, 1);
    return 1;
}

kt_status kt_config_register_dsl(kt_host *h, kt_error *err)
{
    static const char *const kinds[] = {"entity",   "field",     "rule",     "plugin",
                                        "settings", "dedupe",    "campaign", "webhook",
                                        "access",   "retention", NULL};
    lua_State *L = kt_host_lua(h);
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, KT_LUA_DECLS);
    for (size_t i = 0; kinds[i]; i++) {
        lua_pushstring(L, kinds[i]);
        lua_pushcclosure(L, declare, 1);
        kt_status st = kt_host_add_global(h, kinds[i], err);
        if (st) return st;
    }
    return KT_OK;
}

const char *kt_config_field_where(const kt_ws *ws, const char *entity, const char *name)
{
    kt_host *h = kt_config_host(ws);
    if (!h) return NULL;
    lua_State *L = kt_host_lua(h);
    char full[256];
    snprintf(full, sizeof full, "%s.%s", entity, name);
    kt_config_push_declarations(ws, "field");
    const char *where = NULL;
    /* kartoteka.lua's declarations, then the schema's when this command did not run it */
    for (int pass = 0; pass < 2 && !where; pass++) {
        if (pass == 1) {
            lua_pop(L, 1);
            kt_config_push_schema_declarations(ws);
            if (!lua_istable(L, -1)) break;
        }
        for (lua_Integer i = (lua_Integer)lua_rawlen(L, -1); i >= 1 && !where; i--) {
            lua_rawgeti(L, -1, i);
            lua_getfield(L, -1, "name");
            lua_getfield(L, -2, "kind");
            if (lua_isstring(L, -2) && strcmp(lua_tostring(L, -2), full) == 0 &&
                lua_isstring(L, -1) && strcmp(lua_tostring(L, -1), "field") == 0) {
                lua_getfield(L, -3, "where");
                where = lua_tostring(L, -1); /* alive: the declarations' list holds it */
                lua_pop(L, 1);
            }
            lua_pop(L, 3);
        }
    }
    lua_pop(L, 1);
    return where;
}

void kt_config_push_declarations(const kt_ws *ws, const char *kind)
{
    kt_host *h = kt_config_host(ws);
    lua_State *L = kt_host_lua(h);
    lua_newtable(L);
    lua_getfield(L, LUA_REGISTRYINDEX, "kartoteka.applied");
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        return;
    }
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1), k = 0;
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        lua_getfield(L, -1, "kind");
        int match = strcmp(lua_tostring(L, -1), kind) == 0;
        lua_pop(L, 1);
        if (match) lua_rawseti(L, -3, ++k);
        else lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

kt_status kt_config_read_all(const kt_ws *ws, const char *kind, size_t size, kt_config_item_fn fn,
                             void **out, size_t *n, kt_error *err)
{
    *out = NULL;
    *n = 0;
    kt_host *h = kt_config_host(ws);
    if (!h) return KT_OK;
    lua_State *L = kt_host_lua(h);
    kt_config_push_declarations(ws, kind);
    int list = lua_gettop(L);
    size_t total = (size_t)lua_rawlen(L, list);
    kt_status st = KT_OK;
    if (total && !(*out = kt_calloc(total, size)))
        st = kt_error_set(err, KT_NOMEM, "out of memory");
    for (size_t i = 1; !st && i <= total; i++) {
        lua_rawgeti(L, list, (lua_Integer)i);
        int d = lua_gettop(L);
        lua_getfield(L, d, "name");
        lua_getfield(L, d, "where");
        lua_getfield(L, d, "spec");
        st = fn(ws, L, d + 3, lua_tostring(L, d + 1), lua_tostring(L, d + 2),
                (char *)*out + (i - 1) * size, err);
        lua_settop(L, list);
        if (!st) (*n)++;
    }
    lua_settop(L, list - 1);
    if (st) {
        kt_free(*out);
        *out = NULL;
        *n = 0;
    }
    return st;
}
