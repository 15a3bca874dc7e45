/* Applies collected declarations to the workspace, in a fixed order: plugins, settings,
 * entities, fields, rules. Every error names the declaration's file and line. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/match.h"
#include "script/lua_adapters.h"
#include "script/lua_callback.h"
#include "script/script_int.h"

static cJSON *to_json(lua_State *L, int idx);

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Keys sorted: Lua's table order changes from run to run, and the registry compares the JSON
 * text to tell whether a declaration changed. */
static cJSON *object_json(lua_State *L, int idx)
{
    const char *keys[64];
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING || n == 64) {
            lua_pop(L, 1);
            return NULL;
        }
        keys[n++] = lua_tostring(L, -1); /* alive: it is a key of the table */
    }
    qsort(keys, n, sizeof keys[0], by_name);
    cJSON *out = cJSON_CreateObject();
    for (size_t i = 0; out && i < n; i++) {
        lua_getfield(L, idx, keys[i]);
        cJSON *v = to_json(L, -1);
        lua_pop(L, 1);
        /* adding copies the key, which can fail: then v is still ours */
        if (!v || !cJSON_AddItemToObject(out, keys[i], v)) {
            cJSON_Delete(v);
            cJSON_Delete(out);
            return NULL;
        }
    }
    return out;
}

/* JSON for a Lua value in a spec: scalars, lists and label tables. NULL for anything else. */
static cJSON *to_json(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    switch (lua_type(L, idx)) {
    case LUA_TBOOLEAN:
        return cJSON_CreateBool(lua_toboolean(L, idx));
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) return cJSON_CreateNumber((double)lua_tointeger(L, idx));
        return cJSON_CreateNumber(lua_tonumber(L, idx));
    case LUA_TSTRING:
        return cJSON_CreateString(lua_tostring(L, idx));
    case LUA_TTABLE: {
        size_t n = lua_rawlen(L, idx);
        if (n) {
            cJSON *out = cJSON_CreateArray();
            for (size_t i = 1; out && i <= n; i++) {
                lua_rawgeti(L, idx, (lua_Integer)i);
                cJSON *v = to_json(L, -1);
                lua_pop(L, 1);
                if (!v || !cJSON_AddItemToArray(out, v)) {
                    cJSON_Delete(v);
                    cJSON_Delete(out);
                    return NULL;
                }
            }
            return out;
        }
        return object_json(L, idx);
    }
    default:
        return NULL;
    }
}

static kt_status apply_plugin(kt_ws *ws, lua_State *L, kt_plugins *p, const kt_config_opts *o,
                              const char *name, kt_error *err)
{
    (void)o; /* its folders were kept by kt_config_apply */
    char wsdir[4096];
    const char *dirs[16];
    size_t n = kt_config_plugin_dirs(ws, dirs, wsdir);
    /* the spec table is at the top of the stack while the plugin's init runs */
    kt_lua_setting_ctx ctx = {L, lua_gettop(L)};
    return kt_plugins_load(p, name, dirs, n, kt_lua_plugin_setting, &ctx, err);
}

/* The settings Kartoteka reads; channels add "<kind>_channel" and "<channel>_<key>" below. */
static const char *const settings_known[] = {"country",
                                             "timezone",
                                             "script_time_ms",
                                             "script_memory_mb",
                                             "batch_time_ms",
                                             "campaign_time_ms",
                                             "language",
                                             "consent_valid_months",
                                             "consent_purposes",
                                             "dedupe_min_agreeing",
                                             NULL};
static const char *const channel_keys[] = {
    "channel",      "dir",           "mbox", "url",     "from",      "user",     "password",
    "password_env", "password_file", "tls",  "ca_file", "timeout_s", "delay_ms", NULL};

static size_t count(const char *const *list)
{
    size_t n = 0;
    while (list[n])
        n++;
    return n;
}

static int known_setting(const char *key)
{
    for (size_t i = 0; settings_known[i]; i++)
        if (!strcmp(key, settings_known[i])) return 1;
    const char *us = strchr(key, '_');
    while (us && us > key) {
        for (size_t i = 0; channel_keys[i]; i++)
            if (!strcmp(us + 1, channel_keys[i])) return 1;
        us = strchr(us + 1, '_');
    }
    return 0;
}

