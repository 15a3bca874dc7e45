/* Webhook declarations read out of kartoteka.lua for the layer that queues them, so that layer
 * never touches the Lua stack. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "script/script_int.h"

/* Copies the string spec.key into out; 1 when it is missing or does not fit. */
static int spec_string(lua_State *L, int spec, const char *key, char *out, size_t size)
{
    lua_getfield(L, spec, key);
    size_t len = 0;
    const char *v = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
    int bad = !v || !len || len >= size || strlen(v) != len;
    if (!bad) memcpy(out, v, len + 1);
    lua_pop(L, 1);
    return bad;
}

kt_status kt_config_webhooks(const kt_ws *ws, kt_config_webhook **out, size_t *n, kt_error *err)
{
    *out = NULL;
    *n = 0;
    kt_host *h = kt_config_host(ws);
    if (!h) return KT_OK;
    lua_State *L = kt_host_lua(h);
    kt_config_push_declarations(ws, "webhook");
    int list = lua_gettop(L);
    size_t total = (size_t)lua_rawlen(L, list);
    kt_status st = KT_OK;
    if (total && !(*out = kt_calloc(total, sizeof **out)))
        st = kt_error_set(err, KT_NOMEM, "out of memory");
    for (size_t i = 1; !st && i <= total; i++) {
        kt_config_webhook *w = &(*out)[i - 1];
        lua_rawgeti(L, list, (lua_Integer)i);
        int d = lua_gettop(L);
        lua_getfield(L, d, "name");
        lua_getfield(L, d, "where");
        lua_getfield(L, d, "spec");
        snprintf(w->event, sizeof w->event, "%s", lua_tostring(L, d + 1));
        snprintf(w->where, sizeof w->where, "%s", lua_tostring(L, d + 2));
        if (spec_string(L, d + 3, "url", w->url, sizeof w->url))
            st = kt_error_set(err, KT_INVALID, "%s webhook \"%s\" needs url = \"https://...\"",
                              w->where, w->event);
        else if (spec_string(L, d + 3, "secret_env", w->secret_env, sizeof w->secret_env))
            st = kt_error_set(err, KT_INVALID,
                              "%s webhook \"%s\" needs secret_env = \"NAME\": the environment "
                              "variable holding the secret its posts are signed with",
                              w->where, w->event);
        lua_settop(L, list);
        if (!st) (*n)++;
    }
    lua_settop(L, list - 1);
    if (st) {
        kt_free(*out);
        *out = NULL;
        *n = 0;
    }
    return st;
}
