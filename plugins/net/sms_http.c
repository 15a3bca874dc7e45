/* The sms_http channel: an SMS gateway over HTTP(S), through libcurl. The request has the shape
 * of Twilio's Messages API, which many gateways accept (Twilio, SignalWire, and others offer a
 * compatible endpoint):
 *   POST <sms_http_url>
 *   Authorization: Basic base64(<sms_http_user>:<password>)
 *   Content-Type: application/x-www-form-urlencoded
 *   To=%2B48600100200&From=<sms_http_from>&Body=<the text>
 * Any 2xx answer is acceptance; anything else fails the message with the status and the start
 * of the answer's body (gateways explain refusals there), and it is retried later.
 * Settings (kartoteka.lua settings { ... }), as for smtp:
 *   sms_http_url        "https://api.twilio.com/2010-04-01/Accounts/AC.../Messages.json"
 *   sms_http_from       the sender: a number or an alphanumeric sender id
 *   sms_http_user       the login (Twilio: the account SID)
 *   sms_http_password_env / sms_http_password_file   the password (Twilio: the auth token)
 *   sms_http_ca_file    a CA bundle; sms_http_timeout_s seconds per message (default 30)
 * An http:// URL is refused unless it is a loopback address: the password would cross the
 * network in clear. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net_int.h"
#include "kartoteka/alloc.h"

typedef struct answer {
    char text[512];
    size_t len;
} answer;

static size_t keep_answer(char *ptr, size_t size, size_t nmemb, void *ud)
{
    answer *a = ud;
    size_t n = size * nmemb, room = sizeof a->text - 1 - a->len;
    memcpy(a->text + a->len, ptr, n < room ? n : room);
    a->len += n < room ? n : room;
    a->text[a->len] = '\0';
    return size * nmemb;
}

static int loopback(const char *url)
{
    static const char *const ok[] = {"http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:",
                                     "http://localhost/", "http://[::1]:",     "http://[::1]/"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (!strncmp(url, ok[i], strlen(ok[i]))) return 1;
    return 0;
}

/* Appends name=value, form-encoded; 1 when out of memory. */
static int add_field(CURL *c, kt_buf *form, const char *name, const char *value)
{
    kt_error err;
    char *enc = curl_easy_escape(c, value, 0);
    if (!enc) return 1;
    int bad = kt_buf_printf(form, &err, "%s%s=%s", form->len ? "&" : "", name, enc) != KT_OK;
    curl_free(enc);
    return bad;
}

static int deliver(void *ud, const kt_plugin_message *m, char *msg, size_t msg_size)
{
    (void)ud;
    cJSON *s = m->settings ? cJSON_Parse(m->settings) : NULL;
    const char *url = kt_channel_opt(s, "url"), *from = kt_channel_opt(s, "from");
    const char *user = kt_channel_opt(s, "user"), *ca = kt_channel_opt(s, "ca_file");
    const char *timeout = kt_channel_opt(s, "timeout_s");
    char pass[512] = "", userpwd[1100];
    int rc = KT_PLUGIN_FAIL;
    CURL *c = NULL;
    kt_buf form = KT_BUF_INIT;
    if (!url || !from) {
        snprintf(msg, msg_size,
                 "the sms_http channel needs sms_http_url and sms_http_from in "
                 "settings");
        goto out;
    }
    if (strncmp(url, "https://", 8) != 0 && !loopback(url)) {
        snprintf(msg, msg_size,
                 "sms_http_url must be https:// (or http:// on this machine's "
                 "loopback): the password would travel in clear");
        goto out;
    }
    if (kt_channel_password(s, "sms_http", pass, sizeof pass, msg, msg_size)) goto out;
    if (!(c = curl_easy_init())) {
        snprintf(msg, msg_size, "cannot start libcurl");
        goto out;
    }
    if (add_field(c, &form, "To", m->to) || add_field(c, &form, "From", from) ||
        add_field(c, &form, "Body", m->body)) {
        snprintf(msg, msg_size, "out of memory formatting message %s", m->id);
        goto out;
    }
    char errbuf[CURL_ERROR_SIZE] = "";
    answer a = {"", 0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, form.data);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)form.len);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_answer);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout ? atol(timeout) : 30L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    if (ca) curl_easy_setopt(c, CURLOPT_CAINFO, ca);
    if (user) {
        snprintf(userpwd, sizeof userpwd, "%s:%s", user, pass);
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl_easy_setopt(c, CURLOPT_USERPWD, userpwd);
    }
    CURLcode res = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (res != CURLE_OK)
        snprintf(msg, msg_size, "sms gateway %s: %s", url,
                 errbuf[0] ? errbuf : curl_easy_strerror(res));
    else if (status < 200 || status > 299)
        snprintf(msg, msg_size, "sms gateway %s answered HTTP %ld: %.300s", url, status, a.text);
    else
        rc = KT_PLUGIN_OK;
out:
    memset(pass, 0, sizeof pass);
    memset(userpwd, 0, sizeof userpwd);
    if (c) curl_easy_cleanup(c);
    kt_buf_free(&form);
    cJSON_Delete(s);
    return rc;
}

const kt_plugin_channel kt_channel_sms_http = {"sms_http", deliver, NULL};
