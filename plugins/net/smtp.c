/* The smtp channel, through libcurl. Settings (kartoteka.lua settings { ... }):
 *   smtp_url       "smtps://mail.example.com:465" or "smtp://mail.example.com:587"
 *   smtp_from      the envelope and From: address
 *   smtp_user      the login, when the server wants one
 *   smtp_password_env  the name of an environment variable holding the password, or
 *   smtp_password_file a file holding it, which must be the owner's alone (0600)
 *   smtp_tls       "required" (default: STARTTLS or smtps, refuse plain text), "try", "none"
 *   smtp_ca_file   a CA bundle for a private certificate authority
 *   smtp_timeout_s seconds per message (default 60)
 * The password never comes from kartoteka.lua itself (smtp_password is refused), and never
 * reaches a message, the outbox, history or a log. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net_int.h"
#include "kartoteka/alloc.h"

typedef struct upload {
    const char *data;
    size_t left;
} upload;

static size_t read_cb(char *ptr, size_t size, size_t nmemb, void *ud)
{
    upload *u = ud;
    size_t n = size * nmemb < u->left ? size * nmemb : u->left;
    memcpy(ptr, u->data, n);
    u->data += n;
    u->left -= n;
    return n;
}

static int deliver(void *ud, const kt_plugin_message *m, char *msg, size_t msg_size)
{
    (void)ud;
    cJSON *s;
    if (kt_channel_settings_of(m, &s, msg, msg_size)) return KT_PLUGIN_FAIL;
    const char *url = kt_channel_opt(s, "url"), *from = kt_channel_opt(s, "from");
    const char *user = kt_channel_opt(s, "user"), *tls = kt_channel_opt(s, "tls");
    const char *ca = kt_channel_opt(s, "ca_file"), *timeout = kt_channel_opt(s, "timeout_s");
    char pass[512];
    int rc = KT_PLUGIN_FAIL;
    CURL *c = NULL;
    struct curl_slist *rcpt = NULL;
    kt_buf mail = KT_BUF_INIT;
    if (!url || !from) {
        snprintf(msg, msg_size, "the smtp channel needs smtp_url and smtp_from in settings");
        goto out;
    }
    if (kt_channel_password(s, "smtp", pass, sizeof pass, msg, msg_size)) goto out;
    if (kt_mail_format(m, from, 1, &mail)) {
        snprintf(msg, msg_size, "out of memory formatting message %s", m->id);
        goto out;
    }
    if (!(c = curl_easy_init())) {
        snprintf(msg, msg_size, "cannot start libcurl");
        goto out;
    }
    char errbuf[CURL_ERROR_SIZE] = "";
    upload u = {mail.data, mail.len};
    rcpt = curl_slist_append(NULL, m->to);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(c, CURLOPT_READDATA, &u);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout ? atol(timeout) : 60L);
    long use_ssl = CURLUSESSL_ALL;
    if (tls && !strcmp(tls, "try"))
        use_ssl = CURLUSESSL_TRY;
    else if (tls && !strcmp(tls, "none"))
        use_ssl = CURLUSESSL_NONE;
    curl_easy_setopt(c, CURLOPT_USE_SSL, use_ssl);
    if (ca) curl_easy_setopt(c, CURLOPT_CAINFO, ca);
    if (user) curl_easy_setopt(c, CURLOPT_USERNAME, user);
    if (pass[0]) curl_easy_setopt(c, CURLOPT_PASSWORD, pass);
    CURLcode res = curl_easy_perform(c);
    if (res == CURLE_OK)
        rc = KT_PLUGIN_OK;
    else
        snprintf(msg, msg_size, "smtp %s: %s", url, errbuf[0] ? errbuf : curl_easy_strerror(res));
out:
    memset(pass, 0, sizeof pass);
    curl_slist_free_all(rcpt);
    if (c) curl_easy_cleanup(c);
    kt_buf_free(&mail);
    cJSON_Delete(s);
    return rc;
}

const kt_plugin_channel kt_channel_smtp = {"smtp", deliver, NULL};
