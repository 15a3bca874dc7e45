/* Internal to the delivery channels: the built-in file channel, and the net plugin (SMTP, the
 * SMS gateway), which compiles message.c in so both write the same text. */
#ifndef KT_CHANNEL_INT_H
#define KT_CHANNEL_INT_H

#include <cjson/cJSON.h>

#include "kartoteka/buf.h"
#include "kartoteka/plugin.h"

extern const kt_plugin_channel kt_channel_file;

/* The message as an RFC 5322 text (CRLF line ends when crlf, else LF), with an
 * X-Kartoteka-Outbox-Id header so a delivered copy can be traced to its outbox row. */
int kt_mail_format(const kt_plugin_message *m, const char *from, int crlf, kt_buf *out);

/* An SMS as a plain text file: To and X-Kartoteka-Outbox-Id lines, a blank line, the text (an
 * SMS has no subject). */
int kt_sms_format(const kt_plugin_message *m, kt_buf *out);

/* A string member of the settings object, or NULL. */
const char *kt_channel_opt(const cJSON *settings, const char *key);
/* m's settings parsed (caller deletes; NULL when m has none). 0, or 1 with msg set when they
 * cannot be parsed: the host wrote them, so that is out of memory, and a channel must not
 * deliver by its defaults instead (the file channel's would be ./outbox). */
int kt_channel_settings_of(const kt_plugin_message *m, cJSON **out, char *msg, size_t msg_size);

#endif
