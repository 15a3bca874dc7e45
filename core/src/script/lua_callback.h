/* Internal: Lua functions from kartoteka.lua that the core calls back — rule checks, default
 * functions — and the settings a plugin reads while it loads. */
#ifndef KT_SCRIPT_LUA_CALLBACK_H
#define KT_SCRIPT_LUA_CALLBACK_H

#include "script/script_int.h"

typedef struct kt_lua_setting_ctx {
    lua_State *L;
    int spec; /* stack index of the plugin's spec table */
} kt_lua_setting_ctx;

/* kt_plugin_setting_fn over a kt_lua_setting_ctx. */
const char *kt_lua_plugin_setting(void *ud, const char *key);

/* Registers the rule whose spec table is at the top of the stack. */
kt_status kt_lua_attach_rule(kt_ws *ws, lua_State *L, const char *name, kt_error *err);
/* Makes the function at the top of the stack (popped) the default of entity.field. */
kt_status kt_lua_attach_default(kt_ws *ws, lua_State *L, const char *entity, const char *field,
                                kt_error *err);

/* Registers the access rules (read, write) whose spec table is at the top of the stack. */
kt_status kt_lua_attach_access(kt_ws *ws, lua_State *L, const char *entity, kt_error *err);

#endif
