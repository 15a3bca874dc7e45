/* The mapping script: run once, its table kept; map(row, ctx) called per row within the host's
 * budget. Without a script, rows map to records field by field (the ndjson export read back). */
#include <lauxlib.h>
#include <string.h>

#include "import/import_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/config.h"
#include "kartoteka/host.h"

int imp_ctx_push(lua_State *L, imp_script *s, imp_matcher *m, const char *file);

static char *opt_string(lua_State *L, int t, const char *key)
{
    lua_getfield(L, t, key);
    char *v = lua_type(L, -1) == LUA_TSTRING ? kt_strdup(lua_tostring(L, -1)) : NULL;
    lua_pop(L, 1);
    return v;
}

static kt_status read_opts(imp_script *s, int t, kt_error *err)
{
    lua_State *L = s->L;
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
        s->read.delimiter = !strcmp(delim, "\\t") || !strcmp(delim, "tab") ? '\t' : delim[0];
        kt_free(delim);
    }
    lua_getfield(L, r, "header");
    s->read.no_header = lua_isboolean(L, -1) && !lua_toboolean(L, -1);
    lua_pop(L, 2);
    s->read.encoding = s->encoding;
    s->read.sheet = s->sheet;
    return KT_OK;
}

static kt_status load_table(imp_script *s, const char *path, kt_error *err)
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
            s->on_match = (kt_on_match)m;
    }
    lua_getfield(L, t, "dedupe");
    s->no_dedupe = lua_isboolean(L, -1) && !lua_toboolean(L, -1);
    lua_pop(L, 1);
    if (!st) st = read_opts(s, t, err);
    lua_getfield(L, t, "match");
    if (!st) st = imp_keys_from_lua(L, -1, &s->keys, err);
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

kt_status imp_script_load(imp_script *s, kt_ws *ws, const char *path, const char *entity,
                          const char *file, imp_matcher *m, kt_error *err)
{
    memset(s, 0, sizeof *s);
    s->ws = ws;
    s->host = kt_config_host(ws);
    if (!s->host)
        return kt_error_set(err, KT_USAGE, "the workspace's configuration is not applied");
    s->L = kt_host_lua(s->host);
    s->ref_map = s->ref_ctx = LUA_NOREF;
    s->on_match = KT_ON_MATCH_UPDATE;
    if (entity && !(s->entity = kt_strdup(entity)))
        return kt_error_set(err, KT_NOMEM, "out of memory");
    kt_status st = path ? load_table(s, path, err) : KT_OK;
    if (st) return st;
    if (!path && !s->entity) s->entity = kt_strdup("person");
    if (!path && s->keys.n == 0) {
        /* The identity mapping matches on the external id: a re-import changes nothing. */
        lua_newtable(s->L);
        lua_pushstring(s->L, "external_id");
        lua_rawseti(s->L, -2, 1);
        st = imp_keys_from_lua(s->L, -1, &s->keys, err);
        lua_pop(s->L, 1);
        if (st) return st;
    }
    imp_ctx_push(s->L, s, m, file);
    s->ref_ctx = luaL_ref(s->L, LUA_REGISTRYINDEX);
    return KT_OK;
}

void imp_script_free(imp_script *s)
{
    if (s->L) {
        luaL_unref(s->L, LUA_REGISTRYINDEX, s->ref_map);
        luaL_unref(s->L, LUA_REGISTRYINDEX, s->ref_ctx);
    }
    imp_keys_free(&s->keys);
    kt_free(s->entity);
    kt_free(s->format);
    kt_free(s->encoding);
    kt_free(s->sheet);
    memset(s, 0, sizeof *s);
}

static int skip_identity_key(const char *k)
{
    static const char *const meta[] = {"id", "state", "merged_into", "created_at", "updated_at"};
    for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++)
        if (!strcmp(k, meta[i])) return 1;
    return 0;
}

/* The identity mapping: keys naming fields of the row's entity, meta keys left out. */
static void push_identity(imp_script *s, const kt_read_row *row)
{
    lua_State *L = s->L;
    const char *entity = s->entity;
    for (size_t i = 0; i < row->count; i++)
        if (!strcmp(row->keys[i], "entity") && row->values[i]) entity = row->values[i];
    const kt_registry *reg = kt_ws_registry(s->ws);
    lua_createtable(L, 0, (int)row->count);
    lua_pushstring(L, entity);
    lua_setfield(L, -2, "entity");
    for (size_t i = 0; i < row->count; i++) {
        if (!row->values[i] || skip_identity_key(row->keys[i])) continue;
        if (!kt_registry_field(reg, entity, row->keys[i])) continue;
        lua_pushstring(L, row->values[i]);
        lua_setfield(L, -2, row->keys[i]);
    }
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

kt_status imp_script_map(imp_script *s, const kt_read_row *row, int *idx, size_t *count,
                         kt_error *err)
{
    lua_State *L = s->L;
    int top = lua_gettop(L);
    if (s->ref_map == LUA_NOREF) {
        push_identity(s, row);
    } else {
        lua_rawgeti(L, LUA_REGISTRYINDEX, s->ref_map);
        push_row(L, row);
        lua_rawgeti(L, LUA_REGISTRYINDEX, s->ref_ctx);
        lua_pushinteger(L, row->line);
        lua_setfield(L, -2, "line");
        kt_status st = kt_host_call(s->host, 2, 1, err);
        if (st) {
            lua_settop(L, top);
            kt_error_prefix(err, "map, line %ld: ", row->line);
            return st;
        }
        if (!lua_isnil(L, -1) && !lua_istable(L, -1)) {
            const char *tn = luaL_typename(L, -1);
            lua_settop(L, top);
            return kt_error_set(err, KT_SCRIPT,
                                "map, line %ld: returned a %s; it returns nil, a "
                                "record table or a list of them",
                                row->line, tn);
        }
    }
    as_list(L);
    *idx = lua_gettop(L);
    *count = (size_t)lua_rawlen(L, -1);
    return KT_OK;
}
