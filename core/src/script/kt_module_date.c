/* kt.date: calendar arithmetic for scripts. Dates are "YYYY-MM-DD" strings or date objects
 * (kt.date.of), which support day + 7, day - 1, day2 - day1 (days), comparisons and "..". */
#include <string.h>

#include "kartoteka/date.h"
#include "kartoteka/value.h"
#include "script/kt_module_int.h"

#define DATE_MT "kartoteka.date"

static void push_date(lua_State *L, const char *ymd);

/* Reads a date argument (string or date object) into out, raising a clear error otherwise. */
static void check_date(lua_State *L, int idx, char out[KT_DATE_SIZE])
{
    const char *s = NULL;
    if (lua_istable(L, idx)) {
        lua_getfield(L, idx, "ymd");
        s = lua_tostring(L, -1);
        lua_pop(L, 1);
    } else {
        s = lua_tostring(L, idx);
    }
    kt_error err;
    if (!s || kt_value_parse_date(s, out, &err))
        luaL_argerror(L, idx, s ? err.message : "a date (\"YYYY-MM-DD\" or kt.date.of(...))");
}

static long days_of(lua_State *L, int idx)
{
    char ymd[KT_DATE_SIZE];
    long d;
    kt_error err;
    check_date(L, idx, ymd);
    if (kt_date_days(ymd, &d, &err)) luaL_argerror(L, idx, err.message);
    return d;
}

/* The date at idx moved by n days (negated when minus), as an object or as text; a result
 * outside years 1 to 9999 is an error, never "". The core checks n before adding, so no
 * count of days can overflow. */
static void push_shifted(lua_State *L, int idx, lua_Integer n, int minus, int as_object)
{
    char ymd[KT_DATE_SIZE], out[KT_DATE_SIZE];
    kt_error err;
    check_date(L, idx, ymd);
    if (minus) n = n == LUA_MININTEGER ? LUA_MAXINTEGER : -n;
    if (kt_date_add_days(ymd, (long)n, out, &err)) kt_lua_raise(L, &err);
    if (as_object)
        push_date(L, out);
    else
        lua_pushstring(L, out);
}

static int is_object(lua_State *L, int idx)
{
    if (!lua_istable(L, idx) || !lua_getmetatable(L, idx)) return 0;
    luaL_getmetatable(L, DATE_MT);
    int eq = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return eq;
}

static int mt_add(lua_State *L)
{
    int date_first = is_object(L, 1);
    lua_Integer n = luaL_checkinteger(L, date_first ? 2 : 1);
    push_shifted(L, date_first ? 1 : 2, n, 0, 1);
    return 1;
}

static int mt_sub(lua_State *L)
{
    if (lua_isinteger(L, 2)) {
        push_shifted(L, 1, lua_tointeger(L, 2), 1, 1);
        return 1;
    }
    long d = days_of(L, 1);
    lua_pushinteger(L, d - days_of(L, 2));
    return 1;
}

static int mt_lt(lua_State *L)
{
    lua_pushboolean(L, days_of(L, 1) < days_of(L, 2));
    return 1;
}

static int mt_le(lua_State *L)
{
    lua_pushboolean(L, days_of(L, 1) <= days_of(L, 2));
    return 1;
}

static int mt_eq(lua_State *L)
{
    lua_pushboolean(L, days_of(L, 1) == days_of(L, 2));
    return 1;
}

static int mt_tostring(lua_State *L)
{
    lua_getfield(L, 1, "ymd");
    return 1;
}

static int mt_concat(lua_State *L)
{
    luaL_tolstring(L, 1, NULL);
    luaL_tolstring(L, 2, NULL);
    lua_concat(L, 2);
    return 1;
}

static int mt_newindex(lua_State *L)
{
    return luaL_error(L, "a date cannot be changed: make another with kt.date.of or d + n");
}

