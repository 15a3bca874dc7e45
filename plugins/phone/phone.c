/* phone: phone numbers of every country to E.164 (+48789658648), checked against the country's
 * numbering plan by Google's libphonenumber (through phone_lib.h), so that two spellings of one
 * number are stored identically, a search by any spelling finds it, and a number no one can
 * dial is refused with the reason. */
#include <stdio.h>
#include <string.h>

#include <kartoteka/plugin.h>

#include "kt_chars.h"
#include "kt_reply.h"
#include "phone_lib.h"

/* libphonenumber reads at most 250 bytes; nothing longer is a phone number anyone typed. */
#define MAX_INPUT 250
/* More digits than this cannot be a number with an extension either. */
#define MAX_DIGITS 32

/* The workspace's fallback from `plugin "phone" { default_country = "PL" }`, kept from init
 * because host->setting is only valid during it. "" when unset. */
static char default_country[4];

/* The region a national spelling is read in: the record's country, else the plugin's default;
 * upper-cased into buf (ISO alpha-2 as libphonenumber spells it). NULL when neither is given. */
static const char *region_of(const kt_plugin_value_ctx *ctx, char *buf, size_t size)
{
    const char *c = ctx && ctx->country && ctx->country[0] ? ctx->country : default_country;
    if (!c[0]) return NULL;
    size_t i = 0;
    for (; c[i] && i + 1 < size; i++)
        buf[i] = (char)(c[i] >= 'a' && c[i] <= 'z' ? c[i] - 32 : c[i]);
    buf[i] = '\0';
    return buf;
}

/* What libphonenumber gets: digits in ASCII, decoration as spaces, a "00" prefix as "+" (people
 * write 00 in countries whose own international prefix is another, as in Russia's 810). From
 * the first character that is none of these on, the text is passed as typed, for the library's
 * extension grammar ("ext. 5", "x5", "доб. 5"); *tail then points at it in `in`. */
static int clean(const char *in, char *out, size_t out_size, const char **tail, char *msg,
                 size_t msg_size)
{
    size_t n = 0, digits = 0;
    int plus = 0;
    const char *p = in;
    *tail = NULL;
    while (*p && !*tail) {
        const char *start = p;
        long cp = ktc_next(&p);
        int d = ktc_digit(cp);
        char c;
        if (cp < 0) return ktc_fail(msg, msg_size, "'%.80s' is not valid UTF-8 text", in);
        if (d >= 0)
            c = (char)('0' + d), digits++;
        else if ((cp == '+' || cp == 0xFF0B) && !digits && !plus)
            c = '+', plus = 1;
        else if (ktc_separator(cp) || cp == '(' || cp == ')' || cp == '.' || cp == '/')
            c = ' ';
        else {
            *tail = start;
            break;
        }
        if (n + 1 >= out_size) break; /* only decoration can be this long; MAX_INPUT says so */
        out[n++] = c;
    }
    out[n] = '\0';
    if (*tail && n + strlen(*tail) + 1 < out_size) {
        for (const char *q = *tail; *q; q++)
            digits += *q >= '0' && *q <= '9';
        memcpy(out + n, *tail, strlen(*tail) + 1);
    }
    if (digits == 0) return ktc_fail(msg, msg_size, "'%.80s' is not a phone number: no digits", in);
    if (digits > MAX_DIGITS)
        return ktc_fail(msg, msg_size, "'%.80s' has more digits than any phone number (%d)", in,
                        MAX_DIGITS);
    char *at = out + strspn(out, " ");
    if (!plus && at[0] == '0' && at[1] == '0') {
        at[0] = '+';
        memmove(at + 1, at + 2, strlen(at + 2) + 1);
    }
    return KT_PLUGIN_OK;
}

/* Does a number of type `type` belong in a field of kind `kind` ("mobile", or several joined by
 * commas)? A number the plan cannot tell apart (US: fixed_line_or_mobile) fits either. */
static int kind_fits(const char *kind, const char *type, int *known)
{
    *known = 1;
    for (const char *k = kind; *k;) {
        size_t len = strcspn(k, ", ");
        int named = 0;
        for (size_t i = 0; phone_types[i]; i++)
            if (strlen(phone_types[i]) == len && strncmp(phone_types[i], k, len) == 0) named = 1;
        if (!named) *known = 0;
        if (strlen(type) == len && strncmp(type, k, len) == 0) return 1;
        if (strcmp(type, "fixed_line_or_mobile") == 0 &&
            ((len == 6 && strncmp(k, "mobile", 6) == 0) ||
             (len == 10 && strncmp(k, "fixed_line", 10) == 0)))
            return 1;
        k += len;
        k += strspn(k, ", ");
    }
    return 0;
}

/* Reads `in` in the context's country and writes it in `form` (out), or fails with a message
 * that quotes the value and says why. A field's kind is checked too. */
