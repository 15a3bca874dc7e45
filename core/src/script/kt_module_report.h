/* Internal: kt module functions for report authors (registered in kt_module.c's fns[]). */
#ifndef KT_SCRIPT_KT_MODULE_REPORT_H
#define KT_SCRIPT_KT_MODULE_REPORT_H

#include <lua.h>

/* kt.decimal(units, scale = 2) -> "12.50": a stored decimal (an integer scaled by 10^scale,
 * such as SUM(amount) in cents) as exact text. */
int kt_lua_decimal(lua_State *L);

#endif