static void push_date(lua_State *L, const char *ymd)
{
    lua_createtable(L, 0, 1);
    lua_pushstring(L, ymd);
    lua_setfield(L, -2, "ymd");
    if (luaL_newmetatable(L, DATE_MT)) {
        static const luaL_Reg mt[] = {{"__add", mt_add},       {"__sub", mt_sub},
                                      {"__lt", mt_lt},         {"__le", mt_le},
                                      {"__eq", mt_eq},         {"__tostring", mt_tostring},
                                      {"__concat", mt_concat}, {NULL, NULL}};
        luaL_setfuncs(L, mt, 0);
        lua_pushliteral(L, "date");
        lua_setfield(L, -2, "__name");
        lua_pushcfunction(L, mt_newindex);
        lua_setfield(L, -2, "__newindex");
        /* Shared by every date of every script: getmetatable must not hand it out, or one
         * script's __le (or __gc) would change every later comparison. */
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
    }
    lua_setmetatable(L, -2);
}

static int l_of(lua_State *L)
{
    char ymd[KT_DATE_SIZE];
    check_date(L, 1, ymd);
    push_date(L, ymd);
    return 1;
}

static int l_parse(lua_State *L)
{
    const char *s = lua_tostring(L, 1);
    const char *fmt = luaL_optstring(L, 2, NULL);
    if (!s || !*s) return lua_pushnil(L), 1;
    char out[KT_DATE_SIZE];
    kt_error err;
    kt_status st =
        fmt ? kt_value_parse_date_format(s, fmt, out, &err) : kt_value_parse_date(s, out, &err);
    if (st) {
        lua_pushnil(L);
        lua_pushstring(L, err.message);
        return 2;
    }
    lua_pushstring(L, out);
    return 1;
}

static int l_add(lua_State *L)
{
    push_shifted(L, 1, luaL_checkinteger(L, 2), 0, is_object(L, 1));
    return 1;
}

static int l_add_months(lua_State *L)
{
    char ymd[KT_DATE_SIZE], out[KT_DATE_SIZE];
    kt_error err;
    check_date(L, 1, ymd);
    if (kt_date_add_months(ymd, (long)luaL_checkinteger(L, 2), out, &err))
        return kt_lua_raise(L, &err);
    if (is_object(L, 1))
        push_date(L, out);
    else
        lua_pushstring(L, out);
    return 1;
}

static int l_days_between(lua_State *L)
{
    lua_pushinteger(L, days_of(L, 2) - days_of(L, 1));
    return 1;
}

static int l_part(lua_State *L, int (*part)(long))
{
    lua_pushinteger(L, part(days_of(L, 1)));
    return 1;
}

static int l_year(lua_State *L)
{
    return l_part(L, kt_date_year);
}
static int l_month(lua_State *L)
{
    return l_part(L, kt_date_month);
}
static int l_day(lua_State *L)
{
    return l_part(L, kt_date_day);
}
static int l_weekday(lua_State *L)
{
    return l_part(L, kt_date_weekday);
}

static int l_anniversary(lua_State *L)
{
    if (lua_isnil(L, 1)) return lua_pushboolean(L, 0), 1;
    char a[KT_DATE_SIZE], b[KT_DATE_SIZE];
    check_date(L, 1, a);
    check_date(L, 2, b);
    lua_pushboolean(L, kt_date_anniversary(a, b));
    return 1;
}

static int l_age(lua_State *L)
{
    char a[KT_DATE_SIZE], b[KT_DATE_SIZE];
    check_date(L, 1, a);
    if (lua_isnoneornil(L, 2)) {
        kt_error err;
        if (kt_date_today(kt_ws_setting(kt_lua_ws(L), "timezone"), b, &err))
            return kt_lua_raise(L, &err);
    } else {
        check_date(L, 2, b);
    }
    lua_pushinteger(L, kt_date_years_between(a, b));
    return 1;
}

static int l_today(lua_State *L)
{
    kt_lua_today(L);
    push_date(L, lua_tostring(L, -1));
    return 1;
}

void kt_lua_push_date_lib(lua_State *L)
{
    static const luaL_Reg fns[] = {{"of", l_of},
                                   {"parse", l_parse},
                                   {"add", l_add},
                                   {"add_months", l_add_months},
                                   {"days_between", l_days_between},
                                   {"year", l_year},
                                   {"month", l_month},
                                   {"day", l_day},
                                   {"weekday", l_weekday},
                                   {"anniversary", l_anniversary},
                                   {"age", l_age},
                                   {"today", l_today},
                                   {NULL, NULL}};
    luaL_newlib(L, fns);
}
