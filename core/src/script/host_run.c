/* Running code within the budget: every entry goes through one protected call with a message
 * handler that records file:line, and every failure becomes a kt_error at this boundary. */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include <lauxlib.h>

#include "script/host_int.h"

#define SANDBOX_MARK "(sandbox)"

typedef struct run_req {
    const char *chunk; /* a path, or the text */
    size_t len;
    const char *chunkname;
    int is_file;
    int load_status;
    int load_errno;
} run_req;

/* "imports/x.lua:12: msg" -> "imports/x.lua:12"; 0 when msg does not start that way. */
static int where_of_message(const char *msg, char *out, size_t n)
{
    for (const char *c = msg; *c && *c != '\n'; c++) {
        if (*c != ':' || !isdigit((unsigned char)c[1])) continue;
        const char *d = c + 1;
        while (isdigit((unsigned char)*d))
            d++;
        if (*d != ':' || c == msg) continue;
        snprintf(out, n, "%.*s", (int)(d - msg), msg);
        return 1;
    }
    return 0;
}

/* Never calls Lua code (no __tostring): it may run with hooks off, after a budget stop. */
static int message_handler(lua_State *L)
{
    kt_host *h = host_of(L);
    const char *msg = lua_tostring(L, 1);
    if (!msg) {
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
        lua_replace(L, 1);
    }
    if (where_of_message(msg, h->where, sizeof h->where)) return 1;
    lua_Debug ar;
    for (int level = 1; lua_getstack(L, level, &ar); level++) {
        if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0) continue;
        snprintf(h->where, sizeof h->where, "%s:%d", ar.short_src, ar.currentline);
        lua_pushfstring(L, "%s: %s", h->where, msg);
        return 1;
    }
    return 1;
}

static int ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && memcmp(s + a - b, tail, b) == 0;
}

/* Pops the error object and fills err. */
static kt_status classify(kt_host *h, int status, const run_req *req, kt_error *err)
{
    lua_State *L = h->L;
    const char *msg = lua_tostring(L, -1);
    if (!msg) msg = "(error object is not a string)";
    int why = atomic_load(&h->stop);
    kt_status rc;
    char where[KT_ERROR_WHERE_MAX + 16] = "";
    if (h->where[0]) snprintf(where, sizeof where, " (stopped at %s)", h->where);
    if (why == STOP_TIME) {
        rc = kt_error_set(err, KT_TIMEOUT,
                          "script %s ran longer than %lu ms%s (settings { %s = %lu } in "
                          "kartoteka.lua; raise it there)",
                          h->script, h->time_ms, where, h->time_setting, h->time_ms);
    } else if (why == STOP_MEMORY) {
        char cap[48];
        host_format_mib(cap, sizeof cap, h->cap);
        rc = kt_error_set(err, KT_LIMIT, "script %s used more than %s%s", h->script, cap, where);
    } else if (status == LUA_ERRMEM) {
        rc = kt_error_set(err, KT_NOMEM, "script %s: out of memory", h->script);
    } else if (req && req->load_status == LUA_ERRFILE) {
        rc = kt_error_set(err, req->load_errno == ENOENT ? KT_NOTFOUND : KT_IO, "%s", msg);
    } else if (ends_with(msg, SANDBOX_MARK)) {
        rc = kt_error_set(err, KT_DENIED, "%s", msg);
    } else {
        rc = kt_error_set(err, KT_SCRIPT, "%s", msg);
    }
    kt_error_where(err, "%s", h->where);
    lua_pop(L, 1);
    return rc;
}

/* Calls the function below nargs arguments with the handler and the budget. */
static kt_status budgeted(kt_host *h, int nargs, int nresults, const char *script,
                          const run_req *req, kt_error *err)
{
    lua_State *L = h->L;
    if (!lua_checkstack(L, 4)) {
        lua_pop(L, nargs + 1);
        return kt_error_set(err, KT_NOMEM, "Lua stack full calling %s", script);
    }
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, message_handler);
    lua_insert(L, base);
    h->where[0] = '\0';
    host_budget_enter(h, script);
    int st = lua_pcall(L, nargs, nresults, base);
    kt_status rc = st == LUA_OK ? KT_OK : classify(h, st, req, err);
    lua_remove(L, base);
    int stopped = atomic_load(&h->stop) != STOP_NONE;
    host_budget_leave(h);
    /* What a stopped hog left behind must not count against the next script. */
    if (rc != KT_OK && stopped && h->depth == 0) lua_gc(L, LUA_GCCOLLECT);
    return rc;
}

static int run_main(lua_State *L)
{
    run_req *r = lua_touserdata(L, 1);
    lua_settop(L, 0);
    int st = r->is_file ? luaL_loadfilex(L, r->chunk, "t")
                        : luaL_loadbufferx(L, r->chunk, r->len, r->chunkname, "t");
    if (st != LUA_OK) {
        r->load_errno = errno;
        r->load_status = st;
        return lua_error(L);
    }
    host_push_env(L);
    lua_setupvalue(L, 1, 1); /* a main chunk's only upvalue is _ENV */
    lua_call(L, 0, LUA_MULTRET);
    return lua_gettop(L);
}

static kt_status run(kt_host *h, run_req *req, const char *script, int nresults, kt_error *err)
{
    if (!lua_checkstack(h->L, 3)) return kt_error_set(err, KT_NOMEM, "Lua stack full");
    lua_pushcfunction(h->L, run_main);
    lua_pushlightuserdata(h->L, req);
    return budgeted(h, 1, nresults, script, req, err);
}

kt_status kt_host_run_file(kt_host *h, const char *path, int nresults, kt_error *err)
{
    if (!path) return kt_error_set(err, KT_USAGE, "no script path");
    run_req req = {path, 0, NULL, 1, LUA_OK, 0};
    return run(h, &req, path, nresults, err);
}

kt_status kt_host_run_string(kt_host *h, const char *chunk, const char *name, int nresults,
                             kt_error *err)
{
    if (!chunk) return kt_error_set(err, KT_USAGE, "no script text");
    if (!name || !*name) name = "=(string)";
    /* A bare name reads like a file in messages ("x.lua:3:"), not [string "x.lua"]:3:. */
    char chunkname[KT_ERROR_WHERE_MAX];
    if (name[0] == '=' || name[0] == '@')
        snprintf(chunkname, sizeof chunkname, "%s", name);
    else
        snprintf(chunkname, sizeof chunkname, "@%s", name);
    run_req req = {chunk, strlen(chunk), chunkname, 0, LUA_OK, 0};
    return run(h, &req, chunkname + 1, nresults, err);
}

kt_status kt_host_call_named(kt_host *h, int nargs, int nresults, const char *name, kt_error *err)
{
    if (nargs < 0 || lua_gettop(h->L) < nargs + 1)
        return kt_error_set(err, KT_USAGE, "kt_host_call: no function below %d arguments", nargs);
    return budgeted(h, nargs, nresults, name, NULL, err);
}

kt_status kt_host_call(kt_host *h, int nargs, int nresults, kt_error *err)
{
    lua_State *L = h->L;
    char script[HOST_SCRIPT_MAX] = "(function)";
    lua_Debug ar;
    if (nargs >= 0 && lua_gettop(L) >= nargs + 1 && lua_isfunction(L, -(nargs + 1)) &&
        lua_checkstack(L, 1)) {
        lua_pushvalue(L, -(nargs + 1));
        if (lua_getinfo(L, ">S", &ar)) snprintf(script, sizeof script, "%s", ar.short_src);
    }
    return kt_host_call_named(h, nargs, nresults, script, err);
}
