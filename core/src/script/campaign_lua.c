/* kartoteka.lua's `campaign "name" { entity, schedule, filter, audience, key, action,
 * marketing, catch_up_days, description }` made into a campaign object of the registry
 * (KT_EXT_CAMPAIGN) when the configuration loads. What is wrong with the declaration's shape
 * becomes the object's `invalid` message, so it fails the commands that use that campaign, as it
 * always has, and no other. The functions stay in the spec table, which the object anchors. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "campaign/campaign_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/match.h"
#include "kartoteka/query.h"
#include "script/lua_adapters.h"

#define MAX_FILTERS 32

typedef struct campaign_decl {
    kt_ext_campaign c; /* first: the registry hands out &decl->c */
    int spec_ref;      /* the spec table, in the Lua registry */
    int also;          /* the Lua audience is the audience table's `also` */
    kt_filter filters[MAX_FILTERS];
} campaign_decl;

static void decl_free(void *item)
{
    campaign_decl *x = item;
    if (!x) return;
    for (size_t i = 0; i < x->c.nfilters; i++)
        kt_filter_clear(&x->filters[i]);
    kt_free((char *)x->c.name);
    kt_free((char *)x->c.where);
    kt_free((char *)x->c.invalid);
    kt_free((char *)x->c.entity);
    kt_free((char *)x->c.schedule);
    kt_free((char *)x->c.purpose);
    kt_free((char *)x->c.anniversary);
    kt_free((char *)x->c.inactive_since);
    kt_free(x);
}

/* Keeps the first complaint: "kartoteka.lua:58: campaign "birthday": ...". */
static void complain(campaign_decl *x, const char *fmt, ...)
{
    if (x->c.invalid) return;
    char msg[600];
    int n = snprintf(msg, sizeof msg, "%scampaign \"%s\": ", x->c.where, x->c.name);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
    va_end(ap);
    x->c.invalid = kt_strdup(msg);
}

static void unknown_keys(lua_State *L, int t, const char *const *known, size_t nknown,
                         const char *what, campaign_decl *x)
{
    lua_pushnil(L);
    while (lua_next(L, t)) {
        lua_pop(L, 1);
        const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?";
        size_t i = 0;
        while (known[i] && strcmp(known[i], k))
            i++;
        if (!known[i]) {
            const char *near = kt_match_suggest(k, known, nknown);
            complain(x, "unknown key \"%s%s\"%s%s%s", what, k, near ? " (did you mean \"" : "",
                     near ? near : "", near ? "\"?)" : "");
        }
    }
}

/* 1 when spec[key] is absent (and optional) or of the type; else complains. */
static int need(lua_State *L, int spec, const char *key, int type, int required, campaign_decl *x)
{
    int t = lua_getfield(L, spec, key);
    lua_pop(L, 1);
    if ((t == LUA_TNIL && !required) || t == type) return 1;
    complain(x, "%s must be a %s", key, lua_typename(L, type));
    return 0;
}

static char *text_of(lua_State *L, int t, const char *key)
{
    lua_getfield(L, t, key);
    char *s = lua_type(L, -1) == LUA_TSTRING ? kt_strdup(lua_tostring(L, -1)) : NULL;
    lua_pop(L, 1);
    return s;
}

/* An optional whole number of days in [lo, hi]; *v untouched when absent. */
static void days_of(lua_State *L, int t, const char *key, long lo, long hi, int *v,
                    campaign_decl *x)
{
    lua_getfield(L, t, key);
    if (!lua_isnil(L, -1)) {
        int whole = 0;
        lua_Integer n = lua_tointegerx(L, -1, &whole);
        if (!whole || n < lo || n > hi)
            complain(x, "audience: %s must be a whole number of days from %ld to %ld", key, lo, hi);
        else
            *v = (int)n;
    }
    lua_pop(L, 1);
}

/* audience = { anniversary = "birth_date", days_ahead = 7 } or { inactive_since = "field" or
 * "activities", days = 90 }, with `also = function(r, day)` for what SQL cannot say. */
