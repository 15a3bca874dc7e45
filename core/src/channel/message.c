/* Messages as text: mail for the file and smtp channels, an SMS for the file channel. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "channel/channel_int.h"

const char *kt_channel_opt(const cJSON *settings, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(settings, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

int kt_channel_settings_of(const kt_plugin_message *m, cJSON **out, char *msg, size_t msg_size)
{
    *out = m->settings ? cJSON_Parse(m->settings) : NULL;
    if (!m->settings || *out) return 0;
    snprintf(msg, msg_size, "out of memory reading the channel's settings");
    return 1;
}

static int ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80 || *s == '\r' || *s == '\n') return 0;
    return 1;
}

/* RFC 2047 encoded-word for a non-ASCII subject. */
static int put_subject(kt_buf *out, const char *s, const char *nl)
{
    kt_error err;
    if (ascii(s)) return kt_buf_printf(out, &err, "Subject: %s%s", s, nl) != KT_OK;
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (kt_buf_puts(out, "Subject: =?UTF-8?B?", &err)) return 1;
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned char)s[i] << 16;
        if (i + 1 < n) v |= (unsigned char)s[i + 1] << 8;
        if (i + 2 < n) v |= (unsigned char)s[i + 2];
        char q[4] = {b64[(v >> 18) & 63], b64[(v >> 12) & 63], i + 1 < n ? b64[(v >> 6) & 63] : '=',
                     i + 2 < n ? b64[v & 63] : '='};
        if (kt_buf_append(out, q, 4, &err)) return 1;
    }
    return kt_buf_printf(out, &err, "?=%s", nl) != KT_OK;
}

int kt_mail_format(const kt_plugin_message *m, const char *from, int crlf, kt_buf *out)
{
    kt_error err;
    const char *nl = crlf ? "\r\n" : "\n";
    char date[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    if (kt_buf_printf(out, &err,
                      "From: %s%sTo: %s%sDate: %s%sMessage-ID: <kt-%s@kartoteka>%s"
                      "X-Kartoteka-Outbox-Id: %s%sMIME-Version: 1.0%s"
                      "Content-Type: text/plain; charset=UTF-8%s"
                      "Content-Transfer-Encoding: 8bit%s",
                      from, nl, m->to, nl, date, nl, m->id, nl, m->id, nl, nl, nl, nl))
        return 1;
    if (m->subject && *m->subject && put_subject(out, m->subject, nl)) return 1;
    if (kt_buf_puts(out, nl, &err)) return 1;
    for (const char *p = m->body; *p;) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        if (n && p[n - 1] == '\r') n--;
        /* SMTP ends the data at a lone "."; mbox starts a message at "From " */
        if (crlf && *p == '.' && kt_buf_putc(out, '.', &err)) return 1;
        if (!crlf && !strncmp(p, "From ", 5) && kt_buf_putc(out, '>', &err)) return 1;
        if (kt_buf_append(out, p, n, &err) || kt_buf_puts(out, nl, &err)) return 1;
        p = eol ? eol + 1 : p + strlen(p);
    }
    return 0;
}

int kt_sms_format(const kt_plugin_message *m, kt_buf *out)
{
    kt_error err;
    size_t n = strlen(m->body);
    return kt_buf_printf(out, &err, "To: %s\nX-Kartoteka-Outbox-Id: %s\n\n%s%s", m->to, m->id,
                         m->body, n && m->body[n - 1] == '\n' ? "" : "\n") != KT_OK;
}
