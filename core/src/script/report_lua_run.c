/* Running a report file: parameters in, run(p) called read-only, rows and chart out. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "kartoteka/alloc.h"
#include "script/report_lua_int.h"

/* Converts one --name VALUE to the type of the parameter's default and stores it in the table
 * at p. The spec table is at spec. */
static kt_status set_param(lua_State *L, int spec, int p, const char *report,
                           const kt_report_param *kv, kt_error *err)
{
    lua_getfield(L, spec, "params");
    int t = lua_istable(L, -1) ? lua_getfield(L, -1, kv->name) : LUA_TNONE;
    if (t == LUA_TNONE || t == LUA_TNIL) {
        char *names = report_lua_params_text(L, spec);
        kt_error_set(err, KT_USAGE, "report %s has no parameter --%s (it takes: %s)", report,
                     kv->name, names && *names ? names : "none");
        kt_free(names);
        lua_settop(L, p);
        return KT_USAGE;
    }
    kt_status st = KT_OK;
    if (t == LUA_TNUMBER) {
        if (!lua_stringtonumber(L, kv->value))
            st = kt_error_set(err, KT_USAGE, "--%s takes a number, not '%s'", kv->name, kv->value);
    } else if (t == LUA_TBOOLEAN && lua_toboolean(L, -1)) {
        const char *v = kv->value;
        int yes = !strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcmp(v, "1");
        int no = !strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcmp(v, "0");
        if (!yes && !no)
            st = kt_error_set(err, KT_USAGE, "--%s takes yes or no, not '%s'", kv->name, v);
        else
            lua_pushboolean(L, yes);
    } else {
        lua_pushstring(L, kv->value);
    }
    if (!st) lua_setfield(L, p, kv->name);
    lua_settop(L, p);
    return st;
}

/* p: the defaults (false means "no default": left out), then what was given. */
static kt_status build_params(lua_State *L, int spec, const char *report,
                              const kt_report_param *params, size_t n, kt_error *err)
{
    lua_newtable(L);
    int p = lua_gettop(L);
    if (lua_getfield(L, spec, "params") == LUA_TTABLE) {
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            if (lua_type(L, -2) == LUA_TSTRING &&
                !(lua_isboolean(L, -1) && !lua_toboolean(L, -1))) {
                lua_pushvalue(L, -2);
                lua_insert(L, -2);
                lua_settable(L, p);
            } else {
                lua_pop(L, 1);
            }
        }
    }
    lua_settop(L, p);
    for (size_t i = 0; i < n; i++) {
        kt_status st = set_param(L, spec, p, report, &params[i], err);
        if (st) {
            lua_pop(L, 1);
            return st;
        }
    }
    return KT_OK;
}

static kt_status call_run(kt_ws *ws, const kt_report_guard *g, kt_error *err)
{
    kt_host *h = kt_config_host(ws);
    lua_State *L = kt_host_lua(h);
    int spec = lua_gettop(L) - 1;
    lua_getfield(L, spec, "run");
    lua_insert(L, -2); /* run, p */
    kt_status st = g->begin(g->ud, err);
    if (st) {
        lua_pop(L, 2);
        return st;
    }
    kt_host_limits usual;
    kt_config_begin_batch(ws, &usual); /* a report reads many rows: the batch budget */
    st = kt_host_call(h, 1, 3, err);
    kt_config_end_batch(ws, &usual);
    kt_error denied;
    kt_status tried = g->end(g->ud, &denied);
    if (tried) {
        if (!st) lua_pop(L, 3);
        *err = denied;
        return tried;
    }
    return st;
}

kt_status report_lua_run(void *ud, kt_ws *ws, const char *path, const char *name,
                         const kt_report_guard *g, const kt_report_param *params, size_t nparams,
                         kt_report *r, kt_error *err)
{
    (void)ud;
    kt_host *h = kt_config_host(ws);
    if (!h) return kt_error_set(err, KT_USAGE, "the workspace's configuration is not applied");
    lua_State *L = kt_host_lua(h);
    int top = lua_gettop(L);
    kt_status st = report_lua_load(ws, path, g, err);
    if (st) return st;
    int spec = lua_gettop(L);
    lua_getfield(L, spec, "title");
    r->title = kt_strdup(lua_isstring(L, -1) ? lua_tostring(L, -1) : name);
    lua_pop(L, 1);
    if (!r->title) st = kt_error_set(err, KT_NOMEM, "out of memory");
    if (!st) st = build_params(L, spec, name, params, nparams, err);
    if (!st) st = call_run(ws, g, err);
    if (!st) {
        /* run may return its own columns third, for rows whose shape depends on p */
        int rows = lua_gettop(L) - 2, chart = rows + 1;
        if (lua_isnil(L, -1)) lua_getfield(L, spec, "columns");
        st = report_lua_table(L, rows, lua_gettop(L), name, &r->table, err);
        if (!st) st = report_lua_chart(L, chart, r, err);
    }
    lua_settop(L, top);
    return st;
}
