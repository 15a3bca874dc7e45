/* From the tables map returns to records: reserved keys (entity, ref, match, on_match),
 * references between the records of one row, empty cells dropped, set fields split. */
#include <cjson/cJSON.h>
#include <lauxlib.h>
#include <string.h>

#include "import/import_int.h"
#include "kartoteka/alloc.h"
#include "script/script_int.h"

int kt_on_match_parse(const char *name)
{
    static const char *const names[] = {"update", "skip", "merge", "create"};
    for (int i = 0; name && i < 4; i++)
        if (!strcmp(name, names[i])) return KT_ON_MATCH_UPDATE + i;
    return -1;
}

void imp_keys_free(imp_keys *k)
{
    for (size_t i = 0; i < k->n; i++) {
        for (size_t j = 0; j < k->items[i].n; j++)
            kt_free(k->items[i].fields[j]);
        kt_free(k->items[i].fields);
    }
    kt_free(k->items);
    k->items = NULL;
    k->n = 0;
}

static kt_status key_add(imp_key *key, const char *field, kt_error *err)
{
    char **f = kt_realloc(key->fields, (key->n + 1) * sizeof *f);
    if (!f) return kt_error_set(err, KT_NOMEM, "out of memory");
    key->fields = f;
    if (!(f[key->n] = kt_strdup(field))) return kt_error_set(err, KT_NOMEM, "out of memory");
    key->n++;
    return KT_OK;
}

kt_status imp_keys_from_lua(lua_State *L, int idx, imp_keys *out, kt_error *err)
{
    idx = lua_absindex(L, idx);
    memset(out, 0, sizeof *out);
    if (lua_isnil(L, idx)) return KT_OK;
    if (lua_type(L, idx) == LUA_TSTRING) {
        lua_createtable(L, 1, 0);
        lua_pushvalue(L, idx);
        lua_rawseti(L, -2, 1);
        kt_status st = imp_keys_from_lua(L, -1, out, err);
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
        imp_key *key = &out->items[i - 1];
        lua_rawgeti(L, idx, (lua_Integer)i);
        if (lua_type(L, -1) == LUA_TSTRING) {
            st = key_add(key, lua_tostring(L, -1), err);
        } else if (lua_istable(L, -1)) {
            size_t m = (size_t)lua_rawlen(L, -1);
            for (size_t j = 1; j <= m && !st; j++) {
                lua_rawgeti(L, -1, (lua_Integer)j);
                if (lua_type(L, -1) != LUA_TSTRING)
                    st = kt_error_set(err, KT_SCRIPT, "match: field names are strings");
                else
                    st = key_add(key, lua_tostring(L, -1), err);
                lua_pop(L, 1);
            }
        } else {
            st = kt_error_set(err, KT_SCRIPT, "match: field names are strings");
        }
        lua_pop(L, 1);
    }
    if (st) imp_keys_free(out);
    return st;
}

void imp_out_clear(imp_out *o)
{
    kt_record_free(o->rec);
    kt_free(o->ref);
    imp_keys_free(&o->keys);
    memset(o, 0, sizeof *o);
}

static int reserved(const char *k)
{
    return !strcmp(k, "ref") || !strcmp(k, "match") || !strcmp(k, "on_match") || !strcmp(k, "id") ||
           !strcmp(k, "nth") || !strcmp(k, "dedupe");
}

/* Copies the table at t into a new one without reserved keys, { ref = "x" } values replaced by
 * the id of the record named x. Leaves the copy on the stack. */
static void copy_resolving(lua_State *L, int t, char **refs, const kt_id *ids, size_t nrefs,
                           kt_failures *fails, int *ok)
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
                while (i < nrefs && strcmp(refs[i], name))
                    i++;
                if (i < nrefs && ids[i]) {
                    lua_pop(L, 2);
                    lua_pushinteger(L, ids[i]);
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

kt_status imp_script_record(imp_script *s, int idx, size_t i, char **refs, const kt_id *ids,
                            size_t nrefs, imp_out *o, kt_failures *fails, int *ok, kt_error *err)
{
    lua_State *L = s->L;
    int top = lua_gettop(L);
    memset(o, 0, sizeof *o);
    lua_rawgeti(L, idx, (lua_Integer)i);
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
        int m = kt_on_match_parse(lua_tostring(L, -1));
        if (m < 0)
            st = kt_error_set(err, KT_SCRIPT, "on_match is update, skip, merge or create");
        else
            o->on_match = (kt_on_match)m;
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
        st = imp_keys_from_lua(L, -1, &o->keys, err);
    }
    lua_pop(L, 1);
    if (!st) {
        copy_resolving(L, t, refs, ids, nrefs, fails, ok);
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
    if (!st && o->rec) st = imp_coerce_sets(s->ws, o->rec, err);
    lua_settop(L, top);
    if (st) imp_out_clear(o);
    return st;
}

static kt_status split_list(kt_record *rec, const char *name, const char *text, kt_error *err)
{
    const char *items[256];
    size_t n = 0;
    char *copy = kt_strdup(text);
    if (!copy) return kt_error_set(err, KT_NOMEM, "out of memory");
    cJSON *arr = text[0] == '[' ? cJSON_Parse(text) : NULL;
    if (cJSON_IsArray(arr)) {
        const cJSON *it;
        cJSON_ArrayForEach(it, arr) if (cJSON_IsString(it) && n < 256) items[n++] = it->valuestring;
    } else {
        for (char *p = copy, *tok; (tok = strsep(&p, ",;")) && n < 256;) {
            while (*tok == ' ' || *tok == '\t')
                tok++;
            size_t len = strlen(tok);
            while (len && (tok[len - 1] == ' ' || tok[len - 1] == '\t'))
                tok[--len] = '\0';
            if (len) items[n++] = tok;
        }
    }
    kt_status st = kt_record_set_list(rec, name, items, n, err);
    cJSON_Delete(arr);
    kt_free(copy);
    return st;
}

kt_status imp_coerce_sets(kt_ws *ws, kt_record *rec, kt_error *err)
{
    const kt_registry *reg = kt_ws_registry(ws);
    for (size_t i = 0; i < rec->n;) {
        kt_value *v = &rec->values[i];
        if (!v->is_set && v->text && !v->text[0]) {
            kt_record_unset(rec, rec->names[i]); /* an empty cell says nothing */
            continue;
        }
        const kt_field *f = kt_registry_field(reg, rec->entity, rec->names[i]);
        if (f && f->kind == KT_TYPE_SET && !v->is_set && v->text) {
            char *text = kt_strdup(v->text);
            if (!text) return kt_error_set(err, KT_NOMEM, "out of memory");
            kt_status st = split_list(rec, rec->names[i], text, err);
            kt_free(text);
            if (st) return st;
        }
        i++;
    }
    return KT_OK;
}
