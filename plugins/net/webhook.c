/* The webhook channel: POSTs a message's body (a record's JSON) to its recipient URL through
 * libcurl, signed so the receiver can tell the post is ours:
 *   X-Kartoteka-Signature: sha256=<HMAC-SHA256 of the body under the secret, hex>
 *   X-Kartoteka-Event: deal.won          X-Kartoteka-Delivery: <outbox id, the same on a retry>
 * The secret comes from the environment variable the declaration names (settings secret_env),
 * never from kartoteka.lua or the outbox. A 2xx reply is delivery; anything else is retried.
 * Settings: webhook_timeout_s (default 30), webhook_ca_file. */
#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net_int.h"

#define SIGNATURE_SIZE (7 + 2 * crypto_auth_hmacsha256_BYTES + 1)

static void sign(const char *secret, const char *body, size_t len, char out[SIGNATURE_SIZE])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state s;
    crypto_auth_hmacsha256_init(&s, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&s, (const unsigned char *)body, len);
    crypto_auth_hmacsha256_final(&s, mac);
    memcpy(out, "sha256=", 7);
    sodium_bin2hex(out + 7, SIGNATURE_SIZE - 7, mac, sizeof mac);
    sodium_memzero(&s, sizeof s);
}

/* The receiver's reply is not ours to keep. */
static size_t discard(char *ptr, size_t size, size_t nmemb, void *ud)
{
    (void)ptr;
    (void)ud;
    return size * nmemb;
}

static int deliver(void *ud, const kt_plugin_message *m, char *msg, size_t msg_size)
{
    (void)ud;
    cJSON *s = m->settings ? cJSON_Parse(m->settings) : NULL;
    const char *env = kt_channel_opt(s, "secret_env"), *ca = kt_channel_opt(s, "ca_file");
    const char *timeout = kt_channel_opt(s, "timeout_s");
    const char *secret = env ? getenv(env) : NULL;
    int rc = KT_PLUGIN_FAIL;
    CURL *c = NULL;
    struct curl_slist *h = NULL;
    char line[256], sig[SIGNATURE_SIZE];
    if (!env) {
        snprintf(msg, msg_size, "no webhook for %s to %s is declared in kartoteka.lua any more",
                 m->subject ? m->subject : "this event", m->to);
        goto out;
    }
    if (!secret || !*secret) {
        /* an unsigned post could not be told from a forged one: better not sent yet */
        snprintf(msg, msg_size, "environment variable %s (the webhook's secret) is not set", env);
        goto out;
    }
    if (sodium_init() < 0 || !(c = curl_easy_init())) {
        snprintf(msg, msg_size, "cannot start libcurl");
        goto out;
    }
    size_t len = strlen(m->body);
    sign(secret, m->body, len, sig);
    int bad = !(h = curl_slist_append(h, "Content-Type: application/json"));
    snprintf(line, sizeof line, "X-Kartoteka-Signature: %s", sig);
    bad = bad || !(h = curl_slist_append(h, line));
    snprintf(line, sizeof line, "X-Kartoteka-Event: %s", m->subject ? m->subject : "");
    bad = bad || !(h = curl_slist_append(h, line));
    snprintf(line, sizeof line, "X-Kartoteka-Delivery: %s", m->id);
    bad = bad || !(h = curl_slist_append(h, line));
    bad = bad || !(h = curl_slist_append(h, "Expect:"));
    if (bad) {
        snprintf(msg, msg_size, "out of memory");
        goto out;
    }
    char errbuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, m->to);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, m->body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "kartoteka-webhook");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout ? atol(timeout) : 30L);
    if (ca) curl_easy_setopt(c, CURLOPT_CAINFO, ca);
    CURLcode res = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    if (res != CURLE_OK)
        snprintf(msg, msg_size, "webhook %s: %s", m->to,
                 errbuf[0] ? errbuf : curl_easy_strerror(res));
    else if (code < 200 || code > 299)
        snprintf(msg, msg_size, "webhook %s answered HTTP %ld", m->to, code);
    else
        rc = KT_PLUGIN_OK;
out:
    curl_slist_free_all(h);
    if (c) curl_easy_cleanup(c);
    cJSON_Delete(s);
    return rc;
}

const kt_plugin_channel kt_channel_webhook = {"webhook", deliver, NULL};