/* "unknown setting 'scrip_time_ms' (did you mean 'script_time_ms'?)" with the known ones. */
static kt_status unknown_key(const char *what, const char *key, const char *const *known,
                             kt_error *err)
{
    const char *near = kt_match_suggest(key, known, count(known));
    char list[400] = "";
    size_t n = 0;
    for (size_t i = 0; known[i] && n < sizeof list; i++)
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", known[i]);
    if (near)
        return kt_error_set(err, KT_INVALID, "%s: unknown key '%s' (did you mean '%s'? known: %s)",
                            what, key, near, list);
    return kt_error_set(err, KT_INVALID, "%s: unknown key '%s' (known: %s)", what, key, list);
}

static kt_status apply_settings(kt_ws *ws, lua_State *L, kt_error *err)
{
    int spec = lua_gettop(L);
    kt_host_limits lim = {0, 0};
    kt_status st = KT_OK;
    lua_pushnil(L);
    while (!st && lua_next(L, spec)) {
        char buf[64];
        const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
        const char *val = kt_lua_scalar_text(L, -1, buf, sizeof buf);
        if (!key || !val)
            st = kt_error_set(err, KT_INVALID, "settings: %s must be a string or a number",
                              key ? key : "every key");
        else if (!known_setting(key))
            st = unknown_key("settings", key, settings_known, err);
        else if (!strcmp(key, "dedupe_min_agreeing") && !(atoi(val) >= 1 && atoi(val) <= 64))
            st = kt_error_set(err, KT_INVALID,
                              "settings: dedupe_min_agreeing must be a whole number from 1 to 64");
        else if (!strcmp(key, "script_time_ms"))
            lim.time_ms = strtoul(val, NULL, 10);
        else if (!strcmp(key, "script_memory_mb"))
            lim.memory_bytes = strtoul(val, NULL, 10) << 20;
        else
            st = kt_ws_set_setting(ws, key, val, err);
        lua_pop(L, 1);
    }
    lua_settop(L, spec); /* a failure leaves lua_next's key behind */
    if (!st && (lim.time_ms || lim.memory_bytes)) kt_host_set_limits(kt_config_host(ws), &lim);
    return st;
}

static kt_status apply_entity(kt_ws *ws, lua_State *L, const char *name, const char *origin,
                              kt_error *err)
{
    lua_getfield(L, -1, "label");
    cJSON *label = lua_isnil(L, -1) ? NULL : to_json(L, -1);
    lua_pop(L, 1);
    char *text = label ? cJSON_PrintUnformatted(label) : NULL;
    cJSON_Delete(label);
    kt_status st = kt_ws_declare_entity(ws, name, text, origin, err);
    cJSON_free(text);
    return st;
}

static kt_status apply_field(kt_ws *ws, lua_State *L, const char *name, const char *origin,
                             int registry_current, kt_error *err)
{
    int spec = lua_gettop(L);
    char entity[128];
    const char *dot = strchr(name, '.');
    if (!dot || (size_t)(dot - name) >= sizeof entity)
        return kt_error_set(err, KT_INVALID, "field \"%s\": name it entity.field, e.g. person.pets",
                            name);
    snprintf(entity, sizeof entity, "%.*s", (int)(dot - name), name);
    if (registry_current) { /* declared already: only what lives in Lua is attached */
        lua_getfield(L, spec, "default");
        if (lua_isfunction(L, -1)) return kt_lua_attach_default(ws, L, entity, dot + 1, err);
        lua_pop(L, 1);
        return KT_OK;
    }
    cJSON *props = cJSON_CreateObject();
    const char *type = NULL;
    int has_default_fn = 0;
    kt_status st = props ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
    lua_pushnil(L);
    while (!st && lua_next(L, spec)) {
        const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
        if (!strcmp(key, "type"))
            type = lua_tostring(L, -1);
        else if (!strcmp(key, "default") && lua_isfunction(L, -1))
            has_default_fn = 1;
        else {
            cJSON *v = to_json(L, -1);
            if (!v)
                st = kt_error_set(err, KT_INVALID, "field %s: %s has a value of the wrong kind",
                                  name, key);
            else if (!cJSON_AddItemToObject(props, key, v)) {
                cJSON_Delete(v);
                st = kt_error_set(err, KT_NOMEM, "out of memory");
            }
        }
        lua_pop(L, 1);
    }
    char *text = st ? NULL : cJSON_PrintUnformatted(props);
    if (!st && !text) st = kt_error_set(err, KT_NOMEM, "out of memory");
    cJSON_Delete(props);
    if (!st) {
        kt_field_decl d = {entity, dot + 1, type, text, origin, 1};
        st = kt_ws_declare_field(ws, &d, err);
    }
    cJSON_free(text);
    if (!st && has_default_fn) {
        lua_getfield(L, spec, "default");
        st = kt_lua_attach_default(ws, L, entity, dot + 1, err);
    }
    return st;
}

