/* Read-only proxies for the tables every script shares, and the per-script environments that
 * fall through to them. A proxy is an empty table whose metatable reads from the real one and
 * refuses writes; the real table is reachable from C only, so nothing a script does to
 * `string`, `table` or `kt` can be seen by the next script. */
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>

#include "script/host_int.h"

const char host_key_shared;
const char host_key_envmt;
const char host_key_readonly;
const char host_key_loaded;
const char host_key_baseload;
const char host_key_stdlibs;

#define PROXY_DEPTH_MAX 8
#define PROXY_NAME_MAX 128

static int ro_newindex(lua_State *L)
{
    const char *key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "?";
    return luaL_error(L, "cannot change %s.%s: %s is shared by every script and read-only",
                      lua_tostring(L, lua_upvalueindex(1)), key,
                      lua_tostring(L, lua_upvalueindex(1)));
}

static int ro_next(lua_State *L)
{
    lua_settop(L, 2);
    if (lua_next(L, lua_upvalueindex(1))) return 2;
    lua_pushnil(L);
    return 1;
}

/* Iterates the real table without handing it out (returning `next, real` would). */
static int ro_pairs(lua_State *L)
{
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__index");
    lua_pushcclosure(L, ro_next, 1);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

static int ro_len(lua_State *L)
{
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__index");
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
    return 1;
}

/* Replaces the table on top with its proxy; nested tables become proxies too. `seen` maps
 * real tables to their proxies so cycles and shared sub-tables end in one proxy. */
static void proxy(lua_State *L, int seen, const char *name, int depth)
{
    int real = lua_gettop(L);
    lua_pushvalue(L, real);
    if (lua_rawget(L, seen) == LUA_TTABLE) {
        lua_replace(L, real);
        return;
    }
    lua_pop(L, 1);
    lua_newtable(L); /* the proxy */
    lua_pushvalue(L, real);
    lua_pushvalue(L, -2);
    lua_rawset(L, seen);
    if (depth < PROXY_DEPTH_MAX) {
        lua_pushnil(L);
        while (lua_next(L, real)) {
            if (lua_type(L, -1) == LUA_TTABLE && lua_type(L, -2) == LUA_TSTRING &&
                !host_is_readonly(L, -1)) {
                char sub[PROXY_NAME_MAX];
                snprintf(sub, sizeof sub, "%s.%s", name, lua_tostring(L, -2));
                proxy(L, seen, sub, depth + 1);
                lua_pushvalue(L, -2);
                lua_insert(L, -2);
                lua_rawset(L, real);
            } else {
                lua_pop(L, 1);
            }
        }
    }
    lua_createtable(L, 0, 5);
    lua_pushvalue(L, real);
    lua_setfield(L, -2, "__index");
    lua_pushstring(L, name);
    lua_pushcclosure(L, ro_newindex, 1);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, ro_pairs);
    lua_setfield(L, -2, "__pairs");
    lua_pushcfunction(L, ro_len);
    lua_setfield(L, -2, "__len");
    lua_pushliteral(L, "read-only");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    /* Remembered so that rawset can refuse it. */
    lua_rawgetp(L, LUA_REGISTRYINDEX, &host_key_readonly);
    lua_pushvalue(L, -2);
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
    lua_pop(L, 1);
    lua_replace(L, real);
}

/* The table at idx is replaced by its proxy; the name is used in messages. */
void host_make_readonly(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    const char *name = lua_tostring(L, -1);
    char copy[PROXY_NAME_MAX];
    snprintf(copy, sizeof copy, "%s", name ? name : "library");
    lua_pop(L, 1);
    lua_newtable(L);
    int seen = lua_gettop(L);
    lua_pushvalue(L, idx);
    proxy(L, seen, copy, 0);
    lua_replace(L, idx);
    lua_pop(L, 1);
}

static int undefined_global(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TSTRING)
        return luaL_error(L, "undefined global '%s'", lua_tostring(L, 2));
    return luaL_error(L, "undefined global (a %s key)", luaL_typename(L, 2));
}

static int env_load(lua_State *L);

/* Pushes a fresh environment: its own globals, reads falling through to the shared ones. */
void host_push_env(lua_State *L)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &host_key_shared);
    int shared = lua_gettop(L);
    lua_createtable(L, 0, 48);
    /* Copying the shared names in saves a metatable hop on every global read, which is most
     * of the sandbox's cost in a hot loop; __index still finds globals added later. */
    lua_pushnil(L);
    while (lua_next(L, shared)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
    lua_remove(L, shared);
    /* The standard libraries are copied, so a script changing string.upper changes its own. */
    lua_rawgetp(L, LUA_REGISTRYINDEX, &host_key_stdlibs);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        int real = lua_gettop(L);
        lua_createtable(L, 0, 32);
        lua_pushnil(L);
        while (lua_next(L, real)) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, -4);
        }
        lua_pushvalue(L, real - 1);
        lua_insert(L, -2);
        lua_rawset(L, real - 3);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &host_key_envmt);
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_setfield(L, -2, "_G");
    /* `load` defaults to the environment of the script that calls it. */
    lua_rawgetp(L, LUA_REGISTRYINDEX, &host_key_baseload);
    lua_pushvalue(L, -2);
    lua_pushcclosure(L, env_load, 2);
    lua_setfield(L, -2, "load");
}

/* load(chunk [, name [, mode [, env]]]) with text mode forced and the script's env by default;
 * upvalue 1 is the base load, 2 the environment. */
static int env_load(lua_State *L)
{
    int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, 1);
    if (n >= 2)
        lua_pushvalue(L, 2);
    else
        lua_pushnil(L);
    lua_pushliteral(L, "t");
    lua_pushvalue(L, n >= 4 ? 4 : lua_upvalueindex(2));
    lua_call(L, 4, LUA_MULTRET);
    return lua_gettop(L) - n;
}

/* Sets up the shared globals table and the environments' metatable; the shared table is left
 * on top of the stack. */
void host_open_shared(lua_State *L)
{
    lua_newtable(L);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_pushvalue(L, -1);
    lua_setmetatable(L, -2);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &host_key_readonly);

    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &host_key_loaded);

    lua_newtable(L); /* shared */
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, undefined_global);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &host_key_shared);

    lua_createtable(L, 0, 2); /* environments' metatable */
    lua_pushvalue(L, -2);
    lua_setfield(L, -2, "__index");
    /* Hides the shared table from getmetatable(_ENV). */
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &host_key_envmt);
}

int host_is_readonly(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &host_key_readonly);
    lua_pushvalue(L, idx);
    int ro = lua_rawget(L, -2) != LUA_TNIL;
    lua_pop(L, 2);
    return ro;
}
