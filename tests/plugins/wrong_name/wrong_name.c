/* A plugin file renamed after it was built: wrong_name.so says it is "phone". Loading it as
 * "wrong_name" must fail, or two files could claim one name. */
#include <kartoteka/plugin.h>

static int init(const kt_plugin_host *host, char *msg, size_t msg_size)
{
    return KT_PLUGIN_OK;
}

KT_PLUGIN_DECLARE = {
    KT_PLUGIN_ABI_VERSION, sizeof(kt_plugin_desc), "phone", "1.0.0", "MIT", "a renamed file", init};
