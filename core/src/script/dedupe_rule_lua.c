/* kartoteka.lua's `dedupe "entity" { threshold, entry_threshold, compare = {...}, blocking =
 * {...} }` made into
 * a duplicate-comparison object of the registry (KT_EXT_DUPE) when the configuration loads. The
 * values are kept as declared: the dedupe layer judges them when it uses the rule, so a wrong
 * one fails the commands that compare records, as it always has, and no other. */
#include <string.h>

#include "kartoteka/alloc.h"
#include "script/lua_adapters.h"

typedef struct dupe_decl {
    kt_ext_dupe d; /* first: the registry hands out &decl->d */
    kt_ext_compare *compare;
    kt_ext_blocking *blocking;
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
    for (size_t i = 0; i < x->d.nblocking; i++) {
        for (size_t j = 0; j < x->blocking[i].n; j++)
            kt_free((char *)x->blocking[i].parts[j]);
        kt_free((char **)x->blocking[i].parts);
    }
    kt_free(x->blocking);
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

/* blocking = { {"last_name:soundex", "birth_date:year"}, {"phone"} } at the top of the stack:
 * each entry's strings (NULL for a part that is not one); 0, or -1 when out of memory. */
static int read_blocking(lua_State *L, dupe_decl *x)
{
    size_t n = lua_istable(L, -1) ? (size_t)lua_rawlen(L, -1) : 0;
    if (n && !(x->blocking = kt_calloc(n, sizeof *x->blocking))) return -1;
    int bad = 0;
    for (size_t i = 0; !bad && i < n; i++) {
        kt_ext_blocking *b = &x->blocking[x->d.nblocking++];
        if (lua_rawgeti(L, -1, (lua_Integer)i + 1) == LUA_TTABLE) {
            size_t k = (size_t)lua_rawlen(L, -1);
            char **parts = k ? kt_calloc(k, sizeof *parts) : NULL;
            bad = k && !parts;
            for (size_t j = 0; !bad && j < k; j++) {
                if (lua_rawgeti(L, -1, (lua_Integer)j + 1) == LUA_TSTRING)
                    bad = !(parts[j] = text_at(L, -1));
                lua_pop(L, 1);
            }
            b->parts = (const char *const *)parts;
            b->n = parts ? k : 0;
        }
        lua_pop(L, 1);
    }
    x->d.blocking = x->blocking;
    return bad ? -1 : 0;
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
    lua_getfield(L, spec, "blocking");
    x->d.blocking_given = !lua_isnil(L, -1);
    if (!bad) bad = read_blocking(L, x);
    lua_pop(L, 1);
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
