/* The net plugin: the delivery channels that talk to other machines, smtp (mail), sms_http
 * (an SMS gateway) and webhook (signed posts of a record's JSON), through libcurl. They live in a
 * plugin so that kt itself links no libcurl (and none of the TLS, Kerberos, LDAP and SSH libraries
 * it pulls in): every command starts without them, and the workspace loads this plugin only when a
 * message goes through one of these channels. */
#include <curl/curl.h>
#include <stdio.h>

#include "net_int.h"

static int curl_ready;

/* libcurl's global state is set up once when the plugin starts and released when it is
 * unloaded: libcurl may be unloaded with it, and what it allocated must not outlive it. */
__attribute__((destructor)) static void net_unload(void)
{
    if (curl_ready) curl_global_cleanup();
    curl_ready = 0;
}

static int init(const kt_plugin_host *host, char *msg, size_t msg_size)
{
    if (!curl_ready && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(msg, msg_size, "libcurl failed to start");
        return KT_PLUGIN_FAIL;
    }
    curl_ready = 1;
    const kt_plugin_channel *const all[] = {&kt_channel_smtp, &kt_channel_sms_http,
                                            &kt_channel_webhook};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (host->register_channel(host->handle, all[i]) != KT_PLUGIN_OK) {
            snprintf(msg, msg_size, "the channel name '%s' is taken", all[i]->name);
            return KT_PLUGIN_FAIL;
        }
    return KT_PLUGIN_OK;
}

KT_PLUGIN_DECLARE = {KT_PLUGIN_ABI_VERSION,
                     sizeof(kt_plugin_desc),
                     "net",
                     "1.0.0",
                     "MIT",
                     "delivery channels over the network: smtp, sms_http and webhook (libcurl)",
                     init};
