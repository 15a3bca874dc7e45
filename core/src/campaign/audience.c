/* Who a campaign looks at. The declaration's `filter = { field = value, other = { ">=", v } }`
 * becomes kt_list filters, so SQL narrows the records before any Lua runs; only the survivors
 * are loaded and given to the `audience` function, one call (and one budget) per record. */
#include <stdio.h>
#include <string.h>

#include "campaign/campaign_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/query.h"
#include "script/script_int.h"

#define MAX_FILTERS 32

void kt_ids_free(kt_ids *ids)
{
    kt_free(ids->v);
    memset(ids, 0, sizeof *ids);
}

kt_status kt_ids_add(kt_ids *ids, kt_id id, kt_error *err)
{
    if (ids->n == ids->cap) {
        size_t cap = ids->cap ? ids->cap * 2 : 64;
        kt_id *v = kt_realloc(ids->v, cap * sizeof *v);
        if (!v) return kt_error_set(err, KT_NOMEM, "out of memory");
        ids->v = v;
        ids->cap = cap;
    }
    ids->v[ids->n++] = id;
    return KT_OK;
}

int kt_audience_opted_out(const kt_record *rec)
{
    const char *c = kt_record_text(rec, "marketing_consent");
    return c && !strcmp(c, "no");
}

static int collect(void *ud, const kt_record *rec)
{
    kt_ids *ids = ud;
    if (ids->n == ids->cap) {
        size_t cap = ids->cap ? ids->cap * 2 : 256;
        kt_id *v = kt_realloc(ids->v, cap * sizeof *v);
        if (!v) return 1;
        ids->v = v;
        ids->cap = cap;
    }
    ids->v[ids->n++] = rec->id;
    return 0;
}

/* Reads one `name = value` or `name = { op, value }` entry (key at -2, value at -1). */
static kt_status one_filter(lua_State *L, kt_filter *f, kt_error *err)
{
    char text[1100];
    int top = lua_gettop(L);
    const char *k = lua_type(L, top - 1) == LUA_TSTRING ? lua_tostring(L, top - 1) : NULL;
    const char *op = "=", *v;
    int pair = 0; /* a date object (with __tostring) is a value, not { op, value } */
    if (lua_istable(L, top)) {
        if (luaL_getmetafield(L, top, "__tostring") != LUA_TNIL)
            lua_pop(L, 1);
        else
            pair = 1;
    }
    if (pair) {
        lua_rawgeti(L, top, 1);
        lua_rawgeti(L, top, 2);
        op = lua_tostring(L, top + 1);
        v = luaL_tolstring(L, top + 2, NULL);
    } else {
        v = luaL_tolstring(L, top, NULL);
    }
    snprintf(text, sizeof text, "%s%s%s", k ? k : "", op ? op : "", v ? v : "");
    lua_settop(L, top);
    if (!k || !op)
        return kt_error_set(err, KT_INVALID,
                            "filter: entries are field = value or field = { op, value }");
    return kt_filter_parse(text, f, err);
}

kt_status kt_lua_filters(lua_State *L, int idx, kt_filter *out, size_t max, size_t *n,
                         kt_error *err)
{
    kt_status st = KT_OK;
    *n = 0;
    if (!lua_istable(L, idx)) return KT_OK;
    idx = lua_absindex(L, idx);
    int top = lua_gettop(L);
    lua_pushnil(L);
    while (!st && lua_next(L, idx)) {
        if (*n == max)
            st = kt_error_set(err, KT_LIMIT, "filter: at most %zu fields", max);
        else if (!(st = one_filter(L, &out[*n], err)))
            (*n)++;
        lua_pop(L, 1);
    }
    lua_settop(L, top);
    if (st) {
        for (size_t i = 0; i < *n; i++)
            kt_filter_clear(&out[i]);
        *n = 0;
    }
    return st;
}

kt_status kt_audience_candidates(kt_ws *ws, lua_State *L, int spec_idx, const char *entity,
                                 kt_ids *out, kt_error *err)
{
    kt_filter filters[MAX_FILTERS];
    size_t n = 0;
    memset(out, 0, sizeof *out);
    lua_getfield(L, spec_idx, "filter");
    kt_status st = kt_lua_filters(L, -1, filters, MAX_FILTERS, &n, err);
    lua_pop(L, 1);
    kt_list_opts o = {filters, n, 0, 0, 0};
    if (!st) st = kt_list(ws, entity, &o, collect, out, err);
    if (!st && out->n && !out->v) st = kt_error_set(err, KT_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        kt_filter_clear(&filters[i]);
    if (st) kt_ids_free(out);
    return st;
}