/* A refused plugin is a warning, not a broken workspace: everything that does not need it keeps
 * working (a field of one of its types then says its plugin is not loaded). */
static kt_status plugin_or_warn(kt_ws *ws, lua_State *L, kt_plugins *p, const kt_config_opts *o,
                                const char *name, kt_error *err)
{
    kt_status st = apply_plugin(ws, L, p, o, name, err);
    if (st == KT_OK || st == KT_NOMEM) return st;
    lua_getfield(L, LUA_REGISTRYINDEX, "kartoteka.warnings");
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, "kartoteka.warnings");
    }
    lua_pushfstring(L, "plugin \"%s\" not loaded: %s", name, err->message);
    lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
    lua_pop(L, 1);
    kt_error_clear(err);
    return KT_OK;
}

/* The keys each declaration takes; fields are checked by the registry, campaigns by their
 * layer, a plugin's by the plugin, settings above. */
static kt_status check_keys(lua_State *L, const char *kind, const char *name, kt_error *err)
{
    static const char *const rule[] = {"message", "check", "fields", "severity", NULL};
    static const char *const dedupe[] = {"threshold", "entry_threshold", "compare", "blocking",
                                         NULL};
    static const char *const entity[] = {"label", NULL};
    static const char *const webhook[] = {"url", "secret_env", NULL};
    static const char *const access[] = {"read", "write", NULL};
    const char *const *known = !strcmp(kind, "rule")      ? rule
                               : !strcmp(kind, "dedupe")  ? dedupe
                               : !strcmp(kind, "entity")  ? entity
                               : !strcmp(kind, "webhook") ? webhook
                               : !strcmp(kind, "access")  ? access
                                                          : NULL;
    if (!known || !lua_istable(L, -1)) return KT_OK;
    int spec = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, spec)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING) continue; /* a list part: the layer judges it */
        const char *k = lua_tostring(L, -1);
        size_t i = 0;
        while (known[i] && strcmp(known[i], k))
            i++;
        if (!known[i]) {
            char what[200];
            snprintf(what, sizeof what, "%s \"%s\"", kind, name);
            kt_status st = unknown_key(what, k, known, err);
            lua_pop(L, 1);
            return st;
        }
    }
    return KT_OK;
}

static kt_status apply_one(kt_ws *ws, lua_State *L, kt_plugins *p, const kt_config_opts *o,
                           const char *kind, const char *name, const char *where,
                           const char *origin, kt_error *err)
{
    kt_status st = check_keys(L, kind, name, err);
    if (st) return st;
    if (!strcmp(kind, "plugin")) return plugin_or_warn(ws, L, p, o, name, err);
    if (!strcmp(kind, "settings")) return apply_settings(ws, L, err);
    if (!strcmp(kind, "entity")) return apply_entity(ws, L, name, origin, err);
    if (!strcmp(kind, "rule")) return kt_lua_attach_rule(ws, L, name, err);
    if (!strcmp(kind, "dedupe")) return kt_lua_declare_dedupe(ws, L, name, where, err);
    if (!strcmp(kind, "access")) return kt_lua_attach_access(ws, L, name, err);
    if (!strcmp(kind, "campaign")) return kt_lua_declare_campaign(ws, L, name, where, err);
    return KT_OK; /* webhook: keys checked, read later by its own layer */
}

void kt_config_begin_batch(kt_ws *ws, kt_host_limits *saved)
{
    kt_host *h = kt_config_host(ws);
    kt_host_get_limits(h, saved);
    const char *v = kt_ws_setting(ws, "batch_time_ms");
    unsigned long ms = v ? strtoul(v, NULL, 10) : 0;
    kt_host_limits big = *saved;
    big.time_ms = ms ? ms : KT_CONFIG_BATCH_TIME_MS;
    kt_host_set_limits(h, &big);
    kt_host_set_time_setting(h, "batch_time_ms");
}

void kt_config_end_batch(kt_ws *ws, const kt_host_limits *saved)
{
    kt_host *h = kt_config_host(ws);
    kt_host_set_limits(h, saved);
    kt_host_set_time_setting(h, "script_time_ms");
}

/* A field declared twice (a built-in tightened in kartoteka.lua) is one declaration: the
 * later file's properties over the earlier's. The result is the field's whole definition, so a
 * property removed from kartoteka.lua is removed from the field. Leaves on the stack a list of
 * { name, where, spec, origin } in order of first appearance. */
