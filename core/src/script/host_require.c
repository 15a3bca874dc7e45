/* require "name": only name.lua (dots for subfolders) inside the folders the host was given,
 * each module run once per host in an environment of its own. Nothing is read from
 * package.path, LUA_PATH or the current folder, so a script cannot load a file the workspace
 * did not put there. */
#include <errno.h>
#include <string.h>

#include <lauxlib.h>

#include "script/host_int.h"

#define NAME_MAX_LEN 200

/* A light-userdata marker for "being loaded", to report require loops. */
static const char loading;

/* Turns "reports.sales" into "reports/sales"; NULL when the name could escape its folder. */
static const char *to_relative(const char *name, char *out, size_t n)
{
    size_t len = strlen(name);
    if (len == 0 || len >= n || len > NAME_MAX_LEN) return NULL;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-' || c == '.';
        if (!ok) return NULL;
        /* Empty segments: "..x", "a..b", ".a", "a." all refused. */
        if (c == '.' && (i == 0 || i + 1 == len || name[i + 1] == '.')) return NULL;
        out[i] = c == '.' ? '/' : (char)c;
    }
    out[len] = '\0';
    return out;
}

int host_require(lua_State *L)
{
    kt_host *h = host_of(L);
    const char *name = luaL_checkstring(L, 1);
    lua_settop(L, 1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &host_key_loaded); /* 2 */
    lua_pushvalue(L, 1);
    if (lua_rawget(L, 2) != LUA_TNIL) {
        if (lua_touserdata(L, -1) == &loading)
            return luaL_error(L, "require \"%s\": the module requires itself (a loop)", name);
        return 1;
    }
    lua_pop(L, 1);

    char rel[NAME_MAX_LEN + 1];
    if (!to_relative(name, rel, sizeof rel))
        return luaL_error(L,
                          "require \"%s\": a module name is letters, digits, '_' and '-' "
                          "separated by dots; paths, '..' and absolute names are not "
                          "available in Kartoteka scripts (sandbox)",
                          name);

    int found = 0;
    for (size_t i = 0; i < h->npaths && !found; i++) {
        lua_pushfstring(L, "%s/%s.lua", h->paths[i], rel); /* 3 */
        int st = luaL_loadfilex(L, lua_tostring(L, 3), "t");
        if (st == LUA_OK) {
            found = 1;
        } else if (st == LUA_ERRFILE && errno == ENOENT) {
            lua_pop(L, 2);
        } else {
            return lua_error(L); /* a syntax error in the module is the script's to see */
        }
    }
    if (!found) {
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        luaL_addstring(&b, "module '");
        luaL_addstring(&b, name);
        luaL_addstring(&b, "' not found in the script folders:");
        for (size_t i = 0; i < h->npaths; i++) {
            luaL_addstring(&b, "\n\t");
            luaL_addstring(&b, h->paths[i]);
            luaL_addchar(&b, '/');
            luaL_addstring(&b, rel);
            luaL_addstring(&b, ".lua");
        }
        if (h->npaths == 0) luaL_addstring(&b, " (none configured)");
        luaL_pushresult(&b);
        return lua_error(L);
    }
    /* 3 path, 4 chunk; the files read are remembered for the configuration's hash */
    if (lua_getfield(L, LUA_REGISTRYINDEX, HOST_REQUIRED_FILES) == LUA_TTABLE) {
        lua_pushvalue(L, 3);
        lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
    }
    lua_pop(L, 1);
    host_push_env(L);
    lua_setupvalue(L, 4, 1);
    lua_pushvalue(L, 1);
    lua_pushlightuserdata(L, (void *)&loading);
    lua_rawset(L, 2);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 3);
    /* An error leaves the marker; clear it in a pcall so a later require may retry. */
    int st = lua_pcall(L, 2, 1, 0);
    if (st != LUA_OK) {
        lua_pushvalue(L, 1);
        lua_pushnil(L);
        lua_rawset(L, 2);
        return lua_error(L);
    }
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, 1);
    lua_pushvalue(L, -2);
    lua_rawset(L, 2);
    lua_pushvalue(L, 3);
    return 2;
}