static int read_as(const char *in, const kt_plugin_value_ctx *ctx, phone_form form, phone_number *n,
                   char *out, size_t out_size, char *msg, size_t msg_size)
{
    char text[MAX_INPUT + 1], region[8], why[400];
    const char *tail;
    if (strlen(in) > MAX_INPUT)
        return ktc_fail(msg, msg_size, "'%.80s...' is too long for a phone number", in);
    if (clean(in, text, sizeof text, &tail, msg, msg_size) != KT_PLUGIN_OK) return KT_PLUGIN_FAIL;
    why[0] = '\0';
    const char *plan = region_of(ctx, region, sizeof region);
    int rc = phone_read(text, plan, form, n, out, out_size, why, sizeof why);
    if (tail && (rc != KT_PLUGIN_OK || !n->extension)) {
        /* What follows the number is no extension the library knows. */
        char bad[8];
        const char *p = tail;
        ktc_next(&p);
        ktc_show(tail, p, bad, sizeof bad);
        return ktc_fail(msg, msg_size, "'%.80s' is not a phone number: unexpected '%s'", in, bad);
    }
    if (rc != KT_PLUGIN_OK) return ktc_fail(msg, msg_size, "'%.80s': %s", in, why);
    if (ctx && ctx->kind && ctx->kind[0]) {
        int known;
        if (!kind_fits(ctx->kind, n->type, &known)) {
            if (!known)
                return ktc_fail(msg, msg_size,
                                "the field's kind '%.60s' is not a phone number type (mobile, "
                                "fixed_line, toll_free, premium_rate, shared_cost, voip, "
                                "personal_number, pager, uan, voicemail)",
                                ctx->kind);
            return ktc_fail(msg, msg_size, "'%.80s' is a %s number, but the field takes %.60s only",
                            in, n->type, ctx->kind);
        }
    }
    return KT_PLUGIN_OK;
}

/* What a function answers about a number: the number written in a form, its type, or the value
 * as given (a validator: only the verdict matters). Each function's ud points at one. */
typedef struct answer {
    enum { NUMBER, TYPE, VALUE } what;
    phone_form form;
} answer;

static const answer in_e164 = {NUMBER, PHONE_E164}, in_national = {NUMBER, PHONE_NATIONAL},
                    in_international = {NUMBER, PHONE_INTERNATIONAL},
                    at_home = {NUMBER, PHONE_HOME}, its_type = {TYPE, PHONE_E164},
                    verdict = {VALUE, PHONE_E164};

static int ask(void *ud, const char *in, const kt_plugin_value_ctx *ctx, char *out, size_t out_size,
               char *msg, size_t msg_size)
{
    const answer *a = ud ? ud : &in_e164; /* a host that drops ud still gets the type's answer */
    phone_number n;
    char e[64];
    if (a->what == NUMBER) return read_as(in, ctx, a->form, &n, out, out_size, msg, msg_size);
    if (read_as(in, ctx, a->form, &n, e, sizeof e, msg, msg_size) != KT_PLUGIN_OK)
        return KT_PLUGIN_FAIL;
    return ktc_put(out, out_size, msg, msg_size, a->what == TYPE ? n.type : in);
}

static const kt_plugin_type phone_type = {"phone", "a phone number, stored in E.164 (+48789658648)",
                                          KT_STORE_TEXT, ask, (void *)&in_e164};
static const kt_plugin_function functions[] = {
    {"phone.e164", "a phone number in E.164 form (+48789658648)", ask, (void *)&in_e164},
    {"phone.national", "a phone number as its country writes it (8 (977) 292-01-15)", ask,
     (void *)&in_national},
    {"phone.international", "a phone number as written abroad (+7 977 292-01-15)", ask,
     (void *)&in_international},
    {"phone.type", "mobile, fixed_line, toll_free, ...: what the numbering plan says", ask,
     (void *)&its_type},
    {"phone.valid", "fails with the reason when a value is not a phone number", ask,
     (void *)&verdict},
    {"phone.display", "national in its own country, international elsewhere (kt get)", ask,
     (void *)&at_home},
};

static int init(const kt_plugin_host *host, char *msg, size_t msg_size)
{
    default_country[0] = '\0';
    const char *dc = host->setting(host->handle, "default_country");
    if (dc && dc[0]) {
        char up[4];
        kt_plugin_value_ctx ctx = {dc, NULL, NULL};
        if (strlen(dc) != 2 || !phone_region_known(region_of(&ctx, up, sizeof up)))
            return ktc_fail(msg, msg_size,
                            "default_country '%.16s' is not a country code libphonenumber knows "
                            "(ISO 3166 alpha-2: PL, RU, IR, ...)",
                            dc);
        memcpy(default_country, up, sizeof up);
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
    "2.0.0",
    "MIT",
    "phone numbers of every country in E.164, checked by libphonenumber",
    init,
};
