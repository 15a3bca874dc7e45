/* kt.consent: a person's consents from scripts, the same calls as kt consent on the command
 * line. give and withdraw return true, or nil and the reason, as kt.archive does; show returns
 * the table kt consent show --json prints; state returns one purpose's state. */
#include <string.h>

#include "kartoteka/consent.h"
#include "script/kt_module_int.h"

/* Pushes a cJSON value as Lua: objects and arrays as tables, null as nil. */
static void push_json(lua_State *L, const cJSON *j)
{
    luaL_checkstack(L, 3, "consent table too deep");
    if (cJSON_IsString(j)) {
        lua_pushstring(L, j->valuestring);
    } else if (cJSON_IsNumber(j)) {
        lua_pushinteger(L, (lua_Integer)j->valuedouble);
    } else if (cJSON_IsBool(j)) {
        lua_pushboolean(L, cJSON_IsTrue(j));
    } else if (cJSON_IsArray(j) || cJSON_IsObject(j)) {
        lua_newtable(L);
        lua_Integer i = 1;
        const cJSON *it;
        cJSON_ArrayForEach(it, j)
        {
            if (cJSON_IsNull(it)) continue;
            push_json(L, it);
            if (cJSON_IsArray(j))
                lua_rawseti(L, -2, i++);
            else
                lua_setfield(L, -2, it->string);
        }
    } else {
        lua_pushnil(L);
    }
}

static const char *opt_field(lua_State *L, const char *name)
{
    if (!lua_istable(L, 3)) return NULL;
    lua_getfield(L, 3, name);
    const char *v = lua_isnil(L, -1) ? NULL : luaL_checkstring(L, -1);
    lua_pop(L, 1); /* the string stays alive in the options table */
    return v;
}

static int set(lua_State *L, int given)
{
    kt_id id = kt_lua_check_id(L, 1);
    const char *purpose = luaL_checkstring(L, 2);
    if (!lua_isnoneornil(L, 3)) luaL_checktype(L, 3, LUA_TTABLE);
    char src[256];
    kt_consent_opts o = {.source = opt_field(L, "source"),
                         .by = kt_lua_source(L, src, sizeof src),
                         .wording = opt_field(L, "wording"),
                         .wording_text = opt_field(L, "wording_text"),
                         .note = opt_field(L, "note")};
    kt_error err;
    if (kt_consent_set(kt_lua_ws(L), id, purpose, given, &o, &err)) {
        lua_pushnil(L);
        lua_pushstring(L, err.message);
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

static int l_give(lua_State *L)
{
    return set(L, 1);
}

static int l_withdraw(lua_State *L)
{
    return set(L, 0);
}

#define JSON_BOX "kartoteka.consent_json"

static int box_gc(lua_State *L)
{
    cJSON **box = luaL_checkudata(L, 1, JSON_BOX);
    cJSON_Delete(*box);
    *box = NULL;
    return 0;
}

static int l_show(lua_State *L)
{
    kt_id id = kt_lua_check_id(L, 1);
    /* the document lives in a box Lua collects, so an error while it is pushed frees it */
    cJSON **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL;
    if (luaL_newmetatable(L, JSON_BOX)) {
        lua_pushcfunction(L, box_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    kt_error err;
    if (kt_consent_json(kt_lua_ws(L), id, box, &err)) return kt_lua_raise(L, &err);
    push_json(L, *box);
    cJSON_Delete(*box);
    *box = NULL;
    return 1;
}

static int l_state(lua_State *L)
{
    kt_id id = kt_lua_check_id(L, 1);
    const char *purpose = luaL_checkstring(L, 2);
    kt_consent_state s;
    kt_error err;
    if (kt_consent_state_of(kt_lua_ws(L), id, purpose, &s, &err)) return kt_lua_raise(L, &err);
    lua_pushstring(L, kt_consent_state_name(s));
    return 1;
}

void kt_lua_push_consent_lib(lua_State *L)
{
    static const luaL_Reg fns[] = {{"give", l_give},
                                   {"withdraw", l_withdraw},
                                   {"show", l_show},
                                   {"state", l_state},
                                   {NULL, NULL}};
    luaL_newlib(L, fns);
}
