/* Internal: the adapters that turn kartoteka.lua's declarations into objects of the extension
 * registry (kartoteka/ext.h) when the configuration loads. Each reads the declaration's spec
 * table at the top of the stack and leaves the stack as it found it. */
#ifndef KT_SCRIPT_LUA_ADAPTERS_H
#define KT_SCRIPT_LUA_ADAPTERS_H

#include "script/script_int.h"

/* `dedupe "entity" {...}`: a KT_EXT_DUPE object; a later one for the same entity replaces it. */
kt_status kt_lua_declare_dedupe(kt_ws *ws, lua_State *L, const char *entity, const char *where,
                                kt_error *err);

/* `campaign "name" {...}`: a KT_EXT_CAMPAIGN object; a later one of the same name replaces it. */
kt_status kt_lua_declare_campaign(kt_ws *ws, lua_State *L, const char *name, const char *where,
                                  kt_error *err);

/* Lua filters { field = value, field = { op, value } } (a date object is a value) at idx into
 * out[0..*n) (at most max; released with kt_filter_clear). */
struct kt_filter;
kt_status kt_lua_filters(lua_State *L, int idx, struct kt_filter *out, size_t max, size_t *n,
                         kt_error *err);

#define KT_LUA_CAMPAIGN_CTX "kartoteka.campaign_ctx" /* registry: light userdata while acting */
/* Pushes kt.date.of(ymd): the date object actions receive as `day` (kt_module_campaign.c). */
void kt_campaign_push_day(lua_State *L, const char *ymd);
/* A message template filled with the Lua table at data_idx (0: none) as the values
 * (campaign_template_lua.c); body and *subject_out allocated. */
kt_status kt_template_render(lua_State *L, const char *text, int data_idx, char **body,
                             char **subject_out, kt_error *err);

#endif
