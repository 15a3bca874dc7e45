/* The `kt` module: what scripts use to read and write records. Every write goes through the
 * write door (kt_save), so rules apply to scripts as to everyone else. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/external.h"
#include "kartoteka/query.h"
#include "script/script_int.h"
#include "script/kt_module_int.h"
#include "script/kt_module_report.h"

const char *kt_lua_source(lua_State *L, char *buf, size_t size)
{
    lua_getfield(L, LUA_REGISTRYINDEX, KT_LUA_SOURCE);
    snprintf(buf, size, "%s", lua_isstring(L, -1) ? lua_tostring(L, -1) : "script");
    lua_pop(L, 1);
    return buf;
}

/* Raises a Lua error from a core error; the host adds file and line. */
int kt_lua_raise(lua_State *L, const kt_error *err)
{
    return luaL_error(L, "%s", err->message);
}

kt_id kt_lua_check_id(lua_State *L, int idx)
{
    if (lua_isinteger(L, idx)) return (kt_id)lua_tointeger(L, idx);
    kt_id id = kt_id_parse(lua_tostring(L, idx));
    if (!id) luaL_argerror(L, idx, "a record id");
    return id;
}

/* kt.get { external_id = "C100000", entity = "person" }: the record known by that external id
 * (its own, or one it also answers to); entity may be left out. */
static kt_id external_arg(lua_State *L, kt_ws *ws)
{
    lua_getfield(L, 1, "external_id");
    lua_getfield(L, 1, "entity");
    const char *value = lua_tostring(L, -2), *entity = lua_tostring(L, -1);
    if (!value) luaL_argerror(L, 1, "a record id, or { external_id = ..., entity = ... }");
    kt_id id = 0;
    kt_error err;
    if (kt_external_find(ws, entity, value, &id, &err)) kt_lua_raise(L, &err);
    lua_pop(L, 2);
    return id;
}

static int l_get(lua_State *L)
{
    kt_ws *ws = kt_lua_ws(L);
    kt_record *r = NULL;
    kt_error err;
    kt_id id = lua_istable(L, 1) ? external_arg(L, ws) : kt_lua_check_id(L, 1);
    if (!id) return lua_pushnil(L), 1;
    kt_status st = kt_get(ws, id, &r, &err);
    if (st == KT_NOTFOUND) return lua_pushnil(L), 1;
    if (st) return kt_lua_raise(L, &err);
    kt_lua_push_record(L, ws, r);
    kt_record_free(r);
    return 1;
}

static int collect(void *ud, const kt_record *rec)
{
    lua_State *L = ud;
    kt_lua_push_record(L, kt_lua_ws(L), rec);
    lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
    return 0;
}

/* kt.list(entity, { city = "Kraków", birth_date = { ">=", "1990-01-01" } }, { limit = 10 }) */
static int l_list(lua_State *L)
{
    kt_ws *ws = kt_lua_ws(L);
    const char *entity = luaL_checkstring(L, 1);
    kt_filter filters[32];
    size_t n = 0;
    kt_error err;
    kt_status st = KT_OK;
    if (lua_istable(L, 2)) {
        lua_pushnil(L);
        while (!st && lua_next(L, 2)) {
            char buf[64], text[1024];
            const char *k = lua_tostring(L, -2), *op = "=", *v;
            if (lua_istable(L, -1)) {
                lua_rawgeti(L, -1, 1);
                lua_rawgeti(L, -2, 2);
                op = lua_tostring(L, -2);
                v = kt_lua_scalar_text(L, -1, buf, sizeof buf);
                lua_pop(L, 2); /* both strings stay alive in the filter table */
            } else {
                v = kt_lua_scalar_text(L, -1, buf, sizeof buf);
            }
            if (!k || !op || !v || n == 32) {
                lua_pop(L, 2);
                for (size_t i = 0; i < n; i++)
                    kt_filter_clear(&filters[i]);
                return luaL_argerror(L, 2, "filters are field = value or field = { op, value }");
            }
            snprintf(text, sizeof text, "%s%s%s", k, op, v);
            st = kt_filter_parse(text, &filters[n], &err);
            if (!st) n++;
            lua_pop(L, 1);
        }
    }
    kt_list_opts o = {filters, n, 0, 0, 0};
    if (lua_istable(L, 3)) {
        lua_getfield(L, 3, "limit");
        o.limit = (long)luaL_optinteger(L, -1, 0);
        lua_getfield(L, 3, "archived");
        o.archived = lua_toboolean(L, -1);
        lua_pop(L, 2);
    }
    lua_newtable(L);
    if (!st) st = kt_list(ws, entity, &o, collect, L, &err);
    for (size_t i = 0; i < n; i++)
        kt_filter_clear(&filters[i]);
    if (st) return kt_lua_raise(L, &err);
    return 1;
}

