/* The host's life: creating the sandboxed state with its allocator, panic handler and
 * watchdog, adding what every script shares, and freeing it all. Running code is host_run.c. */
#include <string.h>

#include <lauxlib.h>

#include "kartoteka/alloc.h"
#include "script/host_int.h"

static void apply_limits(kt_host *h, const kt_host_limits *limits)
{
    h->time_ms = limits && limits->time_ms ? limits->time_ms : HOST_DEFAULT_TIME_MS;
    h->cap = limits && limits->memory_bytes ? limits->memory_bytes : HOST_DEFAULT_MEMORY;
}

kt_host *kt_host_new(const kt_host_limits *limits, kt_error *err)
{
    kt_host *h = kt_calloc(1, sizeof *h);
    if (!h) {
        kt_error_set(err, KT_NOMEM, "out of memory creating the script host");
        return NULL;
    }
    apply_limits(h, limits);
    h->time_setting = "script_time_ms";
    atomic_init(&h->stop, STOP_NONE);
    h->L = lua_newstate(host_alloc, h);
    if (!h->L) {
        kt_error_set(err, KT_NOMEM, "out of memory creating the Lua state");
        goto fail;
    }
    /* Every coroutine copies this, so hooks and C functions find the host from any thread. */
    *(kt_host **)lua_getextraspace(h->L) = h;
    lua_atpanic(h->L, host_panic);
    lua_pushcfunction(h->L, host_open_sandbox);
    if (lua_pcall(h->L, 0, 0, 0) != LUA_OK) {
        kt_error_set(err, KT_NOMEM, "cannot set up the script sandbox: %s",
                     lua_tostring(h->L, -1) ? lua_tostring(h->L, -1) : "out of memory");
        goto fail;
    }
    if (host_watchdog_start(h, err) != KT_OK) goto fail;
    return h;
fail:
    if (h->L) lua_close(h->L);
    kt_free(h);
    return NULL;
}

void kt_host_free(kt_host *h)
{
    if (!h) return;
    host_watchdog_stop(h);
    lua_close(h->L);
    for (size_t i = 0; i < h->npaths; i++)
        kt_free(h->paths[i]);
    kt_free(h->paths);
    kt_free(h);
}

void kt_host_set_limits(kt_host *h, const kt_host_limits *limits)
{
    pthread_mutex_lock(&h->mu);
    apply_limits(h, limits);
    pthread_mutex_unlock(&h->mu);
}

void kt_host_get_limits(kt_host *h, kt_host_limits *out)
{
    pthread_mutex_lock(&h->mu);
    out->time_ms = h->time_ms;
    out->memory_bytes = h->cap;
    pthread_mutex_unlock(&h->mu);
}

void kt_host_set_time_setting(kt_host *h, const char *setting)
{
    pthread_mutex_lock(&h->mu);
    h->time_setting = setting;
    pthread_mutex_unlock(&h->mu);
}

const char *kt_host_time_setting(kt_host *h)
{
    pthread_mutex_lock(&h->mu);
    const char *s = h->time_setting;
    pthread_mutex_unlock(&h->mu);
    return s;
}

void kt_host_set_runaway(kt_host *h, kt_host_runaway_fn fn, void *ud)
{
    pthread_mutex_lock(&h->mu);
    h->runaway = fn;
    h->runaway_ud = ud;
    pthread_mutex_unlock(&h->mu);
}

lua_State *kt_host_lua(kt_host *h)
{
    return h->L;
}

size_t kt_host_memory(const kt_host *h)
{
    return h->used;
}

kt_status kt_host_add_path(kt_host *h, const char *dir, kt_error *err)
{
    if (!dir || !*dir) return kt_error_set(err, KT_USAGE, "an empty script folder");
    char *copy = kt_strdup(dir);
    char **grown = copy ? kt_realloc(h->paths, (h->npaths + 1) * sizeof *grown) : NULL;
    if (!grown) {
        kt_free(copy);
        return kt_error_set(err, KT_NOMEM, "out of memory adding script folder %s", dir);
    }
    size_t len = strlen(copy);
    while (len > 1 && copy[len - 1] == '/')
        copy[--len] = '\0';
    h->paths = grown;
    h->paths[h->npaths++] = copy;
    return KT_OK;
}

/* Protected: 1 = name (light userdata), 2 = value, 3 = open function or nil. */
static int publish(lua_State *L)
{
    const char *name = lua_touserdata(L, 1);
    if (!lua_isnil(L, 3)) {
        lua_settop(L, 3);
        lua_call(L, 0, 1);
        if (!lua_istable(L, -1)) return luaL_error(L, "library %s did not return a table", name);
        lua_pushstring(L, name);
        host_make_readonly(L, -2);
        /* `require "kt"` finds the library too. */
        lua_rawgetp(L, LUA_REGISTRYINDEX, &host_key_loaded);
        lua_pushvalue(L, -2);
        lua_setfield(L, -2, name);
        lua_pop(L, 1);
    } else {
        lua_settop(L, 2);
    }
    lua_rawgetp(L, LUA_REGISTRYINDEX, &host_key_shared);
    lua_insert(L, -2);
    lua_setfield(L, -2, name);
    return 0;
}

static kt_status run_publish(kt_host *h, const char *what, const char *name, kt_error *err)
{
    if (lua_pcall(h->L, 3, 0, 0) == LUA_OK) return KT_OK;
    const char *msg = lua_tostring(h->L, -1);
    kt_error_set(err, KT_SCRIPT, "cannot add %s %s: %s", what, name, msg ? msg : "error");
    lua_pop(h->L, 1);
    return KT_SCRIPT;
}

kt_status kt_host_add_library(kt_host *h, const char *name, lua_CFunction open, kt_error *err)
{
    if (!name || !open) return kt_error_set(err, KT_USAGE, "a library needs a name and open");
    if (!lua_checkstack(h->L, 4)) return kt_error_set(err, KT_NOMEM, "Lua stack full");
    lua_pushcfunction(h->L, publish);
    lua_pushlightuserdata(h->L, (void *)name);
    lua_pushnil(h->L);
    lua_pushcfunction(h->L, open);
    return run_publish(h, "library", name, err);
}

kt_status kt_host_add_global(kt_host *h, const char *name, kt_error *err)
{
    if (!name) {
        lua_pop(h->L, 1);
        return kt_error_set(err, KT_USAGE, "a global needs a name");
    }
    if (!lua_checkstack(h->L, 4)) {
        lua_pop(h->L, 1);
        return kt_error_set(err, KT_NOMEM, "Lua stack full");
    }
    lua_pushcfunction(h->L, publish);
    lua_insert(h->L, -2);
    lua_pushlightuserdata(h->L, (void *)name);
    lua_insert(h->L, -2);
    lua_pushnil(h->L);
    return run_publish(h, "global", name, err);
}

kt_host *kt_host_of(lua_State *L)
{
    return host_of(L);
}
