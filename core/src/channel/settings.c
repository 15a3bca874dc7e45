/* Which channel a message goes through, and the channel's settings from kartoteka.lua's
 * settings { ... } (flat keys "<channel>_<name>": file_dir, smtp_url, ...). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "channel/channel.h"
#include "kartoteka/alloc.h"

const char *kt_channel_resolve(kt_ws *ws, const char *name)
{
    char key[128];
    snprintf(key, sizeof key, "%s_channel", name);
    const char *v = kt_ws_setting(ws, key);
    if (v && *v) return v;
    if (!strcmp(name, "email") || !strcmp(name, "sms")) return "file";
    return name;
}

const char *kt_channel_kind(kt_ws *ws, const char *name)
{
    if (!strcmp(name, "sms") || !strcmp(kt_channel_resolve(ws, name), "sms_http")) return "sms";
    return "email";
}

char *kt_channel_settings(kt_ws *ws, const char *name, const char *channel)
{
    static const char *const keys[] = {
        "dir",           "mbox", "url",     "from",      "user",     "password", "password_env",
        "password_file", "tls",  "ca_file", "timeout_s", "delay_ms", NULL};
    cJSON *o = cJSON_CreateObject();
    /* a setting left out is a message delivered by defaults (the file channel's: ./outbox) */
    int ok = o && cJSON_AddStringToObject(o, "workspace", kt_ws_dir(ws)) &&
             cJSON_AddStringToObject(o, "kind", kt_channel_kind(ws, name));
    for (size_t i = 0; ok && keys[i]; i++) {
        char key[128];
        snprintf(key, sizeof key, "%s_%s", channel, keys[i]);
        const char *v = kt_ws_setting(ws, key);
        if (v) ok = cJSON_AddStringToObject(o, keys[i], v) != NULL;
    }
    char *text = ok ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    char *copy = text ? kt_strdup(text) : NULL;
    cJSON_free(text);
    return copy;
}