static int l_find(lua_State *L)
{
    const char *text = luaL_checkstring(L, 1);
    long limit = (long)luaL_optinteger(L, 2, 50);
    kt_error err;
    lua_newtable(L);
    if (kt_find(kt_lua_ws(L), text, limit, collect, L, &err)) return kt_lua_raise(L, &err);
    return 1;
}

/* Returns id (and warnings), or nil and every failure. */
static int save_table(lua_State *L, int idx, const char *entity)
{
    kt_ws *ws = kt_lua_ws(L);
    kt_record *r = NULL;
    kt_error err;
    char src[256];
    kt_status st = kt_lua_to_record(L, idx, entity, &r, &err);
    if (st) return kt_lua_raise(L, &err);
    kt_failures fails;
    kt_failures_init(&fails);
    kt_save_opts o = {.source = kt_lua_source(L, src, sizeof src)};
    lua_getfield(L, idx, "allow_duplicate");
    o.allow_duplicate = lua_toboolean(L, -1);
    lua_pop(L, 1);
    st = kt_save(ws, r, &o, &fails, &err);
    kt_id id = r->id;
    kt_record_free(r);
    if (st == KT_INVALID || st == KT_CONSTRAINT) {
        lua_pushnil(L);
        if (fails.n == 0)
            kt_failures_add(&fails, KT_SEVERITY_ERROR, NULL, NULL, "save", err.message);
        kt_lua_push_failures(L, &fails);
        kt_failures_free(&fails);
        return 2;
    }
    if (st) {
        kt_failures_free(&fails);
        return kt_lua_raise(L, &err);
    }
    lua_pushinteger(L, id);
    kt_lua_push_failures(L, &fails);
    kt_failures_free(&fails);
    return 2;
}

static int l_save(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    return save_table(L, 1, NULL);
}

/* kt.log { person = id, kind = "call", class = "complaint", note = "..." }: an activity. */
static int l_log(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_getfield(L, 1, "at");
    int has_at = !lua_isnil(L, -1);
    lua_pop(L, 1);
    if (!has_at) {
        char now[32];
        kt_store_now(now);
        now[19] = '\0';
        lua_pushstring(L, now);
        lua_setfield(L, 1, "at");
    }
    return save_table(L, 1, "activity");
}

static int lifecycle(lua_State *L,
                     kt_status (*fn)(kt_ws *, kt_id, const kt_save_opts *, kt_error *))
{
    char src[256];
    kt_save_opts o = {.source = kt_lua_source(L, src, sizeof src)};
    kt_error err;
    if (fn(kt_lua_ws(L), kt_lua_check_id(L, 1), &o, &err)) {
        lua_pushnil(L);
        lua_pushstring(L, err.message);
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

static int l_archive(lua_State *L)
{
    return lifecycle(L, kt_archive);
}

static int l_restore(lua_State *L)
{
    return lifecycle(L, kt_restore);
}

static int l_history(lua_State *L)
{
    kt_error err;
    lua_newtable(L);
    if (kt_history(kt_lua_ws(L), kt_lua_check_id(L, 1), kt_lua_push_change, L, &err))
        return kt_lua_raise(L, &err);
    return 1;
}

int kt_lua_open_kt(lua_State *L)
{
    static const luaL_Reg fns[] = {{"get", l_get},
                                   {"list", l_list},
                                   {"find", l_find},
                                   {"save", l_save},
                                   {"log", l_log},
                                   {"archive", l_archive},
                                   {"restore", l_restore},
                                   {"history", l_history},
                                   {"query", kt_lua_query},
                                   {"today", kt_lua_today},
                                   {"now", kt_lua_now},
                                   {"print", kt_lua_print},
                                   {"send", kt_lua_send},
                                   {"task", kt_lua_task},
                                   {"last_activity", kt_lua_last_activity},
                                   {"decimal", kt_lua_decimal},
                                   {NULL, NULL}};
    luaL_newlib(L, fns);
    lua_getfield(L, LUA_REGISTRYINDEX, KT_LUA_NULL);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L); /* a unique value: kt.null clears a field */
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, KT_LUA_NULL);
    }
    lua_setfield(L, -2, "null");
    kt_lua_push_date_lib(L);
    lua_setfield(L, -2, "date");
    kt_lua_push_text_lib(L);
    lua_setfield(L, -2, "text");
    kt_lua_push_consent_lib(L);
    lua_setfield(L, -2, "consent");
    /* kt.args and plugin namespaces (kt.phone) are looked up when used */
    lua_newtable(L);
    lua_pushcfunction(L, kt_lua_kt_index);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    return 1;
}
