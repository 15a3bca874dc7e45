/* The built-in delivery channels join the extension registry like any plugin's channel. */
#include "campaign/campaign_int.h"
#include "channel/channel_int.h"

kt_status kt_channels_register(kt_ws *ws, kt_error *err)
{
    kt_ext *x = kt_ws_ext(ws);
    kt_status st = KT_OK;
    if (!kt_ext_channel(x, "file"))
        st = kt_ext_add(x, KT_EXT_CHANNEL, &kt_channel_file, "core", err);
    if (!st && !kt_ext_channel(x, "smtp"))
        st = kt_ext_add(x, KT_EXT_CHANNEL, &kt_channel_smtp, "core", err);
    if (!st && !kt_ext_channel(x, "webhook"))
        st = kt_ext_add(x, KT_EXT_CHANNEL, &kt_channel_webhook, "core", err);
    return st;
}
