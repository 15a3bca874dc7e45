/* Registers a type and a function, then fails its init: the loader must take both back out of
 * the registry before it dlcloses the library they point into. */
#include <stdio.h>

#include <kartoteka/plugin.h>

static int normalise(void *ud, const char *in, const kt_plugin_value_ctx *ctx, char *out,
                     size_t out_size, char *msg, size_t msg_size)
{
    snprintf(out, out_size, "%s", in);
    return KT_PLUGIN_OK;
}

static const kt_plugin_type type = {"bad_init.kept", "must not survive", KT_STORE_TEXT, normalise,
                                    0};
static const kt_plugin_function fn = {"bad_init.fn", "must not survive", normalise, 0};

static int init(const kt_plugin_host *host, char *msg, size_t msg_size)
{
    if (host->register_type(host->handle, &type) != KT_PLUGIN_OK) return KT_PLUGIN_FAIL;
    if (host->register_function(host->handle, &fn) != KT_PLUGIN_OK) return KT_PLUGIN_FAIL;
    snprintf(msg, msg_size, "the licence server is unreachable");
    return KT_PLUGIN_FAIL;
}

KT_PLUGIN_DECLARE = {KT_PLUGIN_ABI_VERSION,
                     sizeof(kt_plugin_desc),
                     "bad_init",
                     "1.0.0",
                     "MIT",
                     "fails on purpose",
                     init};
