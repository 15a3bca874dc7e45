/* Campaign declarations: campaign "name" { entity, schedule, filter, audience, key, action,
 * marketing, catch_up_days } as collected by the configuration. */
#include <stdio.h>
#include <string.h>

#include "campaign/campaign_int.h"
#include "kartoteka/config.h"
#include "kartoteka/match.h"
#include "kartoteka/registry.h"

static const char *const known[] = {"entity", "schedule",  "filter",        "audience",    "key",
                                    "action", "marketing", "catch_up_days", "description", NULL};

static kt_status check_keys(lua_State *L, int spec, const kt_campaign_decl *d, kt_error *err)
{
    lua_pushnil(L);
    while (lua_next(L, spec)) {
        lua_pop(L, 1);
        const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?";
        size_t i = 0;
        while (known[i] && strcmp(known[i], k))
            i++;
        if (!known[i]) {
            const char *near = kt_match_suggest(k, known, sizeof known / sizeof known[0]);
            kt_status st = kt_error_set(
                err, KT_INVALID, "%scampaign \"%s\": unknown key \"%s\"%s%s%s", d->where, d->name,
                k, near ? " (did you mean \"" : "", near ? near : "", near ? "\"?)" : "");
            lua_pop(L, 1);
            return st;
        }
    }
    return KT_OK;
}

static kt_status need(lua_State *L, int spec, const char *key, int type, int required,
                      const kt_campaign_decl *d, kt_error *err)
{
    int t = lua_getfield(L, spec, key);
    lua_pop(L, 1);
    if (t == LUA_TNIL && !required) return KT_OK;
    if (t != type)
        return kt_error_set(err, KT_INVALID, "%scampaign \"%s\": %s must be a %s", d->where,
                            d->name, key, lua_typename(L, type));
    return KT_OK;
}

kt_status kt_campaign_read(kt_ws *ws, lua_State *L, int idx, kt_campaign_decl *d, kt_error *err)
{
    idx = lua_absindex(L, idx);
    memset(d, 0, sizeof *d);
    lua_getfield(L, idx, "name");
    snprintf(d->name, sizeof d->name, "%s", lua_tostring(L, -1) ? lua_tostring(L, -1) : "");
    lua_getfield(L, idx, "where");
    snprintf(d->where, sizeof d->where, "%s", lua_tostring(L, -1) ? lua_tostring(L, -1) : "");
    lua_getfield(L, idx, "spec");
    int spec = lua_gettop(L);
    kt_status st = check_keys(L, spec, d, err);
    if (!st) st = need(L, spec, "entity", LUA_TSTRING, 1, d, err);
    if (!st) st = need(L, spec, "schedule", LUA_TSTRING, 0, d, err);
    if (!st) st = need(L, spec, "filter", LUA_TTABLE, 0, d, err);
    if (!st) st = need(L, spec, "audience", LUA_TFUNCTION, 0, d, err);
    if (!st) st = need(L, spec, "key", LUA_TFUNCTION, 0, d, err);
    if (!st) st = need(L, spec, "action", LUA_TFUNCTION, 1, d, err);
    if (!st) st = need(L, spec, "marketing", LUA_TBOOLEAN, 0, d, err);
    if (!st) st = need(L, spec, "catch_up_days", LUA_TNUMBER, 0, d, err);
    if (!st) {
        lua_getfield(L, spec, "entity");
        snprintf(d->entity, sizeof d->entity, "%s", lua_tostring(L, -1));
        lua_getfield(L, spec, "schedule");
        if (lua_isstring(L, -1))
            snprintf(d->schedule, sizeof d->schedule, "%s", lua_tostring(L, -1));
        lua_getfield(L, spec, "marketing");
        d->marketing = lua_isnil(L, -1) || lua_toboolean(L, -1);
        lua_getfield(L, spec, "catch_up_days");
        d->catch_up_days = lua_isnil(L, -1) ? 31 : (int)lua_tointeger(L, -1);
        lua_pop(L, 4);
        if (!kt_registry_entity(kt_ws_registry(ws), d->entity))
            st = kt_error_set(err, KT_INVALID, "%scampaign \"%s\": no entity \"%s\"", d->where,
                              d->name, d->entity);
        if (!st && (d->catch_up_days < 1 || d->catch_up_days > 3660))
            st = kt_error_set(err, KT_INVALID, "%scampaign \"%s\": catch_up_days is 1..3660",
                              d->where, d->name);
        kt_schedule sch;
        if (!st && d->schedule[0] && kt_schedule_parse(d->schedule, &sch, err)) {
            kt_error_prefix(err, "%scampaign \"%s\": ", d->where, d->name);
            st = err ? err->code : KT_INVALID;
        }
    }
    lua_settop(L, idx);
    return st;
}

kt_status kt_campaign_push(kt_ws *ws, const char *name, kt_campaign_decl *d, kt_error *err)
{
    lua_State *L = kt_host_lua(kt_config_host(ws));
    kt_config_push_declarations(ws, "campaign");
    int list = lua_gettop(L);
    lua_Integer n = (lua_Integer)lua_rawlen(L, list);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, list, i);
        lua_getfield(L, -1, "name");
        int match = lua_isstring(L, -1) && !strcmp(lua_tostring(L, -1), name);
        lua_pop(L, 1);
        if (!match) {
            lua_pop(L, 1);
            continue;
        }
        kt_status st = kt_campaign_read(ws, L, -1, d, err);
        lua_remove(L, list);
        if (st) lua_pop(L, 1);
        return st;
    }
    lua_pop(L, 1);
    return kt_error_set(err, KT_NOTFOUND, "no campaign \"%s\" in kartoteka.lua", name);
}

kt_status kt_campaign_list(kt_ws *ws, kt_campaign_info_cb cb, void *ud, kt_error *err)
{
    lua_State *L = kt_host_lua(kt_config_host(ws));
    kt_config_push_declarations(ws, "campaign");
    int list = lua_gettop(L);
    lua_Integer n = (lua_Integer)lua_rawlen(L, list);
    kt_status st = KT_OK;
    for (lua_Integer i = 1; !st && i <= n; i++) {
        kt_campaign_decl d;
        char last[16];
        lua_rawgeti(L, list, i);
        st = kt_campaign_read(ws, L, -1, &d, err);
        lua_pop(L, 1);
        if (!st) st = kt_run_last_day(ws, d.name, last, err);
        if (st) break;
        kt_campaign_info info = {d.name,      d.entity, d.schedule[0] ? d.schedule : NULL,
                                 d.marketing, d.where,  last[0] ? last : NULL};
        if (cb(ud, &info)) break;
    }
    lua_settop(L, list - 1);
    return st;
}
