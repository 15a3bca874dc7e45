/* The libraries a script sees, opened one by one into the shared globals. What is forbidden
 * stays present as a stub that raises a clear error at the script's line, because "attempt to
 * index a nil value (global 'io')" tells a consultant nothing about why. */
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "script/host_int.h"

#define SANDBOX_SUFFIX "is not available in Kartoteka scripts (sandbox)"
#define SANDBOX_SUFFIX_PLURAL "are not available in Kartoteka scripts (sandbox)"

static int stub_call(lua_State *L)
{
    return luaL_error(L, "%s " SANDBOX_SUFFIX, lua_tostring(L, lua_upvalueindex(1)));
}

static void push_stub(lua_State *L, const char *name)
{
    lua_pushstring(L, name);
    lua_pushcclosure(L, stub_call, 1);
}

/* A whole library that is absent: `io.open` fails at the index, naming io. */
static int stub_index(lua_State *L)
{
    const char *lib = lua_tostring(L, lua_upvalueindex(1));
    if (lua_toboolean(L, lua_upvalueindex(2)) && lua_type(L, 2) == LUA_TSTRING)
        return luaL_error(L, "%s.%s " SANDBOX_SUFFIX, lib, lua_tostring(L, 2));
    return luaL_error(L, "%s " SANDBOX_SUFFIX, lib);
}

static void push_stub_library(lua_State *L, const char *name, int per_key)
{
    lua_newtable(L);
    lua_createtable(L, 0, 3);
    lua_pushstring(L, name);
    lua_pushboolean(L, per_key);
    lua_pushcclosure(L, stub_index, 2);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "__index");
    lua_setfield(L, -2, "__newindex");
    lua_pushliteral(L, "sandbox");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
}

/* setmetatable refusing __gc: finalizers run with hooks off, so a looping one could not be
 * stopped by the budget. */
static int safe_setmetatable(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, "__gc metamethods " SANDBOX_SUFFIX_PLURAL);
        lua_pop(L, 1);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int safe_rawset(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    if (host_is_readonly(L, 1)) return luaL_error(L, "rawset on a shared read-only table");
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* Stopping or retuning the collector would let one script starve the next. */
static int safe_collectgarbage(lua_State *L)
{
    static const char *const allowed[] = {"collect", "count", "step", "isrunning", NULL};
    const char *opt = luaL_optstring(L, 1, "collect");
    int ok = 0;
    for (int i = 0; allowed[i]; i++)
        ok |= strcmp(opt, allowed[i]) == 0;
    if (!ok) return luaL_error(L, "collectgarbage(\"%s\") " SANDBOX_SUFFIX, opt);
    int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, LUA_MULTRET);
    return lua_gettop(L);
}

/* The script's message handler, skipped once the budget is spent: after a hook's error it
 * would run with hooks off, and a looping handler could never be stopped. */
static int guarded_handler(lua_State *L)
{
    if (atomic_load(&host_of(L)->stop) != STOP_NONE) return 1;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int safe_xpcall(lua_State *L)
{
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, guarded_handler, 1);
    lua_replace(L, 2);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, LUA_MULTRET);
    return lua_gettop(L);
}

/* Copies base function `name` from the real globals (at g) into shared (at s), optionally
 * wrapped in `wrap` with the original as upvalue. */
static void take(lua_State *L, int g, int s, const char *name, lua_CFunction wrap)
{
    lua_getfield(L, g, name);
    if (wrap) lua_pushcclosure(L, wrap, 1);
    lua_setfield(L, s, name);
}