static void read_audience_table(lua_State *L, int t, campaign_decl *x)
{
    static const char *const known[] = {"anniversary", "days_ahead", "inactive_since",
                                        "days",        "also",       NULL};
    unknown_keys(L, t, known, sizeof known / sizeof known[0], "audience.", x);
    int types[] = {LUA_TSTRING, LUA_TSTRING, LUA_TFUNCTION};
    const char *keys[] = {"anniversary", "inactive_since", "also"};
    for (size_t i = 0; i < 3; i++) {
        int ty = lua_getfield(L, t, keys[i]);
        lua_pop(L, 1);
        if (ty != LUA_TNIL && ty != types[i])
            complain(x, "audience: %s must be a %s", keys[i], lua_typename(L, types[i]));
    }
    x->c.anniversary = text_of(L, t, "anniversary");
    x->c.inactive_since = text_of(L, t, "inactive_since");
    x->also = lua_getfield(L, t, "also") == LUA_TFUNCTION;
    lua_pop(L, 1);
    int ahead = lua_getfield(L, t, "days_ahead") != LUA_TNIL;
    int days = lua_getfield(L, t, "days") != LUA_TNIL;
    lua_pop(L, 2);
    days_of(L, t, "days_ahead", -366, 366, &x->c.days_ahead, x);
    days_of(L, t, "days", 1, 36600, &x->c.inactive_days, x);
    if (ahead && !x->c.anniversary) complain(x, "audience: days_ahead goes with anniversary");
    if (x->c.inactive_since && !days)
        complain(x, "audience: inactive_since needs days (how many days without activity)");
    if (days && !x->c.inactive_since) complain(x, "audience: days goes with inactive_since");
    if (!x->c.anniversary && !x->c.inactive_since && !x->also)
        complain(x, "audience: declare anniversary, inactive_since or also");
}

static void read_spec(lua_State *L, int spec, campaign_decl *x)
{
    static const char *const known[] = {"entity",      "schedule", "filter",    "audience",
                                        "key",         "action",   "marketing", "catch_up_days",
                                        "description", "purpose",  NULL};
    x->c.marketing = 1;
    x->c.catch_up_days = 31;
    unknown_keys(L, spec, known, sizeof known / sizeof known[0], "", x);
    if (x->c.invalid) return;
    int audience = lua_getfield(L, spec, "audience");
    lua_pop(L, 1);
    if (!need(L, spec, "entity", LUA_TSTRING, 1, x) ||
        !need(L, spec, "schedule", LUA_TSTRING, 0, x) || !need(L, spec, "filter", LUA_TTABLE, 0, x))
        return;
    if (audience != LUA_TNIL && audience != LUA_TFUNCTION && audience != LUA_TTABLE) {
        complain(x, "audience must be a function or a table");
        return;
    }
    if (!need(L, spec, "key", LUA_TFUNCTION, 0, x) ||
        !need(L, spec, "action", LUA_TFUNCTION, 1, x) ||
        !need(L, spec, "marketing", LUA_TBOOLEAN, 0, x) ||
        !need(L, spec, "catch_up_days", LUA_TNUMBER, 0, x) ||
        !need(L, spec, "purpose", LUA_TSTRING, 0, x))
        return;
    x->c.purpose = text_of(L, spec, "purpose");
    x->c.entity = text_of(L, spec, "entity");
    x->c.schedule = text_of(L, spec, "schedule");
    lua_getfield(L, spec, "marketing");
    x->c.marketing = lua_isnil(L, -1) || lua_toboolean(L, -1);
    lua_getfield(L, spec, "catch_up_days");
    if (!lua_isnil(L, -1)) x->c.catch_up_days = (int)lua_tointeger(L, -1);
    lua_getfield(L, spec, "filter");
    kt_error e;
    if (kt_lua_filters(L, -1, x->filters, MAX_FILTERS, &x->c.nfilters, &e))
        complain(x, "%s", e.message);
    lua_pop(L, 3);
    if (audience == LUA_TTABLE) {
        lua_getfield(L, spec, "audience");
        read_audience_table(L, lua_gettop(L), x);
        lua_pop(L, 1);
    }
}

/* Pushes the Lua audience function of x. */
static void push_judge(lua_State *L, const campaign_decl *x)
{
    lua_rawgeti(L, LUA_REGISTRYINDEX, x->spec_ref);
    lua_getfield(L, -1, "audience");
    if (x->also) {
        lua_getfield(L, -1, "also");
        lua_replace(L, -2);
    }
    lua_replace(L, -2);
}

/* Calls fn (at fn_idx) with the record and the day, leaving nresults; prefixes errors. */
static kt_status call(kt_ws *ws, const campaign_decl *x, int fn_idx, const char *what,
                      const kt_record *rec, const char *day, int nresults, kt_error *err)
{
    kt_host *h = kt_config_host(ws);
    lua_State *L = kt_host_lua(h);
    lua_pushvalue(L, fn_idx);
    kt_lua_push_record(L, ws, rec);
    kt_campaign_push_day(L, day);
    kt_status st = kt_host_call(h, 2, nresults, err);
    if (st) kt_error_prefix(err, "campaign \"%s\", %s record %lld: ", x->c.name, what, rec->id);
    return st;
}

