/* Loading a report file: run read-only in the workspace's Lua host, it returns its spec. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "script/report_lua_int.h"

kt_status report_lua_load(kt_ws *ws, const char *path, const kt_report_guard *g, kt_error *err)
{
    kt_host *h = kt_config_host(ws);
    if (!h) return kt_error_set(err, KT_USAGE, "the workspace's configuration is not applied");
    lua_State *L = kt_host_lua(h);
    kt_status st = g->begin(g->ud, err);
    if (st) return st;
    st = kt_host_run_file(h, path, 1, err);
    kt_error denied;
    kt_status tried = g->end(g->ud, &denied);
    if (!st && tried) {
        lua_pop(L, 1);
        *err = denied;
        return tried;
    }
    if (st) return st;
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        return kt_error_set(err, KT_SCRIPT,
                            "%s: a report returns { title = ..., params = {...}, run = function(p) "
                            "... end }",
                            path);
    }
    lua_getfield(L, -1, "run");
    int ok = lua_isfunction(L, -1);
    lua_pop(L, 1);
    if (!ok) {
        lua_pop(L, 1);
        return kt_error_set(err, KT_SCRIPT, "%s: the report has no run function", path);
    }
    return KT_OK;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *report_lua_params_text(lua_State *L, int idx)
{
    const char *names[64];
    size_t n = 0;
    kt_buf b = KT_BUF_INIT;
    lua_getfield(L, idx, "params");
    if (lua_istable(L, -1)) {
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            lua_pop(L, 1);
            /* keys stay alive: they are in the params table */
            if (lua_type(L, -1) == LUA_TSTRING && n < 64) names[n++] = lua_tostring(L, -1);
        }
    }
    qsort(names, n, sizeof *names, by_text);
    for (size_t i = 0; i < n; i++) {
        lua_getfield(L, -1, names[i]);
        kt_buf_printf(&b, NULL, "%s--%s", i ? " " : "", names[i]);
        if (lua_toboolean(L, -1) || lua_isnumber(L, -1))
            kt_buf_printf(&b, NULL, " %s", luaL_tolstring(L, -1, NULL)), lua_pop(L, 1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    char *out = kt_buf_take(&b);
    return out;
}

kt_status report_lua_describe(void *ud, kt_ws *ws, const char *path, const char *name,
                              const kt_report_guard *g, char **title, char **params, kt_error *err)
{
    (void)ud;
    *title = *params = NULL;
    kt_status st = report_lua_load(ws, path, g, err);
    if (st) return st;
    lua_State *L = kt_host_lua(kt_config_host(ws));
    lua_getfield(L, -1, "title");
    *title = kt_strdup(lua_isstring(L, -1) ? lua_tostring(L, -1) : name);
    lua_pop(L, 1);
    *params = report_lua_params_text(L, lua_gettop(L));
    lua_pop(L, 1);
    return KT_OK;
}
