/* The built-in delivery channel joins the extension registry like any plugin's channel; the
 * channels that need libcurl are the net plugin's, loaded when a message first goes through
 * one of them, so no other command pays for loading libcurl. */
#include <string.h>

#include "channel/channel.h"
#include "channel/channel_int.h"
#include "kartoteka/campaign.h"

#define PLUGIN_LOADER "channel.plugin_loader"

kt_status channel_plugin_loader_set(kt_ws *ws, const channel_plugin_loader *l, kt_error *err)
{
    return kt_ws_attach(ws, PLUGIN_LOADER, (void *)l, NULL, err);
}

kt_status kt_channels_register(kt_ws *ws, kt_error *err)
{
    kt_ext *x = kt_ws_ext(ws);
    if (kt_ext_channel(x, "file")) return KT_OK;
    return kt_ext_add(x, KT_EXT_CHANNEL, &kt_channel_file, "core", err);
}

const kt_plugin_channel *kt_channel_find(kt_ws *ws, const char *channel, kt_error *err)
{
    static const char *const on_demand[][2] = {
        {"smtp", "net"}, {"sms_http", "net"}, {"webhook", "net"}};
    kt_ext *x = kt_ws_ext(ws);
    const kt_plugin_channel *ch = kt_ext_channel(x, channel);
    for (size_t i = 0; !ch && i < sizeof on_demand / sizeof on_demand[0]; i++) {
        if (strcmp(channel, on_demand[i][0]) != 0) continue;
        const channel_plugin_loader *l = kt_ws_attachment(ws, PLUGIN_LOADER);
        if (l ? l->load(ws, on_demand[i][1], err)
              : kt_error_set(err, KT_INTERNAL, "plugin \"%s\": the workspace is not configured",
                             on_demand[i][1])) {
            kt_error_prefix(err, "the %s channel is plugin \"%s\"'s: ", channel, on_demand[i][1]);
            return NULL;
        }
        ch = kt_ext_channel(x, channel);
    }
    if (!ch) kt_error_set(err, KT_NOTFOUND, "no delivery channel \"%s\"", channel);
    return ch;
}
