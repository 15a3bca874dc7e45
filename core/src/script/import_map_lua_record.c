/* From the tables a mapping script's map returns to records: reserved keys (entity, ref, match,
 * on_match, nth, dedupe) and references between the records of one row. */
#include <lauxlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "script/import_map_lua_int.h"
#include "script/script_int.h"

kt_status import_lua_keys(lua_State *L, int idx, kt_import_keys *out, kt_error *err)
{
    idx = lua_absindex(L, idx);
    memset(out, 0, sizeof *out);
    if (lua_isnil(L, idx)) return KT_OK;
    if (lua_type(L, idx) == LUA_TSTRING) {
        lua_createtable(L, 1, 0);
        lua_pushvalue(L, idx);
        lua_rawseti(L, -2, 1);
        kt_status st = import_lua_keys(L, -1, out, err);
        lua_pop(L, 1);
        return st;
    }
    if (!lua_istable(L, idx))
        return kt_error_set(err, KT_SCRIPT, "match is a list of field names (or of lists of them)");
    size_t n = (size_t)lua_rawlen(L, idx);
    if (n && !(out->items = kt_calloc(n, sizeof *out->items)))
        return kt_error_set(err, KT_NOMEM, "out of memory");
    kt_status st = KT_OK;
    for (size_t i = 1; i <= n && !st; i++, out->n++) {
        kt_import_key *key = &out->items[i - 1];
        lua_rawgeti(L, idx, (lua_Integer)i);
        if (lua_type(L, -1) == LUA_TSTRING) {
            st = kt_import_key_add(key, lua_tostring(L, -1), err);
        } else if (lua_istable(L, -1)) {
            size_t m = (size_t)lua_rawlen(L, -1);
            for (size_t j = 1; j <= m && !st; j++) {
                lua_rawgeti(L, -1, (lua_Integer)j);
                if (lua_type(L, -1) != LUA_TSTRING)
                    st = kt_error_set(err, KT_SCRIPT, "match: field names are strings");
                else
                    st = kt_import_key_add(key, lua_tostring(L, -1), err);
                lua_pop(L, 1);
            }
        } else {
            st = kt_error_set(err, KT_SCRIPT, "match: field names are strings");
        }
        lua_pop(L, 1);
    }
    if (st) kt_import_keys_free(out);
    return st;
}

static int reserved(const char *k)
{
    return !strcmp(k, "ref") || !strcmp(k, "match") || !strcmp(k, "on_match") || !strcmp(k, "id") ||
           !strcmp(k, "nth") || !strcmp(k, "dedupe");
}

/* Copies the table at t into a new one without reserved keys, { ref = "x" } values replaced by
 * the id of the record named x. Leaves the copy on the stack. */
static void copy_resolving(lua_State *L, int t, const kt_import_refs *refs, kt_failures *fails,
                           int *ok)
{
    int n = 0; /* sized at once: grown key by key it would be rehashed again and again */
    lua_pushnil(L);
    while (lua_next(L, t)) {
        n++;
        lua_pop(L, 1);
    }
    lua_createtable(L, 0, n);
    int c = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
        if (!k || reserved(k)) {
            lua_pop(L, 1);
            continue;
        }
        if (lua_istable(L, -1)) {
            lua_getfield(L, -1, "ref");
            const char *name = lua_tostring(L, -1);
            if (name) {
                size_t i = 0;
                while (i < refs->n && strcmp(refs->names[i], name))
                    i++;
                if (i < refs->n && refs->ids[i]) {
                    lua_pop(L, 2);
                    lua_pushinteger(L, refs->ids[i]);
                } else {
                    kt_failures_add(fails, KT_SEVERITY_ERROR, k, name, "ref",
                                    "refers to no earlier record of this row");
                    *ok = 0;
                    lua_pop(L, 2); /* the key stays for lua_next */
                    continue;
                }
            } else {
                lua_pop(L, 1);
            }
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_settable(L, c);
    }
}

kt_status import_lua_record(kt_import_map *m, size_t i, const kt_import_refs *refs,
                            kt_import_out *o, kt_failures *fails, int *ok, kt_error *err)
{
    import_lua *s = (import_lua *)m;
    lua_State *L = s->L;
    int top = lua_gettop(L);
    memset(o, 0, sizeof *o);
    lua_rawgeti(L, s->list, (lua_Integer)i + 1);
    int t = lua_gettop(L);
    if (!lua_istable(L, t)) {
        lua_settop(L, top);
        return kt_error_set(err, KT_SCRIPT, "map returned a list holding a %s, not a record table",
                            luaL_typename(L, t));
    }
    kt_status st = KT_OK;
    lua_getfield(L, t, "ref");
    if (lua_type(L, -1) == LUA_TSTRING && !(o->ref = kt_strdup(lua_tostring(L, -1))))
        st = kt_error_set(err, KT_NOMEM, "out of memory");
    lua_pop(L, 1);
    lua_getfield(L, t, "on_match");
    o->on_match = KT_ON_MATCH_SCRIPT;
    if (lua_type(L, -1) == LUA_TSTRING) {
        int mode = kt_on_match_parse(lua_tostring(L, -1));
        if (mode < 0)
            st = kt_error_set(err, KT_SCRIPT, "on_match is update, skip, merge or create");
        else
            o->on_match = (kt_on_match)mode;
    }
    lua_pop(L, 1);
    lua_getfield(L, t, "dedupe");
    o->no_dedupe = lua_isboolean(L, -1) && !lua_toboolean(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, t, "nth");
    o->nth = lua_isinteger(L, -1) && lua_tointeger(L, -1) > 1 ? (long)lua_tointeger(L, -1) : 1;
    lua_pop(L, 1);
    lua_getfield(L, t, "match");
    if (!st && !lua_isnil(L, -1)) {
        o->has_keys = 1;
        st = import_lua_keys(L, -1, &o->keys, err);
    }
    lua_pop(L, 1);
    if (!st) {
        copy_resolving(L, t, refs, fails, ok);
        kt_error e2;
        if (kt_lua_to_record(L, -1, s->entity, &o->rec, &e2)) {
            if (e2.code == KT_NOMEM)
                st = kt_error_set(err, KT_NOMEM, "out of memory");
            else {
                kt_failures_add(fails, KT_SEVERITY_ERROR, NULL, NULL, "map", e2.message);
                *ok = 0;
            }
        }
    }
    lua_settop(L, top);
    if (st) kt_import_out_clear(o);
    return st;
}
