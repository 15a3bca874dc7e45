/* The mapping script as an import map: run once, its table kept; map(row, ctx) called per row
 * within the host's budget, its records left on the stack until the row is done. */
#include <lauxlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/config.h"
#include "script/import_map_lua_int.h"

static char *opt_string(lua_State *L, int t, const char *key)
{
    lua_getfield(L, t, key);
    char *v = lua_type(L, -1) == LUA_TSTRING ? kt_strdup(lua_tostring(L, -1)) : NULL;
    lua_pop(L, 1);
    return v;
}

static kt_status read_opts(import_lua *s, int t, kt_error *err)
{
    lua_State *L = s->L;
    kt_read_opts *read = &s->base.read;
    lua_getfield(L, t, "read");
    if (lua_isnil(L, -1)) return lua_pop(L, 1), KT_OK;
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        return kt_error_set(err, KT_SCRIPT, "read must be a table { format, encoding, delimiter }");
    }
    int r = lua_gettop(L);
    s->format = opt_string(L, r, "format");
    s->encoding = opt_string(L, r, "encoding");
    s->sheet = opt_string(L, r, "sheet");
    char *delim = opt_string(L, r, "delimiter");
    if (delim) {
        read->delimiter = !strcmp(delim, "\\t") || !strcmp(delim, "tab") ? '\t' : delim[0];
        kt_free(delim);
    }
    lua_getfield(L, r, "header");
    read->no_header = lua_isboolean(L, -1) && !lua_toboolean(L, -1);
    lua_pop(L, 2);
    read->encoding = s->encoding;
    read->sheet = s->sheet;
    s->base.format = s->format;
    return KT_OK;
}

static kt_status load_table(import_lua *s, const char *path, kt_error *err)
{
    lua_State *L = s->L;
    kt_status st = kt_host_run_file(s->host, path, 1, err);
    if (st) return st;
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        return kt_error_set(err, KT_SCRIPT, "%s must return a table { entity, map, match, ... }",
                            path);
    }
    int t = lua_gettop(L);
    char *on_match = opt_string(L, t, "on_match");
    char *entity = opt_string(L, t, "entity");
    if (entity) {
        kt_free(s->entity);
        s->entity = entity;
    }
    if (on_match) {
        int m = kt_on_match_parse(on_match);
        kt_free(on_match);
        if (m < 0)
            st =
                kt_error_set(err, KT_SCRIPT, "%s: on_match is update, skip, merge or create", path);
        else
            s->base.on_match = (kt_on_match)m;
    }
    lua_getfield(L, t, "dedupe");
    s->base.no_dedupe = lua_isboolean(L, -1) && !lua_toboolean(L, -1);
    lua_pop(L, 1);
    if (!st) st = read_opts(s, t, err);
    lua_getfield(L, t, "match");
    if (!st) st = import_lua_keys(L, -1, &s->base.keys, err);
    lua_pop(L, 1);
    lua_getfield(L, t, "map");
    if (!st && !lua_isfunction(L, -1))
        st = kt_error_set(err, KT_SCRIPT, "%s: map must be a function (row, ctx)", path);
    if (!st)
        s->ref_map = luaL_ref(L, LUA_REGISTRYINDEX);
    else
        lua_pop(L, 1);
    lua_pop(L, 1);
    if (!st && !s->entity) st = kt_error_set(err, KT_SCRIPT, "%s: entity is missing", path);
    if (st) kt_error_where(err, "%s", path);
    return st;
}

static void push_row(lua_State *L, const kt_read_row *row)
{
    lua_createtable(L, (int)row->count, (int)row->count);
    for (size_t i = 0; i < row->count; i++) {
        if (!row->values[i]) continue;
        lua_pushstring(L, row->values[i]);
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, row->keys[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

/* A single record table becomes a list of one; nil an empty list. */
static void as_list(lua_State *L)
{
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        return;
    }
    lua_rawgeti(L, -1, 1);
    int list = lua_istable(L, -1);
    lua_pop(L, 1);
    if (list) return;
    lua_createtable(L, 1, 0);
    lua_insert(L, -2);
    lua_rawseti(L, -2, 1);
}

static kt_status map_row(kt_import_map *m, const kt_read_row *row, size_t *count,
                         kt_failures *fails, int *refused, kt_error *err)
{
    (void)fails;
    import_lua *s = (import_lua *)m;
    lua_State *L = s->L;
    *refused = 0;
    s->top = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, s->ref_map);
    push_row(L, row);
    lua_rawgeti(L, LUA_REGISTRYINDEX, s->ref_ctx);
    lua_pushinteger(L, row->line);
    lua_setfield(L, -2, "line");
    kt_status st = kt_host_call(s->host, 2, 1, err);
    if (st) {
        lua_settop(L, s->top);
        kt_error_prefix(err, "map, line %ld: ", row->line);
        return st;
    }
    if (!lua_isnil(L, -1) && !lua_istable(L, -1)) {
        const char *tn = luaL_typename(L, -1);
        lua_settop(L, s->top);
        return kt_error_set(err, KT_SCRIPT,
                            "map, line %ld: returned a %s; it returns nil, a "
                            "record table or a list of them",
                            row->line, tn);
    }
    as_list(L);
    s->list = lua_gettop(L);
    *count = (size_t)lua_rawlen(L, -1);
    return KT_OK;
}

static void row_done(kt_import_map *m)
{
    import_lua *s = (import_lua *)m;
    lua_settop(s->L, s->top);
}

static void free_map(kt_import_map *m)
{
    import_lua *s = (import_lua *)m;
    if (!s) return;
    luaL_unref(s->L, LUA_REGISTRYINDEX, s->ref_map);
    luaL_unref(s->L, LUA_REGISTRYINDEX, s->ref_ctx);
    kt_import_keys_free(&s->base.keys);
    kt_free(s->entity);
    kt_free(s->format);
    kt_free(s->encoding);
    kt_free(s->sheet);
    kt_free(s);
}

kt_status kt_script_import_map_open(kt_ws *ws, const char *path, const kt_import_map_env *env,
                                    kt_import_map **out, kt_error *err)
{
    *out = NULL;
    kt_host *host = kt_config_host(ws);
    if (!host) return kt_error_set(err, KT_USAGE, "the workspace's configuration is not applied");
    import_lua *s = kt_calloc(1, sizeof *s);
    if (!s) return kt_error_set(err, KT_NOMEM, "out of memory");
    s->ws = ws;
    s->host = host;
    s->L = kt_host_lua(host);
    s->ref_map = s->ref_ctx = LUA_NOREF;
    s->lookup = env->lookup;
    s->lookup_ud = env->lookup_ud;
    s->base.name = path;
    s->base.on_match = KT_ON_MATCH_UPDATE;
    s->base.map = map_row;
    s->base.record = import_lua_record;
    s->base.row_done = row_done;
    s->base.free = free_map;
    kt_status st = KT_OK;
    if (env->entity && !(s->entity = kt_strdup(env->entity)))
        st = kt_error_set(err, KT_NOMEM, "out of memory");
    if (!st) st = load_table(s, path, err);
    if (st) {
        free_map(&s->base);
        return st;
    }
    s->base.entity = s->entity;
    import_lua_push_ctx(s, env->file);
    s->ref_ctx = luaL_ref(s->L, LUA_REGISTRYINDEX);
    *out = &s->base;
    return KT_OK;
}
