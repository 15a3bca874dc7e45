#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "script/lua_callback.h"
#include "workspace/ws_internal.h"

#define RULE_RUN "kartoteka.rule_run"     /* the run the shared record belongs to */
#define RULE_META "kartoteka.rule_record" /* its metatable: __index = the record */

/* Lives in a Lua userdata anchored in the registry, so it is freed with the state and its
 * address never moves. */
typedef struct callback {
    kt_ws *ws;
    int ref;        /* the Lua function */
    char what[160]; /* "rule person.reachable" */
} callback;

static callback *new_callback(lua_State *L, kt_ws *ws, const char *what)
{
    /* function at the top */
    callback *cb = lua_newuserdatauv(L, sizeof *cb, 0);
    cb->ws = ws;
    snprintf(cb->what, sizeof cb->what, "%s", what);
    lua_getfield(L, LUA_REGISTRYINDEX, "kartoteka.anchors");
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, "kartoteka.anchors");
    }
    lua_pushvalue(L, -2);
    lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
    lua_pop(L, 2);                            /* anchors, userdata */
    cb->ref = luaL_ref(L, LUA_REGISTRYINDEX); /* pops the function */
    return cb;
}

const char *kt_lua_plugin_setting(void *ud, const char *key)
{
    kt_lua_setting_ctx *c = ud;
    lua_getfield(c->L, c->spec, key);
    /* the string stays alive in the spec table while init runs */
    const char *v = lua_type(c->L, -1) == LUA_TSTRING ? lua_tostring(c->L, -1) : NULL;
    lua_pop(c->L, 1);
    return v;
}

/* Iterates the run's shared copy (upvalue 1) without handing it out. */
static int shared_next(lua_State *L)
{
    lua_settop(L, 2);
    if (lua_next(L, lua_upvalueindex(1))) return 2;
    lua_pushnil(L);
    return 1;
}

static int shared_pairs(lua_State *L)
{
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__index");
    lua_pushcclosure(L, shared_next, 1);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/* Every rule over one record gets a table of its own, as before, but only an empty one whose
 * reads fall through to one copy of the record made for the whole run: a copy per rule was a
 * tenth of an import's time. A rule's writes stay in its own table (a set changed in place
 * would not: no rule should). */
static void push_rule_record(lua_State *L, kt_ws *ws, const kt_record *rec)
{
    lua_Integer run = (lua_Integer)kt_ws_rule_run(ws);
    lua_getfield(L, LUA_REGISTRYINDEX, RULE_RUN);
    int same = lua_tointeger(L, -1) == run;
    lua_pop(L, 1);
    if (!same) {
        lua_createtable(L, 0, 2);
        kt_lua_push_record(L, ws, rec);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, shared_pairs);
        lua_setfield(L, -2, "__pairs");
        /* shared by every rule of the run: no rule may reach it to change what the next sees */
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
        lua_setfield(L, LUA_REGISTRYINDEX, RULE_META);
        lua_pushinteger(L, run);
        lua_setfield(L, LUA_REGISTRYINDEX, RULE_RUN);
    }
    lua_createtable(L, 0, 0);
    lua_getfield(L, LUA_REGISTRYINDEX, RULE_META);
    lua_setmetatable(L, -2);
}

/* Names the callback and the record in the message of a failed call. */
static kt_status checking(const callback *cb, const kt_record *rec, kt_status st, kt_error *err)
{
    if (!st) return st;
    if (rec->id)
        kt_error_prefix(err, "%s, checking %s %lld: ", cb->what, rec->entity, rec->id);
    else
        kt_error_prefix(err, "%s, checking a new %s: ", cb->what, rec->entity);
    return st;
}

/* Calls the callback with the record; a rule gets the run's shared copy. */
static kt_status call_with_record(callback *cb, const kt_record *rec, int rule, kt_error *err)
{
    kt_host *h = kt_config_host(cb->ws);
    lua_State *L = kt_host_lua(h);
    lua_rawgeti(L, LUA_REGISTRYINDEX, cb->ref);
    if (rule)
        push_rule_record(L, cb->ws, rec);
    else
        kt_lua_push_record(L, cb->ws, rec);
    return checking(cb, rec, kt_host_call(h, 1, 1, err), err);
}

static kt_status rule_check(void *ud, kt_ws *ws, const kt_record *rec, int *failed, char **message,
                            kt_error *err)
{
    (void)ws;
    callback *cb = ud;
    kt_status st = call_with_record(cb, rec, 1, err);
    if (st) return st;
    lua_State *L = kt_host_lua(kt_config_host(cb->ws));
    /* true or nil pass; false or a message fail */
    if (lua_type(L, -1) == LUA_TSTRING) {
        *failed = 1;
        *message = kt_strdup(lua_tostring(L, -1));
    } else {
        *failed = lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
    return KT_OK;
}

static kt_status default_call(void *ud, const kt_record *rec, char **out, kt_error *err)
{
    callback *cb = ud;
    kt_status st = call_with_record(cb, rec, 0, err);
    if (st) return st;
    lua_State *L = kt_host_lua(kt_config_host(cb->ws));
    char buf[64];
    const char *v = NULL;
    if (lua_istable(L, -1)) { /* a set default: comma-joined for the record */
        luaL_Buffer b;
        int t = lua_absindex(L, -1);
        lua_Integer n = (lua_Integer)lua_rawlen(L, t);
        luaL_buffinit(L, &b);
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, t, i);
            if (i > 1) luaL_addchar(&b, ',');
            luaL_addvalue(&b);
        }
        luaL_pushresult(&b);
        *out = kt_strdup(lua_tostring(L, -1));
        lua_settop(L, t - 1);
        return *out ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
    }
    v = kt_lua_scalar_text(L, -1, buf, sizeof buf);
    *out = v ? kt_strdup(v) : NULL;
    lua_pop(L, 1);
    return v && !*out ? kt_error_set(err, KT_NOMEM, "out of memory") : KT_OK;
}

