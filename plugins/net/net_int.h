/* Internal to the net plugin: its channels and the password they share. */
#ifndef KT_NET_INT_H
#define KT_NET_INT_H

#include "channel/channel_int.h"

extern const kt_plugin_channel kt_channel_smtp;
extern const kt_plugin_channel kt_channel_sms_http;
extern const kt_plugin_channel kt_channel_webhook;

/* The channel's password into out (from <channel>_password_env or a 0600
 * <channel>_password_file; never from kartoteka.lua); 1 with a message on failure. */
int kt_channel_password(const cJSON *settings, const char *channel, char *out, size_t size,
                        char *msg, size_t msg_size);

#endif
