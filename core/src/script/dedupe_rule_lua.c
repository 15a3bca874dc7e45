/* kartoteka.lua's `dedupe "entity" { threshold, entry_threshold, compare = {...} }` made into
 * a duplicate-comparison object of the registry (KT_EXT_DUPE) when the configuration loads. The
 * values are kept as declared: the dedupe layer judges them when it uses the rule, so a wrong
 * one fails the commands that compare records, as it always has, and no other. */
#include <string.h>

#include "kartoteka/alloc.h"
#include "script/lua_adapters.h"

typedef struct dupe_decl {
    kt_ext_dupe d; /* first: the registry hands out &decl->d */
    kt_ext_compare *compare;
} dupe_decl;

static void decl_free(void *item)
{
    dupe_decl *x = item;
    if (!x) return;
    for (size_t i = 0; i < x->d.ncompare; i++) {
        kt_free((char *)x->compare[i].field);
        kt_free((char *)x->compare[i].method);
    }
    kt_free(x->compare);
    kt_free((char *)x->d.name);
    kt_free((char *)x->d.where);
    kt_free(x);
}

/* 0 when absent; -1 when not a number or 0, which the dedupe layer refuses alike. */
static double threshold(lua_State *L, int spec, const char *key)
{
    lua_getfield(L, spec, key);
    double t = lua_isnil(L, -1) ? 0 : lua_isnumber(L, -1) ? lua_tonumber(L, -1) : -1;
    if (!lua_isnil(L, -1) && t == 0) t = -1;
    lua_pop(L, 1);
    return t;
}

static char *text_at(lua_State *L, int idx)
{
    const char *s = lua_tostring(L, idx);
    return s ? kt_strdup(s) : NULL;
}

/* Fills x from the spec table at spec; 0, or -1 when out of memory. */
static int read_spec(lua_State *L, int spec, dupe_decl *x)
{
    x->d.threshold = threshold(L, spec, "threshold");
    x->d.entry_threshold = threshold(L, spec, "entry_threshold");
    lua_getfield(L, spec, "compare");
    size_t n = lua_istable(L, -1) ? (size_t)lua_rawlen(L, -1) : 0;
    int bad = n && !(x->compare = kt_calloc(n, sizeof *x->compare));
    for (size_t i = 0; !bad && i < n; i++) {
        kt_ext_compare *c = &x->compare[x->d.ncompare++];
        c->weight = 1.0;
        if (lua_rawgeti(L, -1, (lua_Integer)i + 1) == LUA_TTABLE) {
            lua_getfield(L, -1, "field");
            lua_getfield(L, -2, "method");
            lua_getfield(L, -3, "weight");
            c->weight = lua_isnil(L, -1) ? 1.0 : lua_tonumber(L, -1);
            bad = (!lua_isnil(L, -3) && lua_isstring(L, -3) && !(c->field = text_at(L, -3))) ||
                  (!lua_isnil(L, -2) && lua_isstring(L, -2) && !(c->method = text_at(L, -2)));
            lua_pop(L, 3);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    x->d.compare = x->compare;
    return bad ? -1 : 0;
}

kt_status kt_lua_declare_dedupe(kt_ws *ws, lua_State *L, const char *entity, const char *where,
                                kt_error *err)
{
    dupe_decl *x = kt_calloc(1, sizeof *x);
    if (!x) return kt_error_set(err, KT_NOMEM, "out of memory");
    x->d.name = kt_strdup(entity);
    x->d.where = kt_strdup(where ? where : "");
    x->d.is_table = lua_istable(L, -1);
    if (!x->d.name || !x->d.where || (x->d.is_table && read_spec(L, lua_gettop(L), x))) {
        decl_free(x);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    /* a later declaration of the same entity replaces an earlier one */
    kt_ext *ext = kt_ws_ext(ws);
    dupe_decl *old = kt_ext_owned_item(ext, KT_EXT_DUPE, entity);
    if (!old) return kt_ext_add_owned(ext, KT_EXT_DUPE, x, "kartoteka.lua", decl_free, err);
    dupe_decl tmp = *old;
    *old = *x;
    *x = tmp;
    decl_free(x);
    return KT_OK;
}
