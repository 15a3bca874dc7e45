/* Internal: the adapters that turn kartoteka.lua's declarations into objects of the extension
 * registry (kartoteka/ext.h) when the configuration loads. Each reads the declaration's spec
 * table at the top of the stack and leaves the stack as it found it. */
#ifndef KT_SCRIPT_LUA_ADAPTERS_H
#define KT_SCRIPT_LUA_ADAPTERS_H

#include "script/script_int.h"

/* `dedupe "entity" {...}`: a KT_EXT_DUPE object; a later one for the same entity replaces it. */
kt_status kt_lua_declare_dedupe(kt_ws *ws, lua_State *L, const char *entity, const char *where,
                                kt_error *err);

#endif
