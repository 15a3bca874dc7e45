/* Secrets: random texts for tokens and sessions, the hashes kept in their place, and the clock
 * their expiry is measured with. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/auth_int.h"
#include "kartoteka/store.h"

void auth_secret(const char *prefix, char out[64])
{
    unsigned char secret[32];
    randombytes_buf(secret, sizeof secret);
    size_t n = strlen(prefix);
    memcpy(out, prefix, n + 1);
    sodium_bin2base64(out + n, 64 - n, secret, sizeof secret,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(secret, sizeof secret);
}

void auth_hash(const char *text, char hex[AUTH_HASH_HEX])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
    sodium_bin2hex(hex, AUTH_HASH_HEX, h, sizeof h);
    sodium_memzero(h, sizeof h);
}

int auth_same_hash(const char *stored, const char *hex)
{
    return stored && strlen(stored) == AUTH_HASH_HEX - 1 &&
           sodium_memcmp(stored, hex, AUTH_HASH_HEX - 1) == 0;
}

void auth_time_after(long seconds, char out[32])
{
    char now[32];
    kt_store_now(now);
    struct tm tm = {0};
    if (sscanf(now, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec) != 6) {
        snprintf(out, 32, "%s", now);
        return;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm) + seconds;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
