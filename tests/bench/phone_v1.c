/* The phone plugin 1.x as it was before libphonenumber (hand-written rules for twelve countries),
 * kept for bench_phone only: the baseline the plugin's speed is measured against in the same
 * run. Never installed, never in a plugin folder. */
#include <stdio.h>
#include <string.h>

#include <kartoteka/plugin.h>

#include "kt_chars.h"
#include "kt_reply.h"

typedef struct country {
    const char *iso;     /* ISO 3166 alpha-2 */
    const char *cc;      /* country calling code */
    const char *trunk;   /* national prefix people type before the number at home, or "" */
    const char *dialled; /* what the national form writes before the number */
    int min, max;        /* digits of the national significant number (after +cc) */
} country;

/* The seeds' countries first; a few neighbours so that their international numbers are
 * checked too. The US trunk 1 is accepted on input but, as at home, not written back. */
static const country countries[] = {
    {"PL", "48", "", "", 9, 9},    {"RU", "7", "8", "8", 10, 10}, {"IR", "98", "0", "0", 10, 10},
    {"DE", "49", "0", "0", 6, 13}, {"UA", "380", "0", "0", 9, 9}, {"US", "1", "1", "", 10, 10},
    {"GB", "44", "0", "0", 9, 10}, {"FR", "33", "0", "0", 9, 9},  {"ES", "34", "", "", 9, 9},
    {"NL", "31", "0", "0", 9, 9},  {"CZ", "420", "", "", 9, 9},   {"TR", "90", "0", "0", 10, 10},
};
#define NCOUNTRIES (sizeof countries / sizeof countries[0])

/* E.164 allows 15 digits; anything longer is not a phone number. */
#define MAX_DIGITS 15

/* The workspace's fallback from `plugin "phone" { default_country = "PL" }`, kept from init
 * because host->setting is only valid during it. */
static const country *default_country;

static const country *by_iso(const char *iso)
{
    if (!iso) return NULL;
    for (size_t i = 0; i < NCOUNTRIES; i++) {
        const char *a = countries[i].iso;
        char b0 = iso[0], b1 = b0 ? iso[1] : 0;
        if (b0 >= 'a' && b0 <= 'z') b0 = (char)(b0 - 32);
        if (b1 >= 'a' && b1 <= 'z') b1 = (char)(b1 - 32);
        if (a[0] == b0 && a[1] == b1 && (b1 == 0 || iso[2] == '\0')) return &countries[i];
    }
    return NULL;
}

static const country *by_prefix(const char *digits)
{
    for (size_t i = 0; i < NCOUNTRIES; i++)
        if (strncmp(digits, countries[i].cc, strlen(countries[i].cc)) == 0) return &countries[i];
    return NULL;
}

