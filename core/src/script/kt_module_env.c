/* The kt module's links to its surroundings: time, output, arguments, plugin functions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kartoteka/date.h"
#include "kartoteka/value.h"
#include "script/kt_module_int.h"

#define KT_LUA_OUTPUT "kartoteka.output"
#define KT_LUA_ARGS "kartoteka.args"

typedef struct output {
    kt_output_fn fn;
    void *ud;
} output;

void kt_config_set_output(const kt_ws *ws, kt_output_fn fn, void *ud)
{
    lua_State *L = kt_host_lua(kt_config_host(ws));
    output *o = lua_newuserdatauv(L, sizeof *o, 0);
    o->fn = fn;
    o->ud = ud;
    lua_setfield(L, LUA_REGISTRYINDEX, KT_LUA_OUTPUT);
}

void kt_config_set_args(const kt_ws *ws, const char *const *args, size_t n)
{
    lua_State *L = kt_host_lua(kt_config_host(ws));
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushstring(L, args[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, LUA_REGISTRYINDEX, KT_LUA_ARGS);
}

int kt_lua_print(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, KT_LUA_OUTPUT);
    output *o = lua_touserdata(L, -1);
    lua_pop(L, 1);
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        size_t len;
        const char *s = luaL_tolstring(L, i, &len);
        if (i > 1) luaL_addchar(&b, '\t');
        luaL_addvalue(&b);
        (void)s;
        (void)len;
    }
    luaL_addchar(&b, '\n');
    luaL_pushresult(&b);
    size_t len;
    const char *text = lua_tolstring(L, -1, &len);
    if (o && o->fn) o->fn(o->ud, text, len);
    return 0;
}

static const char *zone(lua_State *L)
{
    return kt_ws_setting(kt_lua_ws(L), "timezone");
}

/* A rule calls kt.today() on every save; asking the time zone database each time costs more
 * than the rest of the rule. The answer is kept for a minute (and per zone). */
int kt_lua_today(lua_State *L)
{
    static char cached[KT_DATE_SIZE], cached_zone[128];
    static time_t cached_at;
    const char *tz = zone(L);
    time_t now = time(NULL);
    if (cached[0] && now - cached_at < 60 && now >= cached_at && !getenv("KT_TODAY") &&
        strcmp(cached_zone, tz ? tz : "") == 0) {
        lua_pushstring(L, cached);
        return 1;
    }
    char out[KT_DATE_SIZE];
    kt_error err;
    if (kt_date_today(tz, out, &err)) return kt_lua_raise(L, &err);
    memcpy(cached, out, sizeof cached);
    snprintf(cached_zone, sizeof cached_zone, "%s", tz ? tz : "");
    cached_at = now;
    lua_pushstring(L, out);
    return 1;
}

int kt_lua_now(lua_State *L)
{
    char out[KT_DATETIME_SIZE];
    kt_error err;
    if (kt_date_now(zone(L), out, &err)) return kt_lua_raise(L, &err);
    lua_pushstring(L, out);
    return 1;
}

/* A plugin value function called from Lua: the value normalised, or nil and the message. */
static int call_ext(lua_State *L)
{
    const kt_plugin_function *f = lua_touserdata(L, lua_upvalueindex(1));
    char buf[64];
    const char *in = kt_lua_scalar_text(L, 1, buf, sizeof buf);
    if (!in) return lua_pushnil(L), 1;
    const char *country = luaL_optstring(L, 2, kt_ws_setting(kt_lua_ws(L), "country"));
    kt_plugin_value_ctx ctx = {country, NULL, NULL};
    char out[1024], msg[512] = "";
    if (f->fn(f->ud, in, &ctx, out, sizeof out, msg, sizeof msg) != KT_PLUGIN_OK) {
        lua_pushnil(L);
        lua_pushstring(L, msg[0] ? msg : "invalid value");
        return 2;
    }
    lua_pushstring(L, out);
    return 1;
}

void kt_lua_push_ext_namespace(lua_State *L, const char *ns)
{
    kt_ext *x = kt_ws_ext(kt_lua_ws(L));
    size_t len = strlen(ns), found = 0;
    lua_newtable(L);
    for (size_t i = 0; i < kt_ext_count(x); i++) {
        const kt_ext_entry *e = kt_ext_at(x, i);
        if (e->kind != KT_EXT_FUNCTION || strncmp(e->name, ns, len) != 0 || e->name[len] != '.')
            continue;
        lua_pushlightuserdata(L, (void *)e->item);
        lua_pushcclosure(L, call_ext, 1);
        lua_setfield(L, -2, e->name + len + 1);
        found++;
    }
    if (!found) {
        lua_pop(L, 1);
        lua_pushnil(L);
    }
}

int kt_lua_kt_index(lua_State *L)
{
    const char *key = luaL_checkstring(L, 2);
    if (strcmp(key, "args") == 0) {
        lua_getfield(L, LUA_REGISTRYINDEX, KT_LUA_ARGS);
        if (lua_isnil(L, -1)) lua_newtable(L);
        return 1;
    }
    kt_lua_push_ext_namespace(L, key);
    if (lua_isnil(L, -1))
        return luaL_error(L, "kt.%s does not exist (is the plugin that provides it loaded with "
                             "plugin \"%s\" in kartoteka.lua?)",
                          key, key);
    return 1;
}
