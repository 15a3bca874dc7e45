/* ids_pl: Polish identifiers with their checksums: NIP (tax id), REGON (business register, 9 or
 * 14 digits) and PESEL (personal number, which also encodes the birth date and sex). Stored as
 * digits only, so "PL 123-456-32-18" and "1234563218" are one value. */
#include <stdio.h>
#include <string.h>

#include <kartoteka/plugin.h>

#include "kt_chars.h"
#include "kt_reply.h"

/* The digits of `in`, which must number one of want_a or want_b (0: no second length). */
static int digits_of(const char *what, const char *in, char *d, size_t d_size, int want_a,
                     int want_b, char *msg, size_t msg_size)
{
    char bad[8];
    int n = ktc_digits(in, d, d_size, bad, sizeof bad);
    if (n < 0) return ktc_fail(msg, msg_size, "'%.80s' is not a %s: unexpected '%s'", in, what, bad);
    if (n != want_a && (!want_b || n != want_b)) {
        if (want_b)
            return ktc_fail(msg, msg_size, "a %s has %d or %d digits, got %d", what, want_a, want_b, n);
        return ktc_fail(msg, msg_size, "a %s has %d digits, got %d", what, want_a, n);
    }
    return KT_PLUGIN_OK;
}

static int weighted(const char *d, const int *w, int n)
{
    int sum = 0;
    for (int i = 0; i < n; i++)
        sum += (d[i] - '0') * w[i];
    return sum;
}

static int check_failed(const char *what, const char *in, int want, char got, char *msg,
                        size_t msg_size)
{
    return ktc_fail(msg, msg_size,
                "'%.80s' is not a valid %s: the check digit should be %d, not %c (a typo?)", in,
                what, want, got);
}

static int nip(void *ud, const char *in, const kt_plugin_value_ctx *ctx, char *out, size_t out_size,
               char *msg, size_t msg_size)
{
    static const int w[] = {6, 5, 7, 2, 3, 4, 5, 6, 7};
    const char *s = in;
    while (*s == ' ')
        s++;
    /* The EU VAT form: "PL1234563218". */
    if ((s[0] == 'P' || s[0] == 'p') && (s[1] == 'L' || s[1] == 'l')) s += 2;
    char d[16];
    if (digits_of("NIP", s, d, sizeof d, 10, 0, msg, msg_size) != KT_PLUGIN_OK)
        return KT_PLUGIN_FAIL;
    int r = weighted(d, w, 9) % 11;
    /* A remainder of 10 has no digit: such numbers are never issued. */
    if (r == 10)
        return ktc_fail(msg, msg_size, "'%.80s' is not a valid NIP: its checksum cannot match", in);
    if (d[9] - '0' != r) return check_failed("NIP", in, r, d[9], msg, msg_size);
    return ktc_put(out, out_size, msg, msg_size, d);
}

static int regon(void *ud, const char *in, const kt_plugin_value_ctx *ctx, char *out,
                 size_t out_size, char *msg, size_t msg_size)
{
    static const int w9[] = {8, 9, 2, 3, 4, 5, 6, 7};
    static const int w14[] = {2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8};
    char d[20];
    if (digits_of("REGON", in, d, sizeof d, 9, 14, msg, msg_size) != KT_PLUGIN_OK)
        return KT_PLUGIN_FAIL;
    /* A 14-digit REGON (a local unit) begins with its company's 9-digit REGON, so both sums
     * must hold. */
    int r = weighted(d, w9, 8) % 11 % 10;
    if (d[8] - '0' != r) return check_failed("REGON", in, r, d[8], msg, msg_size);
    if (strlen(d) == 14) {
        r = weighted(d, w14, 13) % 11 % 10;
        if (d[13] - '0' != r) return check_failed("REGON", in, r, d[13], msg, msg_size);
    }
    return ktc_put(out, out_size, msg, msg_size, d);
}

/* PESEL's month carries the century: +80 for the 1800s, +0 1900s, +20 2000s, +40 2100s,
 * +60 2200s. */
