/* Bringing a workspace's configuration to life: the host, the plugins, the schema and
 * kartoteka.lua. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "campaign/campaign_int.h"
#include "channel/channel.h"
#include "kartoteka/alloc.h"
#include "kartoteka/query.h"
#include "script/kt_module_int.h"
#include "script/script_int.h"
#include "store/schema_files.h"

static void free_host(void *p)
{
    kt_host_free(p);
}

static void free_plugins(void *p)
{
    kt_plugins_free(p);
}

/* Where plugins are looked for after the workspace's own plugins/ folder: kept for plugins
 * loaded when first used (kt_config_load_plugin), after kt_config_apply returned. */
typedef struct plugin_dirs {
    size_t n;
    char *v[16];
} plugin_dirs;

static void free_dirs(void *p)
{
    plugin_dirs *d = p;
    for (size_t i = 0; i < d->n; i++)
        kt_free(d->v[i]);
    kt_free(d);
}

static kt_status keep_dirs(kt_ws *ws, const kt_config_opts *o, kt_error *err)
{
    plugin_dirs *d = NULL;
    kt_status st = kt_ws_attachment_make(ws, "plugin_dirs", sizeof *d, free_dirs, (void **)&d, err);
    for (size_t i = 0; !st && o && i < o->nplugin_dirs && d->n < 15; i++)
        if (!(d->v[d->n++] = kt_strdup(o->plugin_dirs[i])))
            st = kt_error_set(err, KT_NOMEM, "out of memory");
    return st;
}

size_t kt_config_plugin_dirs(const kt_ws *ws, const char *dirs[16], char wsdir[4096])
{
    const plugin_dirs *d = kt_ws_attachment(ws, "plugin_dirs");
    size_t n = 0;
    snprintf(wsdir, 4096, "%s/plugins", kt_ws_dir(ws));
    dirs[n++] = wsdir;
    for (size_t i = 0; d && i < d->n && d->v[i]; i++)
        dirs[n++] = d->v[i];
    return n;
}

kt_status kt_config_load_plugin(kt_ws *ws, const char *name, kt_error *err)
{
    kt_plugins *p = kt_config_plugins(ws);
    if (!p)
        return kt_error_set(err, KT_INTERNAL, "plugin \"%s\": the workspace is not configured",
                            name);
    const char *dirs[16];
    char wsdir[4096];
    size_t n = kt_config_plugin_dirs(ws, dirs, wsdir);
    return kt_plugins_load(p, name, dirs, n, NULL, NULL, err);
}

kt_host *kt_config_host(const kt_ws *ws)
{
    return kt_ws_attachment(ws, "host");
}

kt_plugins *kt_config_plugins(const kt_ws *ws)
{
    return kt_ws_attachment(ws, "plugins");
}

void kt_config_set_source(const kt_ws *ws, const char *source)
{
    lua_State *L = kt_host_lua(kt_config_host(ws));
    lua_pushstring(L, source);
    lua_setfield(L, LUA_REGISTRYINDEX, KT_LUA_SOURCE);
}

char *kt_config_source(const kt_ws *ws)
{
    lua_State *L = kt_host_lua(kt_config_host(ws));
    lua_getfield(L, LUA_REGISTRYINDEX, KT_LUA_SOURCE);
    char *s = lua_isstring(L, -1) ? kt_strdup(lua_tostring(L, -1)) : NULL;
    lua_pop(L, 1);
    return s;
}

/* What the layers below the script layer call back into: campaigns set the history source of
 * script writes, channels load their plugin on demand. */
static const campaign_source source_hooks = {kt_config_source, kt_config_set_source};
static const channel_plugin_loader plugin_loader = {kt_config_load_plugin};

static void set_phase(lua_State *L, int config)
{
    lua_pushboolean(L, config);
    lua_setfield(L, LUA_REGISTRYINDEX, KT_LUA_PHASE);
}

static kt_status run_schema(kt_ws *ws, kt_host *h, kt_plugins *p, const kt_config_opts *o,
                            kt_error *err)
{
    for (const kt_schema_file *f = kt_schema_files; f->name; f++) {
        if (strcmp(f->name, "entities.lua") != 0) continue;
        (void)p;
        (void)o;
        return kt_host_run_string(h, f->text, "=schema/entities.lua", 0, err);
    }
    return kt_error_set(err, KT_INTERNAL, "the built-in schema is missing from this build");
}

/* A command whose registry was current did not run the schema; asked where a built-in field is
 * declared, it runs it then, only to collect its declarations (nothing is applied). */
#define SCHEMA_SKIPPED "kartoteka.schema_skipped"
#define SCHEMA_DECLS "kartoteka.schema_decls"