static kt_status judge(void *ud, kt_ws *ws, const kt_record *const *recs, size_t n, const char *day,
                       int *yes, kt_error *errs)
{
    campaign_decl *x = ud;
    lua_State *L = kt_host_lua(kt_config_host(ws));
    int top = lua_gettop(L);
    push_judge(L, x);
    for (size_t i = 0; i < n; i++) {
        kt_error_clear(&errs[i]);
        yes[i] =
            !call(ws, x, top + 1, "audience of", recs[i], day, 1, &errs[i]) && lua_toboolean(L, -1);
        lua_settop(L, top + 1);
    }
    lua_settop(L, top);
    return KT_OK;
}

static kt_status key(void *ud, kt_ws *ws, const kt_record *rec, const char *day, char *out,
                     size_t size, kt_error *err)
{
    campaign_decl *x = ud;
    lua_State *L = kt_host_lua(kt_config_host(ws));
    int top = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, x->spec_ref);
    lua_getfield(L, -1, "key");
    kt_status st = call(ws, x, top + 2, "key of", rec, day, 1, err);
    if (!st) {
        const char *k = lua_isnil(L, -1) ? NULL : luaL_tolstring(L, -1, NULL);
        if (!k || !*k)
            st = kt_error_set(err, KT_SCRIPT, "campaign \"%s\": key of record %lld is empty",
                              x->c.name, rec->id);
        else
            snprintf(out, size, "%s", k);
    }
    lua_settop(L, top);
    return st;
}

static kt_status act(void *ud, kt_ws *ws, const kt_record *rec, const char *day, void *ctx,
                     kt_error *err)
{
    campaign_decl *x = ud;
    lua_State *L = kt_host_lua(kt_config_host(ws));
    int top = lua_gettop(L);
    lua_pushlightuserdata(L, ctx);
    lua_setfield(L, LUA_REGISTRYINDEX, KT_LUA_CAMPAIGN_CTX);
    lua_rawgeti(L, LUA_REGISTRYINDEX, x->spec_ref);
    lua_getfield(L, -1, "action");
    kt_status st = call(ws, x, top + 2, "action for", rec, day, 0, err);
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, KT_LUA_CAMPAIGN_CTX);
    lua_settop(L, top);
    return st;
}

kt_status kt_lua_declare_campaign(kt_ws *ws, lua_State *L, const char *name, const char *where,
                                  kt_error *err)
{
    campaign_decl *x = kt_calloc(1, sizeof *x);
    if (!x) return kt_error_set(err, KT_NOMEM, "out of memory");
    x->c.name = kt_strdup(name);
    x->c.where = kt_strdup(where ? where : "");
    if (!x->c.name || !x->c.where) {
        decl_free(x);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    x->c.filters = x->filters;
    int fn = 0;
    if (lua_istable(L, -1)) {
        read_spec(L, lua_gettop(L), x);
        fn = lua_getfield(L, -1, "audience") == LUA_TFUNCTION;
        x->c.key = lua_getfield(L, -2, "key") == LUA_TFUNCTION ? key : NULL;
        lua_pop(L, 2);
    } else {
        complain(x, "needs a table");
    }
    x->c.audience = fn || x->also ? judge : NULL;
    x->c.act = act;
    x->c.ud = x;
    if (!x->c.invalid) kt_audience_prepare(ws, &x->c);
    lua_pushvalue(L, -1);
    x->spec_ref = luaL_ref(L, LUA_REGISTRYINDEX); /* freed with the state */
    /* a later declaration of the same name replaces an earlier one */
    kt_ext *ext = kt_ws_ext(ws);
    campaign_decl *old = kt_ext_owned_item(ext, KT_EXT_CAMPAIGN, name);
    if (!old) return kt_ext_add_owned(ext, KT_EXT_CAMPAIGN, x, "kartoteka.lua", decl_free, err);
    luaL_unref(L, LUA_REGISTRYINDEX, old->spec_ref);
    campaign_decl tmp = *old;
    *old = *x;
    old->c.ud = old;
    old->c.filters = old->filters;
    *x = tmp;
    decl_free(x);
    return KT_OK;
}
