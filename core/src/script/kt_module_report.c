/* kt.decimal: exact decimal text from a stored decimal's scaled integer, for report authors
 * who want "12.50" rather than the float 12.5 (which cannot hold most cents exactly). */
#include <lauxlib.h>

#include "kartoteka/report.h"
#include "script/kt_module_report.h"

int kt_lua_decimal(lua_State *L)
{
    if (!lua_isinteger(L, 1))
        return luaL_argerror(L, 1, "an integer (a decimal as stored: SUM(amount) is in cents)");
    lua_Integer scale = luaL_optinteger(L, 2, 2);
    luaL_argcheck(L, scale >= 0 && scale <= 18, 2, "a scale from 0 to 18");
    char buf[64];
    lua_pushstring(
        L, kt_report_decimal_text((long long)lua_tointeger(L, 1), (int)scale, buf, sizeof buf));
    return 1;
}
