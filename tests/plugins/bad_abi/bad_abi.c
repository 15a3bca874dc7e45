/* A plugin from a future kt: ABI 99. The loader must refuse it before calling init, which
 * would otherwise register a type. */
#include <kartoteka/plugin.h>

static int normalise(void *ud, const char *in, const kt_plugin_value_ctx *ctx, char *out,
                     size_t out_size, char *msg, size_t msg_size)
{
    return KT_PLUGIN_FAIL;
}

static const kt_plugin_type type = {"bad_abi.type", "never registered", KT_STORE_TEXT, normalise,
                                    0};

static int init(const kt_plugin_host *host, char *msg, size_t msg_size)
{
    return host->register_type(host->handle, &type);
}

KT_PLUGIN_DECLARE = {99,    sizeof(kt_plugin_desc), "bad_abi", "9.9.9",
                     "MIT", "from the future",      init};