static void merge_fields(lua_State *L, int decls)
{
    lua_newtable(L); /* list */
    lua_newtable(L); /* by name */
    lua_Integer n = (lua_Integer)lua_rawlen(L, decls);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, decls, i);
        int d = lua_gettop(L);
        lua_getfield(L, d, "kind");
        int is_field = strcmp(lua_tostring(L, -1), "field") == 0;
        lua_pop(L, 1);
        if (!is_field) {
            lua_settop(L, d - 1);
            continue;
        }
        lua_getfield(L, d, "name");
        lua_pushvalue(L, -1);
        lua_rawget(L, d - 1);
        if (lua_isnil(L, -1)) { /* first declaration: a fresh entry with a copy of its spec */
            lua_pop(L, 1);
            lua_createtable(L, 0, 4);
            lua_getfield(L, d, "where");
            lua_setfield(L, -2, "where");
            lua_pushvalue(L, -2);
            lua_setfield(L, -2, "name");
            lua_getfield(L, d, "where");
            lua_pushstring(L, strncmp(lua_tostring(L, -1), "schema/", 7) == 0 ? "schema"
                                                                              : KT_WS_CONFIG);
            lua_setfield(L, -3, "origin");
            lua_pop(L, 1);
            lua_newtable(L);
            lua_setfield(L, -2, "spec");
            lua_pushvalue(L, -2);
            lua_pushvalue(L, -2);
            lua_rawset(L, d - 1); /* by name */
            lua_pushvalue(L, -1);
            lua_rawseti(L, d - 2, (lua_Integer)lua_rawlen(L, d - 2) + 1);
        } else { /* a later declaration: errors point at it */
            lua_getfield(L, d, "where");
            lua_setfield(L, -2, "where");
        }
        lua_getfield(L, -1, "spec");
        lua_getfield(L, d, "spec");
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, -5);
        }
        lua_settop(L, d - 1);
    }
    lua_pop(L, 1); /* by name */
}

kt_status kt_config_apply_decls(kt_ws *ws, kt_host *h, kt_plugins *p, const kt_config_opts *o,
                                int registry_current, kt_error *err)
{
    static const char *const order[] = {"plugin",  "settings", "entity",   "rule", "dedupe",
                                        "webhook", "access",   "campaign", NULL};
    lua_State *L = kt_host_lua(h);
    int top = lua_gettop(L);
    lua_getfield(L, LUA_REGISTRYINDEX, KT_LUA_DECLS);
    int decls = lua_gettop(L);
    lua_Integer n = (lua_Integer)lua_rawlen(L, decls);
    kt_status st = KT_OK;
    for (size_t pass = 0; !st && order[pass]; pass++) {
        if (!strcmp(order[pass], "rule")) { /* fields come after entities, before rules */
            merge_fields(L, decls);
            int fields = lua_gettop(L);
            lua_Integer nf = (lua_Integer)lua_rawlen(L, fields);
            for (lua_Integer i = 1; !st && i <= nf; i++) {
                lua_rawgeti(L, fields, i);
                lua_getfield(L, -1, "name");
                lua_getfield(L, -2, "where");
                lua_getfield(L, -3, "origin");
                lua_getfield(L, -4, "spec");
                st = apply_field(ws, L, lua_tostring(L, -4), lua_tostring(L, -2), registry_current,
                                 err);
                if (st) kt_error_prefix(err, "%s ", lua_tostring(L, -3));
                lua_settop(L, fields);
            }
            lua_settop(L, decls);
        }
        for (lua_Integer i = 1; !st && i <= n; i++) {
            lua_rawgeti(L, decls, i);
            lua_getfield(L, -1, "kind");
            lua_getfield(L, -2, "name");
            lua_getfield(L, -3, "where");
            lua_getfield(L, -4, "spec");
            const char *kind = lua_tostring(L, -4), *name = lua_tostring(L, -3);
            if (!strcmp(kind, order[pass]) && !(registry_current && !strcmp(kind, "entity"))) {
                const char *where = lua_tostring(L, -2);
                const char *origin = strncmp(where, "schema/", 7) == 0 ? "schema" : KT_WS_CONFIG;
                st = apply_one(ws, L, p, o, kind, name, where, origin, err);
                if (st) kt_error_prefix(err, "%s ", lua_tostring(L, -2));
            }
            lua_settop(L, decls);
        }
    }
    /* keep what was applied (campaigns, dedupe rules) and start a fresh list */
    lua_getfield(L, LUA_REGISTRYINDEX, "kartoteka.applied");
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, "kartoteka.applied");
    }
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, decls, i);
        lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
    }
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, KT_LUA_DECLS);
    lua_settop(L, top);
    return st;
}
