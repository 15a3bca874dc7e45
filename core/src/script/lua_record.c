/* Records as Lua tables and back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "script/script_int.h"

kt_ws *kt_lua_ws(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, KT_LUA_WS);
    kt_ws *ws = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return ws;
}

static void push_value(lua_State *L, const kt_field *f, const kt_value *v)
{
    if (v->is_set) {
        lua_createtable(L, (int)v->nitems, 0);
        for (size_t i = 0; i < v->nitems; i++) {
            lua_pushstring(L, v->items[i]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        return;
    }
    switch (f ? f->kind : KT_TYPE_TEXT) {
    case KT_TYPE_INTEGER:
    case KT_TYPE_REF: lua_pushinteger(L, strtoll(v->text, NULL, 10)); break;
    case KT_TYPE_BOOL: lua_pushboolean(L, strcmp(v->text, "true") == 0); break;
    default: lua_pushstring(L, v->text); break;
    }
}

void kt_lua_push_record(lua_State *L, kt_ws *ws, const kt_record *rec)
{
    lua_createtable(L, 0, (int)rec->n + 4);
    if (rec->id) {
        lua_pushinteger(L, rec->id);
        lua_setfield(L, -2, "id");
    }
    lua_pushstring(L, rec->entity);
    lua_setfield(L, -2, "entity");
    lua_pushstring(L, rec->state);
    lua_setfield(L, -2, "state");
    if (rec->merged_into) {
        lua_pushinteger(L, rec->merged_into);
        lua_setfield(L, -2, "merged_into");
    }
    for (size_t i = 0; i < rec->n; i++) {
        if (kt_value_empty(&rec->values[i])) continue;
        push_value(L, kt_registry_field(kt_ws_registry(ws), rec->entity, rec->names[i]),
                   &rec->values[i]);
        lua_setfield(L, -2, rec->names[i]);
    }
}

const char *kt_lua_scalar_text(lua_State *L, int idx, char *buf, size_t size)
{
    switch (lua_type(L, idx)) {
    case LUA_TSTRING: return lua_tostring(L, idx);
    case LUA_TBOOLEAN: return lua_toboolean(L, idx) ? "true" : "false";
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) snprintf(buf, size, "%lld", (long long)lua_tointeger(L, idx));
        else snprintf(buf, size, "%.17g", lua_tonumber(L, idx));
        return buf;
    default: return NULL;
    }
}

static int is_null(lua_State *L, int idx)
{
    lua_getfield(L, LUA_REGISTRYINDEX, KT_LUA_NULL);
    int eq = lua_rawequal(L, idx, -1);
    lua_pop(L, 1);
    return eq;
}

static kt_status set_from_lua(lua_State *L, int idx, kt_record *r, const char *name, kt_error *err)
{
    char buf[64];
    if (is_null(L, idx)) return kt_record_set(r, name, NULL, err);
    if (lua_istable(L, idx)) {
        lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
        const char **items = kt_calloc((size_t)n + 1, sizeof *items);
        char (*bufs)[64] = kt_calloc((size_t)n + 1, sizeof *bufs);
        if (!items || !bufs) {
            kt_free(items);
            kt_free(bufs);
            return kt_error_set(err, KT_NOMEM, "out of memory");
        }
        size_t k = 0;
        kt_status st = KT_OK;
        for (lua_Integer i = 1; i <= n && !st; i++) {
            lua_rawgeti(L, idx, i);
            const char *t = kt_lua_scalar_text(L, -1, bufs[k], sizeof bufs[k]);
            if (!t) st = kt_error_set(err, KT_INVALID, "%s: a list may hold only strings and numbers", name);
            else items[k++] = t;
            lua_pop(L, 1); /* strings stay alive in the table */
        }
        if (!st) st = kt_record_set_list(r, name, items, k, err);
        kt_free(items);
        kt_free(bufs);
        return st;
    }
    const char *t = kt_lua_scalar_text(L, idx, buf, sizeof buf);
    if (!t)
        return kt_error_set(err, KT_INVALID, "%s: a %s cannot be a field's value", name,
                            luaL_typename(L, idx));
    return kt_record_set(r, name, t, err);
}

kt_status kt_lua_to_record(lua_State *L, int idx, const char *entity, kt_record **out,
                           kt_error *err)
{
    idx = lua_absindex(L, idx);
    *out = NULL;
    if (!lua_istable(L, idx)) return kt_error_set(err, KT_USAGE, "a record must be a table");
    lua_getfield(L, idx, "entity");
    const char *e = lua_tostring(L, -1);
    if (!e) e = entity;
    kt_record *r = e ? kt_record_new(e) : NULL;
    lua_pop(L, 1);
    if (!e) return kt_error_set(err, KT_USAGE, "a record table needs entity = \"person\" (or another entity)");
    if (!r) return kt_error_set(err, KT_NOMEM, "out of memory");
    kt_status st = KT_OK;
    lua_pushnil(L);
    while (!st && lua_next(L, idx)) {
        if (lua_type(L, -2) != LUA_TSTRING) {
            st = kt_error_set(err, KT_INVALID, "record keys must be field names");
        } else {
            const char *k = lua_tostring(L, -2);
            if (!strcmp(k, "id")) r->id = (kt_id)lua_tointeger(L, -1);
            /* the record's own keys and save options are not fields */
            else if (strcmp(k, "entity") && strcmp(k, "state") && strcmp(k, "merged_into") &&
                     strcmp(k, "allow_duplicate"))
                st = set_from_lua(L, lua_gettop(L), r, k, err);
        }
        lua_pop(L, 1);
    }
    if (st) {
        lua_settop(L, idx);
        kt_record_free(r);
        return st;
    }
    *out = r;
    return KT_OK;
}

void kt_lua_push_failures(lua_State *L, const kt_failures *f)
{
    lua_createtable(L, (int)f->n, 0);
    for (size_t i = 0; i < f->n; i++) {
        const kt_failure *x = &f->items[i];
        lua_createtable(L, 0, 5);
        if (x->field) lua_pushstring(L, x->field), lua_setfield(L, -2, "field");
        if (x->value) lua_pushstring(L, x->value), lua_setfield(L, -2, "value");
        if (x->rule) lua_pushstring(L, x->rule), lua_setfield(L, -2, "rule");
        lua_pushstring(L, x->message);
        lua_setfield(L, -2, "message");
        lua_pushstring(L, x->severity == KT_SEVERITY_WARNING ? "warning" : "error");
        lua_setfield(L, -2, "severity");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}