static int pesel_date(const char *d, int *year, int *month, int *day)
{
    int yy = (d[0] - '0') * 10 + (d[1] - '0');
    int mm = (d[2] - '0') * 10 + (d[3] - '0');
    int dd = (d[4] - '0') * 10 + (d[5] - '0');
    static const int base[] = {1900, 2000, 2100, 2200, 1800};
    int century = mm / 20;
    if (century > 4) return 0;
    *year = base[century] + yy;
    *month = mm % 20;
    *day = dd;
    if (*month < 1 || *month > 12 || *day < 1) return 0;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0;
    return *day <= days[*month - 1] + (*month == 2 && leap);
}

static int pesel_digits(const char *in, char d[16], char *msg, size_t msg_size)
{
    static const int w[] = {1, 3, 7, 9, 1, 3, 7, 9, 1, 3};
    if (digits_of("PESEL", in, d, 16, 11, 0, msg, msg_size) != KT_PLUGIN_OK) return KT_PLUGIN_FAIL;
    int c = (10 - weighted(d, w, 10) % 10) % 10;
    if (d[10] - '0' != c) return check_failed("PESEL", in, c, d[10], msg, msg_size);
    int y, m, day;
    if (!pesel_date(d, &y, &m, &day))
        return ktc_fail(msg, msg_size, "'%.80s' is not a valid PESEL: %.6s encodes no date", in, d);
    return KT_PLUGIN_OK;
}

static int pesel(void *ud, const char *in, const kt_plugin_value_ctx *ctx, char *out,
                 size_t out_size, char *msg, size_t msg_size)
{
    char d[16];
    if (pesel_digits(in, d, msg, msg_size) != KT_PLUGIN_OK) return KT_PLUGIN_FAIL;
    return ktc_put(out, out_size, msg, msg_size, d);
}

static int pesel_birth_date(void *ud, const char *in, const kt_plugin_value_ctx *ctx, char *out,
                            size_t out_size, char *msg, size_t msg_size)
{
    char d[16], date[16];
    int y, m, day;
    if (pesel_digits(in, d, msg, msg_size) != KT_PLUGIN_OK) return KT_PLUGIN_FAIL;
    pesel_date(d, &y, &m, &day);
    snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, day);
    return ktc_put(out, out_size, msg, msg_size, date);
}

static int pesel_sex(void *ud, const char *in, const kt_plugin_value_ctx *ctx, char *out,
                     size_t out_size, char *msg, size_t msg_size)
{
    char d[16];
    if (pesel_digits(in, d, msg, msg_size) != KT_PLUGIN_OK) return KT_PLUGIN_FAIL;
    return ktc_put(out, out_size, msg, msg_size, (d[9] - '0') % 2 ? "M" : "F");
}

static const kt_plugin_type types[] = {
    {"pl.nip", "Polish tax id (NIP), 10 digits with a checksum; stored as digits", KT_STORE_TEXT,
     nip, NULL},
    {"pl.regon", "Polish business register number (REGON), 9 or 14 digits with checksums",
     KT_STORE_TEXT, regon, NULL},
    {"pl.pesel", "Polish personal number (PESEL), 11 digits with a checksum and a birth date",
     KT_STORE_TEXT, pesel, NULL},
};
static const kt_plugin_function functions[] = {
    {"pl.pesel_birth_date", "the birth date a PESEL encodes, as YYYY-MM-DD", pesel_birth_date,
     NULL},
    {"pl.pesel_sex", "the sex a PESEL encodes: F or M", pesel_sex, NULL},
};

static int init(const kt_plugin_host *host, char *msg, size_t msg_size)
{
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (host->register_type(host->handle, &types[i]) != KT_PLUGIN_OK)
            return ktc_fail(msg, msg_size, "cannot register the field type '%s'", types[i].name);
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
        if (host->register_function(host->handle, &functions[i]) != KT_PLUGIN_OK)
            return ktc_fail(msg, msg_size, "cannot register the function '%s'", functions[i].name);
    return KT_PLUGIN_OK;
}

KT_PLUGIN_DECLARE = {
    KT_PLUGIN_ABI_VERSION,
    sizeof(kt_plugin_desc),
    "ids_pl",
    "1.0.0",
    "MIT",
    "Polish identifiers: NIP, REGON, PESEL",
    init,
};