static void open_base(lua_State *L, int s)
{
    static const char *const plain[] = {
        "assert",   "error",    "ipairs",       "next",     "pairs",  "pcall",
        "print",    "rawequal", "rawget",       "rawlen",   "select", "tonumber",
        "tostring", "type",     "getmetatable", "_VERSION", NULL};
    luaL_requiref(L, "_G", luaopen_base, 1);
    int g = lua_gettop(L);
    lua_getfield(L, g, "load");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &host_key_baseload);
    for (int i = 0; plain[i]; i++)
        take(L, g, s, plain[i], NULL);
    take(L, g, s, "setmetatable", safe_setmetatable);
    take(L, g, s, "rawset", safe_rawset);
    take(L, g, s, "collectgarbage", safe_collectgarbage);
    take(L, g, s, "xpcall", safe_xpcall);
    push_stub(L, "dofile");
    lua_setfield(L, s, "dofile");
    push_stub(L, "loadfile");
    lua_setfield(L, s, "loadfile");
    lua_pop(L, 1);
}

/* Opens a standard library and lets `fix` adjust it (index -1). Each script gets a copy of its
 * own (host_push_env), not a proxy: a proxy costs a metatable hop, about 120 instructions, on
 * every `string.format`, which alone made a string-heavy loop 7% slower than plain Lua. */
static void open_lib(lua_State *L, int libs, const char *name, lua_CFunction open,
                     void (*fix)(lua_State *L))
{
    luaL_requiref(L, name, open, 0);
    if (fix) fix(L);
    lua_setfield(L, libs, name);
}

static void fix_string(lua_State *L)
{
    push_stub(L, "string.dump");
    lua_setfield(L, -2, "dump");
    host_guard_patterns(L, lua_gettop(L));
}

/* Strings index the real string table, which every script shares; getmetatable("") shows a
 * read-only view of it instead, so no script can change what ("x"):upper() means. */
static void protect_string_metatable(lua_State *L, int libs)
{
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_createtable(L, 0, 1);
    lua_getfield(L, libs, LUA_STRLIBNAME);
    lua_pushliteral(L, "string");
    host_make_readonly(L, -2);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "string metatable");
    host_make_readonly(L, -2);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);
}

static void fix_coroutine(lua_State *L)
{
    host_open_coroutine(L);
}

static void fix_os(lua_State *L)
{
    static const char *const keep[] = {"time", "clock", "date", "difftime", NULL};
    static const char *const stub[] = {"execute", "remove",  "rename",    "exit",
                                       "getenv",  "tmpname", "setlocale", NULL};
    int real = lua_gettop(L);
    lua_newtable(L);
    for (int i = 0; keep[i]; i++) {
        lua_getfield(L, real, keep[i]);
        lua_setfield(L, -2, keep[i]);
    }
    for (int i = 0; stub[i]; i++) {
        char name[32];
        snprintf(name, sizeof name, "os.%s", stub[i]);
        push_stub(L, name);
        lua_setfield(L, -2, stub[i]);
    }
    lua_replace(L, real);
}

int host_open_sandbox(lua_State *L)
{
    host_open_shared(L);
    int s = lua_gettop(L);
    open_base(L, s);
    lua_newtable(L);
    int libs = lua_gettop(L);
    open_lib(L, libs, LUA_TABLIBNAME, luaopen_table, NULL);
    open_lib(L, libs, LUA_STRLIBNAME, luaopen_string, fix_string);
    protect_string_metatable(L, libs);
    open_lib(L, libs, LUA_MATHLIBNAME, luaopen_math, NULL);
    open_lib(L, libs, LUA_UTF8LIBNAME, luaopen_utf8, NULL);
    open_lib(L, libs, LUA_COLIBNAME, luaopen_coroutine, fix_coroutine);
    open_lib(L, libs, LUA_OSLIBNAME, luaopen_os, fix_os);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &host_key_stdlibs);
    push_stub_library(L, "io", 0);
    lua_setfield(L, s, "io");
    push_stub_library(L, "debug", 0);
    lua_setfield(L, s, "debug");
    push_stub_library(L, "package", 1);
    lua_setfield(L, s, "package");
    lua_pushcfunction(L, host_require);
    lua_setfield(L, s, "require");
    return 0;
}