static int starts(const char *s, const char *prefix)
{
    return prefix[0] && strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char *article(const char *iso)
{
    /* Letter names that begin with a vowel sound: "an RU number", "a PL number". */
    return strchr("AEFHILMNORSX", iso[0]) ? "an" : "a";
}

/* A parsed number: its country (NULL when the calling code is not in the table) and the
 * digits after the calling code (or all of them, with the code, when the country is unknown). */
typedef struct number {
    const country *c;
    char nsn[MAX_DIGITS + 8];
} number;

static int parse(const char *in, const kt_plugin_value_ctx *ctx, number *n, char *msg,
                 size_t msg_size)
{
    char digits[MAX_DIGITS + 8];
    size_t len = 0;
    int plus = 0;
    const char *p = in;
    while (*p) {
        const char *start = p;
        long cp = ktc_next(&p);
        int d = ktc_digit(cp);
        if (d >= 0) {
            if (len + 1 >= sizeof digits)
                return ktc_fail(msg, msg_size, "'%.80s' has more digits than any phone number (%d)", in,
                            MAX_DIGITS);
            digits[len++] = (char)('0' + d);
        } else if (cp == '+' && len == 0 && !plus) {
            plus = 1;
        } else if (!ktc_separator(cp) && cp != '(' && cp != ')' && cp != '.' && cp != '/') {
            char bad[8];
            ktc_show(start, p, bad, sizeof bad);
            return ktc_fail(msg, msg_size, "'%.80s' is not a phone number: unexpected '%s'", in, bad);
        }
    }
    digits[len] = '\0';
    if (len == 0) return ktc_fail(msg, msg_size, "'%.80s' is not a phone number: no digits", in);

    const char *rest = digits;
    if (!plus && len > 2 && digits[0] == '0' && digits[1] == '0') {
        plus = 1;
        rest += 2;
    }
    const country *c;
    if (plus) {
        if (rest[0] == '0')
            return ktc_fail(msg, msg_size,
                        "'%.80s': no country calling code starts with 0 (write +48..., +7...)", in);
        c = by_prefix(rest);
        if (!c) {
            size_t total = strlen(rest);
            if (total < 8 || total > MAX_DIGITS)
                return ktc_fail(msg, msg_size,
                            "an international phone number has 8 to %d digits after +, got %zu",
                            MAX_DIGITS, total);
            n->c = NULL;
            memcpy(n->nsn, rest, total + 1);
            return KT_PLUGIN_OK;
        }
        rest += strlen(c->cc);
        /* "+44 (0)20 ...": the national prefix written inside an international form. */
        size_t rlen = strlen(rest);
        if (starts(rest, c->trunk) && (strcmp(c->trunk, "0") == 0 || (int)rlen > c->max))
            rest += strlen(c->trunk);
    } else {
        const char *iso = ctx && ctx->country && ctx->country[0] ? ctx->country : NULL;
        c = iso ? by_iso(iso) : default_country;
        if (!c && iso)
            return ktc_fail(msg, msg_size,
                        "'%.80s': the phone numbers of country '%.8s' are unknown to this "
                        "plugin; write the number in international form (+...)",
                        in, iso);
        if (!c)
            return ktc_fail(msg, msg_size,
                        "'%.80s': cannot tell which country this number is from; write it in "
                        "international form (+48..., +7..., +98...), give the record a country "
                        "or set plugin \"phone\" { default_country = \"PL\" }",
                        in);
        size_t rlen = strlen(rest);
        size_t tl = strlen(c->trunk), cl = strlen(c->cc);
        /* A trunk 0 can never begin a national significant number, so it is always the
         * prefix; a trunk 8 (RU) or 1 (US) only when the length says so. */
        if (starts(rest, c->trunk) && (strcmp(c->trunk, "0") == 0 ||
                                       ((int)(rlen - tl) >= c->min && (int)(rlen - tl) <= c->max)))
            rest += tl;
        /* "7 977 292 01 15" or "48 789 658 648": the calling code typed without + or 00. */
        else if (starts(rest, c->cc) && (int)rlen > c->max && (int)(rlen - cl) >= c->min &&
                 (int)(rlen - cl) <= c->max)
            rest += cl;
    }

    int got = (int)strlen(rest);
    if (got < c->min || got > c->max) {
        if (c->min == c->max)
            return ktc_fail(msg, msg_size, "%s %s phone number has %d digits after +%s, got %d",
                        article(c->iso), c->iso, c->min, c->cc, got);
        return ktc_fail(msg, msg_size, "%s %s phone number has %d to %d digits after +%s, got %d",
                    article(c->iso), c->iso, c->min, c->max, c->cc, got);
    }
    if (strcmp(c->trunk, "0") == 0 && rest[0] == '0')
        return ktc_fail(msg, msg_size, "'%.80s': after +%s %s %s number does not start with 0", in,
                    c->cc, article(c->iso), c->iso);
    if (strcmp(c->cc, "1") == 0 && (rest[0] == '0' || rest[0] == '1'))
        return ktc_fail(msg, msg_size, "'%.80s': a US area code does not start with 0 or 1", in);
    n->c = c;
    memcpy(n->nsn, rest, (size_t)got + 1);
    return KT_PLUGIN_OK;
}

static int put(char *out, size_t out_size, char *msg, size_t msg_size, const char *a, const char *b,
               const char *c)
{
    int w = snprintf(out, out_size, "%s%s%s", a, b, c);
    if (w < 0 || (size_t)w >= out_size)
        return ktc_fail(msg, msg_size, "the phone number does not fit in %zu bytes", out_size);
    return KT_PLUGIN_OK;
}

static int e164(void *ud, const char *in, const kt_plugin_value_ctx *ctx, char *out,
                size_t out_size, char *msg, size_t msg_size)
{
    number n;
    if (parse(in, ctx, &n, msg, msg_size) != KT_PLUGIN_OK) return KT_PLUGIN_FAIL;
    return put(out, out_size, msg, msg_size, "+", n.c ? n.c->cc : "", n.nsn);
}

static int national(void *ud, const char *in, const kt_plugin_value_ctx *ctx, char *out,
                    size_t out_size, char *msg, size_t msg_size)
{
    number n;
    if (parse(in, ctx, &n, msg, msg_size) != KT_PLUGIN_OK) return KT_PLUGIN_FAIL;
    if (!n.c)
        return ktc_fail(msg, msg_size, "'%.80s': this plugin knows no national form for +%.8s...", in,
                    n.nsn);
    return put(out, out_size, msg, msg_size, n.c->dialled, n.nsn, "");
}

/* A validator leaves the value as it was; only the verdict matters. */
static int valid(void *ud, const char *in, const kt_plugin_value_ctx *ctx, char *out,
                 size_t out_size, char *msg, size_t msg_size)
{
    number n;
    if (parse(in, ctx, &n, msg, msg_size) != KT_PLUGIN_OK) return KT_PLUGIN_FAIL;
    return put(out, out_size, msg, msg_size, in, "", "");
}

static const kt_plugin_type phone_type = {"phone", "a phone number, stored in E.164 (+48789658648)",
                                          KT_STORE_TEXT, e164, NULL};
static const kt_plugin_function functions[] = {
    {"phone.e164", "a phone number in E.164 form (+48789658648)", e164, NULL},
    {"phone.national", "a phone number as dialled at home (89772920115)", national, NULL},
    {"phone.valid", "fails with the reason when a value is not a phone number", valid, NULL},
};

static int init(const kt_plugin_host *host, char *msg, size_t msg_size)
{
    default_country = NULL;
    const char *dc = host->setting(host->handle, "default_country");
    if (dc && dc[0]) {
        default_country = by_iso(dc);
        if (!default_country)
            return ktc_fail(msg, msg_size,
                        "default_country '%.16s' is not one this plugin knows (PL, RU, IR, DE, "
                        "UA, US, GB, FR, ES, NL, CZ, TR)",
                        dc);
    }
    if (host->register_type(host->handle, &phone_type) != KT_PLUGIN_OK)
        return ktc_fail(msg, msg_size, "cannot register the field type 'phone'");
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
        if (host->register_function(host->handle, &functions[i]) != KT_PLUGIN_OK)
            return ktc_fail(msg, msg_size, "cannot register the function '%s'", functions[i].name);
    return KT_PLUGIN_OK;
}

KT_PLUGIN_DECLARE = {
    KT_PLUGIN_ABI_VERSION,
    sizeof(kt_plugin_desc),
    "phone",
    "1.0.0",
    "MIT",
    "phone numbers in E.164 for PL, RU, IR, DE, UA, US, GB and more",
    init,
};