kt_status kt_lua_attach_rule(kt_ws *ws, lua_State *L, const char *name, kt_error *err)
{
    int spec = lua_gettop(L);
    char entity[64];
    const char *dot = strchr(name, '.');
    if (!dot || (size_t)(dot - name) >= sizeof entity)
        return kt_error_set(err, KT_INVALID,
                            "rule \"%s\": name it entity.rule_name, e.g. person.reachable", name);
    snprintf(entity, sizeof entity, "%.*s", (int)(dot - name), name);
    if (!kt_registry_entity(kt_ws_registry(ws), entity))
        return kt_error_set(err, KT_NOTFOUND, "rule \"%s\": there is no entity '%s'", name, entity);
    lua_getfield(L, spec, "check");
    if (!lua_isfunction(L, -1))
        return kt_error_set(err, KT_INVALID, "rule \"%s\" needs check = function(r) ... end", name);
    char what[160];
    snprintf(what, sizeof what, "rule %s", name);
    callback *cb = new_callback(L, ws, what);
    kt_rule r = {name, entity, NULL, KT_SEVERITY_ERROR, NULL, 0, rule_check, cb};
    lua_getfield(L, spec, "message");
    r.message = lua_tostring(L, -1);
    lua_getfield(L, spec, "severity");
    const char *sev = lua_tostring(L, -1);
    if (sev && strcmp(sev, "warning") == 0)
        r.severity = KT_SEVERITY_WARNING;
    else if (sev && strcmp(sev, "error") != 0)
        return kt_error_set(err, KT_INVALID,
                            "rule \"%s\": severity is \"error\" or \"warning\", not \"%s\"", name,
                            sev);
    lua_getfield(L, spec, "fields");
    const char *fields[32];
    if (lua_istable(L, -1)) {
        lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
        for (lua_Integer i = 1; i <= n && r.nfields < 32; i++) {
            lua_rawgeti(L, -1, i);
            const char *f = lua_tostring(L, -1);
            lua_pop(L, 1); /* the string stays alive in the fields table */
            if (!f || !kt_registry_field(kt_ws_registry(ws), entity, f))
                return kt_error_set(err, KT_NOTFOUND, "rule \"%s\": %s has no field '%s'", name,
                                    entity, f ? f : "?");
            fields[r.nfields++] = f;
        }
        r.fields = fields;
    }
    kt_status st = kt_ws_add_rule(ws, &r, err);
    lua_settop(L, spec);
    return st;
}

kt_status kt_lua_attach_default(kt_ws *ws, lua_State *L, const char *entity, const char *field,
                                kt_error *err)
{
    kt_field *f = kt_registry_field_mut(kt_ws_registry(ws), entity, field);
    if (!f) {
        lua_pop(L, 1);
        return kt_error_set(err, KT_NOTFOUND, "default of %s.%s: no such field", entity, field);
    }
    char what[160];
    snprintf(what, sizeof what, "default of %s.%s", entity, field);
    f->default_fn = default_call;
    f->default_ud = new_callback(L, ws, what);
    return KT_OK;
}

/* access "deal" { write = function(user, record) ... end }: a true result allows. */
static kt_status access_call(void *ud, kt_ws *ws, const kt_actor *user, const kt_record *rec,
                             int *allowed, kt_error *err)
{
    callback *cb = ud;
    kt_host *h = kt_config_host(cb->ws);
    lua_State *L = kt_host_lua(h);
    lua_rawgeti(L, LUA_REGISTRYINDEX, cb->ref);
    lua_createtable(L, 0, 2);
    lua_pushstring(L, user->name);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, kt_role_name(user->role));
    lua_setfield(L, -2, "role");
    kt_lua_push_record(L, ws, rec);
    kt_status st = checking(cb, rec, kt_host_call(h, 2, 1, err), err);
    if (st) return st;
    *allowed = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return KT_OK;
}

kt_status kt_lua_attach_access(kt_ws *ws, lua_State *L, const char *entity, kt_error *err)
{
    static const char *const kinds[] = {"read", "write"};
    int spec = lua_gettop(L), any = 0;
    if (!kt_registry_entity(kt_ws_registry(ws), entity))
        return kt_error_set(err, KT_NOTFOUND, "access \"%s\": there is no entity '%s'", entity,
                            entity);
    kt_status st = KT_OK;
    for (int write = 0; !st && write < 2; write++) {
        lua_getfield(L, spec, kinds[write]);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            continue;
        }
        if (!lua_isfunction(L, -1)) {
            lua_settop(L, spec);
            return kt_error_set(err, KT_INVALID,
                                "access \"%s\": %s = function(user, record) ... end", entity,
                                kinds[write]);
        }
        char what[160];
        snprintf(what, sizeof what, "access %s (%s)", entity, kinds[write]);
        st = kt_ws_add_access_rule(ws, entity, write, access_call, new_callback(L, ws, what), err);
        any = 1;
    }
    lua_settop(L, spec);
    if (!st && !any)
        st = kt_error_set(err, KT_INVALID,
                          "access \"%s\" needs read = function(user, record) ... end or "
                          "write = ...",
                          entity);
    return st;
}
