/* Loading a report file: run read-only in the workspace's Lua host, it returns its spec. */
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/config.h"
#include "report/report_int.h"

static kt_status read_only_failure(const report_guard *g, const char *path, kt_error *err)
{
    return kt_error_set(err, KT_DENIED,
                        "reports are read-only: %s tried to write (%s); nothing was written", path,
                        g->what);
}

kt_status report_load(kt_ws *ws, const char *path, kt_error *err)
{
    kt_host *h = kt_config_host(ws);
    if (!h) return kt_error_set(err, KT_USAGE, "the workspace's configuration is not applied");
    lua_State *L = kt_host_lua(h);
    report_guard g;
    kt_status st = report_guard_begin(ws, &g, err);
    if (st) return st;
    st = kt_host_run_file(h, path, 1, err);
    report_guard_end(&g);
    if (!st && g.tried) {
        lua_pop(L, 1);
        return read_only_failure(&g, path, err);
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

char *report_params_text(lua_State *L, int idx)
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
