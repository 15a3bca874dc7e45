/* Registers one new type, then one whose name ids_pl already took. init passes the refusal
 * on, so the loader must also remove the first type again. */
#include <stdio.h>

#include <kartoteka/plugin.h>

static int normalise(void *ud, const char *in, const kt_plugin_value_ctx *ctx, char *out,
                     size_t out_size, char *msg, size_t msg_size)
{
    snprintf(out, out_size, "%s", in);
    return KT_PLUGIN_OK;
}

static const kt_plugin_type fresh = {"clash.fresh", "new", KT_STORE_TEXT, normalise, 0};
static const kt_plugin_type taken = {"pl.nip", "taken by ids_pl", KT_STORE_TEXT, normalise, 0};

static int init(const kt_plugin_host *host, char *msg, size_t msg_size)
{
    if (host->register_type(host->handle, &fresh) != KT_PLUGIN_OK) return KT_PLUGIN_FAIL;
    if (host->register_type(host->handle, &taken) != KT_PLUGIN_OK) {
        snprintf(msg, msg_size, "cannot register the field type 'pl.nip'");
        return KT_PLUGIN_FAIL;
    }
    return KT_PLUGIN_OK;
}

KT_PLUGIN_DECLARE = {KT_PLUGIN_ABI_VERSION,
                     sizeof(kt_plugin_desc),
                     "clash",
                     "1.0.0",
                     "MIT",
                     "takes a name that is taken",
                     init};
