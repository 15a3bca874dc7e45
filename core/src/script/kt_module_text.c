/* kt.text: the text module's Unicode handling for scripts (the folding search uses). */
#include "kartoteka/alloc.h"
#include "kartoteka/text.h"
#include "script/kt_module_int.h"

static int apply(lua_State *L, kt_status (*fn)(const char *, char **, kt_error *))
{
    if (lua_isnoneornil(L, 1)) return lua_pushnil(L), 1;
    const char *s = luaL_checkstring(L, 1);
    char *out = NULL;
    kt_error err;
    if (fn(s, &out, &err)) return kt_lua_raise(L, &err);
    lua_pushstring(L, out);
    kt_free(out);
    return 1;
}

static int l_fold(lua_State *L) { return apply(L, kt_text_fold); }
static int l_title(lua_State *L) { return apply(L, kt_text_title); }
static int l_lower(lua_State *L) { return apply(L, kt_text_lower); }
static int l_upper(lua_State *L) { return apply(L, kt_text_upper); }
static int l_squeeze(lua_State *L) { return apply(L, kt_text_squeeze); }
static int l_digits(lua_State *L) { return apply(L, kt_text_ascii_digits); }

static int l_length(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    if (!kt_text_valid_utf8(s, len)) return luaL_argerror(L, 1, "not valid UTF-8");
    lua_pushinteger(L, (lua_Integer)kt_text_length(s));
    return 1;
}

/* Empty and white-space-only text is nil, so map functions can write x = kt.text.clean(row.x). */
static int l_clean(lua_State *L)
{
    apply(L, kt_text_squeeze);
    if (lua_isstring(L, -1) && lua_rawlen(L, -1) == 0) lua_pushnil(L);
    return 1;
}

void kt_lua_push_text_lib(lua_State *L)
{
    static const luaL_Reg fns[] = {{"fold", l_fold},       {"title", l_title},
                                   {"lower", l_lower},     {"upper", l_upper},
                                   {"squeeze", l_squeeze}, {"ascii_digits", l_digits},
                                   {"length", l_length},   {"clean", l_clean},
                                   {NULL, NULL}};
    luaL_newlib(L, fns);
}
