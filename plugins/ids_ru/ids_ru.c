/* ids_ru: Russian identifiers: INN (taxpayer number: 10 digits for organisations, 12 for
 * individuals), OGRN and OGRNIP (state registration: 13 and 15 digits) and KPP (tax
 * registration reason code: 9 characters). Stored without spaces and dashes. */
#include <stdio.h>
#include <string.h>

#include <kartoteka/plugin.h>

#include "kt_chars.h"
#include "kt_reply.h"

static int digits_of(const char *what, const char *in, char *d, size_t d_size, int want_a,
                     int want_b, char *msg, size_t msg_size)
{
    char bad[8];
    int n = ktc_digits(in, d, d_size, bad, sizeof bad);
    if (n < 0) return ktc_fail(msg, msg_size, "'%.80s' is not an %s: unexpected '%s'", in, what, bad);
    if (n != want_a && n != want_b)
        return ktc_fail(msg, msg_size, "an %s has %d or %d digits, got %d", what, want_a, want_b, n);
    return KT_PLUGIN_OK;
}

/* sum(d[i] * w[i]) mod 11 mod 10: the INN check digit rule. */
static int inn_check(const char *d, const int *w, int n)
{
    int sum = 0;
    for (int i = 0; i < n; i++)
        sum += (d[i] - '0') * w[i];
    return sum % 11 % 10;
}

static int check_failed(const char *what, const char *in, int want, char got, char *msg,
                        size_t msg_size)
{
    return ktc_fail(msg, msg_size,
                "'%.80s' is not a valid %s: the check digit should be %d, not %c (a typo?)", in,
                what, want, got);
}

static int inn(void *ud, const char *in, const kt_plugin_value_ctx *ctx, char *out, size_t out_size,
               char *msg, size_t msg_size)
{
    static const int w10[] = {2, 4, 10, 3, 5, 9, 4, 6, 8};
    static const int w11[] = {7, 2, 4, 10, 3, 5, 9, 4, 6, 8};
    static const int w12[] = {3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8};
    char d[20];
    if (digits_of("INN", in, d, sizeof d, 10, 12, msg, msg_size) != KT_PLUGIN_OK)
        return KT_PLUGIN_FAIL;
    if (strlen(d) == 10) {
        int c = inn_check(d, w10, 9);
        if (d[9] - '0' != c) return check_failed("INN", in, c, d[9], msg, msg_size);
    } else {
        int c = inn_check(d, w11, 10);
        if (d[10] - '0' != c) return check_failed("INN", in, c, d[10], msg, msg_size);
        c = inn_check(d, w12, 11);
        if (d[11] - '0' != c) return check_failed("INN", in, c, d[11], msg, msg_size);
    }
    return ktc_put(out, out_size, msg, msg_size, d);
}

/* OGRN: the first 12 digits as a number, mod 11, mod 10. OGRNIP: the first 14, mod 13, mod 10.
 * Computed digit by digit, since 14 digits overflow nothing but are no business of a float. */
static int ogrn(void *ud, const char *in, const kt_plugin_value_ctx *ctx, char *out,
                size_t out_size, char *msg, size_t msg_size)
{
    char d[20];
    if (digits_of("OGRN", in, d, sizeof d, 13, 15, msg, msg_size) != KT_PLUGIN_OK)
        return KT_PLUGIN_FAIL;
    size_t n = strlen(d);
    int mod = n == 13 ? 11 : 13;
    int r = 0;
    for (size_t i = 0; i + 1 < n; i++)
        r = (r * 10 + (d[i] - '0')) % mod;
    r %= 10;
    if (d[n - 1] - '0' != r)
        return check_failed(n == 13 ? "OGRN" : "OGRNIP", in, r, d[n - 1], msg, msg_size);
    return ktc_put(out, out_size, msg, msg_size, d);
}

/* KPP: NNNN (tax office) PP (reason: digits or capital Latin letters) XXX (number). */
static int kpp(void *ud, const char *in, const kt_plugin_value_ctx *ctx, char *out, size_t out_size,
               char *msg, size_t msg_size)
{
    char k[10];
    size_t n = 0;
    const char *p = in;
    while (*p) {
        const char *start = p;
        long cp = ktc_next(&p);
        int d = ktc_digit(cp);
        char c;
        if (d >= 0)
            c = (char)('0' + d);
        else if (cp >= 'a' && cp <= 'z')
            c = (char)(cp - 32);
        else if (cp >= 'A' && cp <= 'Z')
            c = (char)cp;
        else if (ktc_separator(cp))
            continue;
        else {
            char bad[8];
            ktc_show(start, p, bad, sizeof bad);
            return ktc_fail(msg, msg_size, "'%.80s' is not a KPP: unexpected '%s'", in, bad);
        }
        if (n == 9) return ktc_fail(msg, msg_size, "a KPP has 9 characters, '%.80s' has more", in);
        k[n++] = c;
    }
    k[n] = '\0';
    if (n != 9) return ktc_fail(msg, msg_size, "a KPP has 9 characters, got %zu", n);
    for (size_t i = 0; i < 9; i++) {
        int digit = k[i] >= '0' && k[i] <= '9';
        if ((i < 4 || i > 5) && !digit)
            return ktc_fail(msg, msg_size,
                        "'%.80s' is not a KPP: character %zu must be a digit (NNNN PP NNN, where "
                        "PP may hold capital letters)",
                        in, i + 1);
    }
    return ktc_put(out, out_size, msg, msg_size, k);
}

static const kt_plugin_type types[] = {
    {"ru.inn", "Russian taxpayer number (INN), 10 or 12 digits with check digits", KT_STORE_TEXT,
     inn, NULL},
    {"ru.ogrn", "Russian state registration number: OGRN (13 digits) or OGRNIP (15)", KT_STORE_TEXT,
     ogrn, NULL},
    {"ru.kpp", "Russian tax registration reason code (KPP), 9 characters", KT_STORE_TEXT, kpp,
     NULL},
};

static int init(const kt_plugin_host *host, char *msg, size_t msg_size)
{
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (host->register_type(host->handle, &types[i]) != KT_PLUGIN_OK)
            return ktc_fail(msg, msg_size, "cannot register the field type '%s'", types[i].name);
    return KT_PLUGIN_OK;
}

KT_PLUGIN_DECLARE = {
    KT_PLUGIN_ABI_VERSION,
    sizeof(kt_plugin_desc),
    "ids_ru",
    "1.0.0",
    "MIT",
    "Russian identifiers: INN, OGRN/OGRNIP, KPP",
    init,
};