void kt_config_push_schema_declarations(const kt_ws *ws)
{
    lua_State *L = kt_host_lua(kt_config_host(ws));
    if (lua_getfield(L, LUA_REGISTRYINDEX, SCHEMA_DECLS) == LUA_TTABLE) return;
    lua_pop(L, 1);
    int skipped = lua_getfield(L, LUA_REGISTRYINDEX, SCHEMA_SKIPPED) == LUA_TBOOLEAN;
    lua_pop(L, 1);
    if (!skipped) {
        lua_pushnil(L);
        return;
    }
    lua_getfield(L, LUA_REGISTRYINDEX, KT_LUA_DECLS); /* the run's own, put back after */
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, KT_LUA_DECLS);
    set_phase(L, 1);
    kt_error err;
    kt_status st = run_schema((kt_ws *)ws, kt_config_host(ws), NULL, NULL, &err);
    set_phase(L, 0);
    if (st)
        lua_newtable(L);
    else
        lua_getfield(L, LUA_REGISTRYINDEX, KT_LUA_DECLS);
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, SCHEMA_DECLS);
    lua_insert(L, -2);
    lua_setfield(L, LUA_REGISTRYINDEX, KT_LUA_DECLS);
}

kt_status kt_config_apply(kt_ws *ws, const kt_config_opts *o, kt_error *err)
{
    kt_status searched = kt_search_install(ws, err);
    if (searched) return searched;
    kt_host *h = kt_host_new(NULL, err);
    if (!h) return err ? err->code : KT_NOMEM;
    kt_status st = kt_ws_attach(ws, "host", h, free_host, err);
    if (st) {
        kt_host_free(h);
        return st;
    }
    if ((st = campaign_source_set(ws, &source_hooks, err))) return st;
    /* plugins are attached after the host so they are unloaded first: the host's registry of
     * values never points into an unloaded library once the workspace closes */
    kt_plugins *p = kt_plugins_new(kt_ws_ext(ws));
    if (!p) return kt_error_set(err, KT_NOMEM, "out of memory");
    if ((st = kt_ws_attach(ws, "plugins", p, free_plugins, err))) {
        kt_plugins_free(p);
        return st;
    }
    if ((st = channel_plugin_loader_set(ws, &plugin_loader, err))) return st;
    if ((st = keep_dirs(ws, o, err))) return st;
    if (o && o->runaway) kt_host_set_runaway(h, o->runaway, o->runaway_ud);
    lua_State *L = kt_host_lua(h);
    lua_pushlightuserdata(L, ws);
    lua_setfield(L, LUA_REGISTRYINDEX, KT_LUA_WS);
    kt_config_set_source(ws, "script");
    if ((st = kt_config_register_dsl(h, err))) return st;
    if ((st = kt_lua_register_report_files(kt_ws_ext(ws), err))) return st;
    if ((st = kt_host_add_library(h, "kt", kt_lua_open_kt, err))) return st;
    lua_pushcfunction(L, kt_lua_print); /* print goes where kt.print goes, never straight to fd 1 */
    if ((st = kt_host_add_global(h, "print", err))) return st;
    if ((st = kt_host_add_path(h, kt_ws_dir(ws), err))) return st;
    for (size_t i = 0; o && i < o->nscript_dirs; i++) {
        struct stat sb;
        if (stat(o->script_dirs[i], &sb) == 0 && (st = kt_host_add_path(h, o->script_dirs[i], err)))
            return st;
    }
    /* unchanged since it was last declared: the registry loaded from the database is what the
     * schema and kartoteka.lua would declare, and kartoteka.lua runs for its rules alone */
    int own = !(o && o->skip_workspace), current = 0;
    if (own && (st = kt_config_is_current(ws, &current, err))) return st;
    set_phase(L, 1);
    kt_config_collect_required(h, own && !current);
    st = current ? KT_OK : run_schema(ws, h, p, o, err);
    if (current) { /* kt_config_push_schema_declarations runs it when someone asks */
        lua_pushboolean(L, 1);
        lua_setfield(L, LUA_REGISTRYINDEX, SCHEMA_SKIPPED);
    }
    if (!st && own) {
        char path[4096];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", kt_ws_dir(ws), KT_WS_CONFIG);
        if (stat(path, &sb) == 0) {
            st = kt_host_run_file(h, path, 0, err);
        }
    }
    /* one transaction: a workspace whose configuration fails to apply is left as it was */
    if (!st && !(st = kt_store_begin_lazy(kt_ws_store(ws), err))) {
        st = kt_config_apply_decls(ws, h, p, o, current, err);
        if (!st && own && !current) st = kt_config_remember(ws, err);
        if (st)
            kt_store_rollback(kt_ws_store(ws));
        else
            st = kt_store_commit(kt_ws_store(ws), err);
    }
    kt_config_collect_required(h, 0);
    set_phase(L, 0);
    return st;
}

const char *kt_config_warning(const kt_ws *ws, size_t i)
{
    kt_host *h = kt_config_host(ws);
    if (!h) return NULL;
    lua_State *L = kt_host_lua(h);
    lua_getfield(L, LUA_REGISTRYINDEX, "kartoteka.warnings");
    const char *w = NULL;
    if (lua_istable(L, -1)) {
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        w = lua_tostring(L, -1); /* alive: the warnings table holds it */
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return w;
}
