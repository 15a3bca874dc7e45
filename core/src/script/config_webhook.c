/* Webhook declarations read out of kartoteka.lua for the layer that queues them, so that layer
 * never touches the Lua stack. */
#include <stdio.h>
#include <string.h>

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

static kt_status read_webhook(const kt_ws *ws, lua_State *L, int spec, const char *name,
                              const char *where, void *item, kt_error *err)
{
    (void)ws;
    kt_config_webhook *w = item;
    snprintf(w->event, sizeof w->event, "%s", name);
    snprintf(w->where, sizeof w->where, "%s", where);
    if (spec_string(L, spec, "url", w->url, sizeof w->url))
        return kt_error_set(err, KT_INVALID, "%s webhook \"%s\" needs url = \"https://...\"",
                            w->where, w->event);
    if (spec_string(L, spec, "secret_env", w->secret_env, sizeof w->secret_env))
        return kt_error_set(err, KT_INVALID,
                            "%s webhook \"%s\" needs secret_env = \"NAME\": the environment "
                            "variable holding the secret its posts are signed with",
                            w->where, w->event);
    return KT_OK;
}

kt_status kt_config_webhooks(const kt_ws *ws, kt_config_webhook **out, size_t *n, kt_error *err)
{
    void *items = NULL;
    kt_status st = kt_config_read_all(ws, "webhook", sizeof **out, read_webhook, &items, n, err);
    *out = items;
    return st;
}
