/* kt.send's data table as the values of a message template's {{name}} placeholders: the
 * template itself is filled by the campaign layer (campaign/template.c). */
#include <lauxlib.h>

#include "campaign/campaign_int.h"
#include "script/lua_adapters.h"

typedef struct lua_data {
    lua_State *L;
    int data_idx; /* 0: no data */
} lua_data;

/* Appends the value of data[name] (a list joined with ", "; nil as nothing). */
static kt_status put_value(void *ud, const char *name, size_t len, kt_buf *out, kt_error *err)
{
    lua_State *L = ((lua_data *)ud)->L;
    int data_idx = ((lua_data *)ud)->data_idx;
    if (data_idx == 0) return KT_OK;
    lua_pushlstring(L, name, len);
    lua_gettable(L, data_idx);
    kt_status st = KT_OK;
    int is_list = 0; /* a date object (with __tostring) is one value, not a list */
    if (lua_istable(L, -1)) {
        if (luaL_getmetafield(L, -1, "__tostring") != LUA_TNIL)
            lua_pop(L, 1);
        else
            is_list = 1;
    }
    if (is_list) {
        lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
        for (lua_Integer i = 1; !st && i <= n; i++) {
            lua_rawgeti(L, -1, i);
            if (i > 1) st = kt_buf_puts(out, ", ", err);
            if (!st) st = kt_buf_puts(out, luaL_tolstring(L, -1, NULL), err);
            lua_pop(L, 2);
        }
    } else if (!lua_isnil(L, -1)) {
        st = kt_buf_puts(out, luaL_tolstring(L, -1, NULL), err);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return st;
}

kt_status kt_template_render(lua_State *L, const char *text, int data_idx, char **body,
                             char **subject_out, kt_error *err)
{
    lua_data d = {L, data_idx};
    return kt_template_fill(text, put_value, &d, body, subject_out, err);
}
