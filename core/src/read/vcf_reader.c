/* The built-in "vcf" reader: vCard 2.1, 3.0 and 4.0, one card per row.
 *
 * Keys: the property name in lower case ("fn", "email", "x-skype"), group prefixes dropped.
 * A repeated property is numbered in file order: email, email2, email3. Its TYPE parameters
 * (TYPE=work,internet or the bare WORK;PREF of 2.1) go to "<key>.type" ("email2.type" =
 * "home,pref"), so scripts can pick the work address without guessing from the order.
 * Structured values are also split: n.family n.given n.additional n.prefix n.suffix;
 * adr.pobox adr.ext adr.street adr.locality adr.region adr.code adr.country (adr2.street ...);
 * org (the name) and org.unit. BDAY 19800701 becomes 1980-07-01 (a time after it is dropped);
 * a birthday without a year (--0203, --02-03, Apple's 1604-02-03 with X-APPLE-OMIT-YEAR)
 * becomes --02-03, which a date field refuses by name rather than store a made-up year. A 4.0
 * TEL "tel:" URI loses its scheme. Binary properties (PHOTO, LOGO, SOUND, KEY, anything base64)
 * are skipped. Folded lines are unfolded; 2.1 quoted-printable values (with soft line breaks)
 * are decoded, assumed to be UTF-8 like the rest of the file; a soft break followed by a line
 * that starts a property is a stray '=' and does not swallow that line. An unquoted LABEL=
 * parameter holding ':' (ez-vcard's issue 114) stays out of the address. A line inside a card
 * that is not a property (no ':') stops the read with its line number. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "kartoteka/alloc.h"
#include "read/read_int.h"

typedef struct vcf_rd {
    rd_base base;
    rd_limits lim;
    rd_lines lines;
    kt_buf logical, pending, tmp, key;
    long logical_line, card_line;
    int have_pending, failed, in_card, in_base64;
    rd_cells keys, vals;
    struct seen {
        char name[32];
        unsigned n;
    } seen[64];
    size_t nseen;
} vcf_rd;

static void vcf_close(void *h)
{
    vcf_rd *r = h;
    if (!r) return;
    rd_dec_close(r->lines.dec);
    kt_buf_free(&r->lines.line);
    kt_buf_free(&r->logical);
    kt_buf_free(&r->pending);
    kt_buf_free(&r->tmp);
    kt_buf_free(&r->key);
    rd_cells_free(&r->keys);
    rd_cells_free(&r->vals);
    kt_free(r);
}

static void *vcf_open(void *ud, const char *path, const kt_plugin_reader_opts *opts, char *msg,
                      size_t msg_size)
{
    vcf_rd *r = kt_calloc(1, sizeof *r);
    if (!r) return rd_open_nomem(ud, path, msg, msg_size);
    r->base.magic = rd_magic;
    rd_limits_resolve(&r->lim, opts, ud);
    if (rd_dec_open(path, r->lim.encoding, &r->lines.dec, &r->base.err)) {
        rd_open_failed(&r->base, ud, msg, msg_size);
        vcf_close(r);
        return NULL;
    }
    r->base.dec = r->lines.dec;
    return r;
}

/* Does the line begin a property ("TEL;TYPE=cell:", "item1.EMAIL:", "X-SKYPE:")? Only known
 * names count, so a quoted-printable continuation like "Kowalska;Anna" is not taken for one. */
static int starts_property(const char *l)
{
    static const char *const names[] = {
        "BEGIN",       "END",    "VERSION", "N",      "FN",    "NICKNAME", "PHOTO",       "BDAY",
        "ANNIVERSARY", "GENDER", "ADR",     "LABEL",  "TEL",   "EMAIL",    "IMPP",        "LANG",
        "TZ",          "GEO",    "TITLE",   "ROLE",   "LOGO",  "ORG",      "MEMBER",      "RELATED",
        "CATEGORIES",  "NOTE",   "PRODID",  "REV",    "SOUND", "UID",      "URL",         "KEY",
        "KIND",        "SOURCE", "NAME",    "MAILER", "AGENT", "CLASS",    "SORT-STRING", NULL};
    size_t n = strspn(l, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-");
    if (l[n] == '.') {
        l += n + 1;
        n = strspn(l, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-");
    }
    if (!n || (l[n] != ':' && l[n] != ';')) return 0;
    if (n > 2 && !strncasecmp(l, "X-", 2)) return 1;
    for (size_t i = 0; names[i]; i++)
        if (strlen(names[i]) == n && !strncasecmp(l, names[i], n)) return 1;
    return 0;
}

static int is_qp(const char *s)
{
    size_t head = strcspn(s, ":");
    for (size_t i = 0; i + 16 <= head; i++)
        if (!strncasecmp(s + i, "QUOTED-PRINTABLE", 16)) return 1;
    return 0;
}

/* The next unfolded line into r->logical; KT_NOTFOUND at the end. */
static kt_status logical_line(vcf_rd *r, kt_error *err)
{
    kt_buf_reset(&r->logical);
    r->logical.max = r->lim.max_record;
    if (!r->have_pending) {
        kt_status st = rd_lines_next(&r->lines, r->lim.max_record, err);
        if (st) return st;
        kt_buf_reset(&r->pending);
        st = kt_buf_append(&r->pending, kt_buf_str(&r->lines.line), r->lines.line.len, err);
        if (st) return st;
    }
    r->logical_line = r->lines.lineno;
    kt_status st = kt_buf_append(&r->logical, kt_buf_str(&r->pending), r->pending.len, err);
    r->have_pending = 0;
    while (!st) {
        st = rd_lines_next(&r->lines, r->lim.max_record, err);
        if (st == KT_NOTFOUND) return KT_OK;
        if (st) break;
        const char *l = kt_buf_str(&r->lines.line);
        int soft = is_qp(kt_buf_str(&r->logical)) && r->logical.len &&
                   r->logical.data[r->logical.len - 1] == '=';
        if (soft) {
            r->logical.data[--r->logical.len] = '\0';
            if (starts_property(l)) { /* a stray '=' ended the value: the line is the next one */
                kt_buf_reset(&r->pending);
                st = kt_buf_append(&r->pending, l, r->lines.line.len, err);
                r->have_pending = 1;
                return st;
            }
            st = kt_buf_append(&r->logical, l, r->lines.line.len, err);
        } else if (l[0] == ' ' || l[0] == '\t') {
            st = kt_buf_append(&r->logical, l + 1, r->lines.line.len - 1, err);
        } else {
            kt_buf_reset(&r->pending);
            st = kt_buf_append(&r->pending, l, r->lines.line.len, err);
            r->have_pending = 1;
            return st;
        }
        if (st == KT_LIMIT)
            return kt_error_set(err, KT_LIMIT,
                                "%s: line %ld: a property longer than the limit "
                                "of %zu bytes (raise max_record)",
                                rd_dec_path(r->lines.dec), r->logical_line, r->lim.max_record);
    }
    return st;
}

static int hexval(char c)
{
    return isdigit((unsigned char)c)    ? c - '0'
           : isxdigit((unsigned char)c) ? (c | 0x20) - 'a' + 10
                                        : -1;
}

/* Appends s[0..n) to b, undoing vCard escapes (and quoted-printable first when qp). */
static kt_status unescape(kt_buf *b, const char *s, size_t n, int qp, kt_error *err)
{
    kt_status st = KT_OK;
    for (size_t i = 0; i < n && !st; i++) {
        char c = s[i];
        if (qp && c == '=' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            st = kt_buf_putc(b, (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])), err);
            i += 2;
        } else if (c == '\\' && i + 1 < n) {
            char e = s[++i];
            st = kt_buf_putc(b, e == 'n' || e == 'N' ? '\n' : e, err);
        } else {
            st = kt_buf_putc(b, c, err);
        }
    }
    return st;
}

static unsigned occurrence(vcf_rd *r, const char *name)
{
    for (size_t i = 0; i < r->nseen; i++)
        if (!strcmp(r->seen[i].name, name)) return ++r->seen[i].n;
    if (r->nseen < sizeof r->seen / sizeof r->seen[0]) {
        snprintf(r->seen[r->nseen].name, sizeof r->seen[0].name, "%s", name);
        r->seen[r->nseen++].n = 1;
    }
    return 1;
}

static kt_status add(vcf_rd *r, const char *key, unsigned nth, const char *sub, const char *v,
                     size_t n, kt_error *err)
{
    if (r->keys.count >= r->lim.max_fields)
        return kt_error_set(err, KT_LIMIT, "more than %zu values in a card (raise max_fields)",
                            r->lim.max_fields);
    if (n > r->lim.max_cell)
        return kt_error_set(err, KT_LIMIT,
                            "a %s value longer than the limit of %zu bytes "
                            "(raise max_cell)",
                            key, r->lim.max_cell);
    kt_buf_reset(&r->key);
    kt_status st =
        nth > 1 ? kt_buf_printf(&r->key, err, "%s%u", key, nth) : kt_buf_puts(&r->key, key, err);
    if (!st && sub) st = kt_buf_printf(&r->key, err, ".%s", sub);
    if (!st) st = rd_cells_add(&r->keys, r->key.data, r->key.len, err);
    if (!st) st = rd_cells_add(&r->vals, v, n, err);
    return st;
}

/* Adds the ';'-separated components of a structured value under key.<part>. */
static kt_status parts(vcf_rd *r, const char *key, unsigned nth, const char *const *names,
                       const char *v, size_t n, int qp, kt_error *err)
{
    kt_status st = KT_OK;
    size_t i = 0;
    for (size_t k = 0; names[k] && !st && i <= n; k++) {
        size_t j = i;
        while (j < n && v[j] != ';')
            j += v[j] == '\\' && j + 1 < n ? 2 : 1;
        kt_buf_reset(&r->tmp);
        st = unescape(&r->tmp, v + i, j - i, qp, err);
        if (!st && r->tmp.len) st = add(r, key, nth, names[k], r->tmp.data, r->tmp.len, err);
        i = j + 1;
    }
    return st;
}

/* Where the property's name and parameters end (the ':' before the value), or the end of s.
 * Parameter values holding ':' must be quoted, but some writers leave a LABEL= unquoted
 * ("LABEL=Strasse 1^nGERMANY^': BHG01:;..."): a parameter value cannot hold ';', so the
 * value starts at the last ':' before the first ';' that follows. */
static size_t value_start(const char *s)
{
    size_t head = 0, last_param = 0;
    int q = 0;
    for (; s[head] && (q || s[head] != ':'); head++) {
        if (s[head] == '"') q = !q;
        if (!q && s[head] == ';') last_param = head + 1;
    }
    if (!s[head] || !last_param || strncasecmp(s + last_param, "LABEL=", 6) ||
        s[last_param + 6] == '"')
        return head;
    const char *semi = strchr(s + head, ';');
    if (!semi) return head;
    while (semi > s + head && *semi != ':')
        semi--;
    return (size_t)(semi - s);
}

/* BDAY as YYYY-MM-DD: "19800701", "1980-07-01T00:00:00Z" (the time dropped), and a day
 * without a year ("--0203", "--02-03", or Apple's year 1604 with X-APPLE-OMIT-YEAR) as
 * "--02-03". Anything else is left as written; 0 when out is not filled. */
static int birthday(const char *v, size_t n, int omit_year, char out[11])
{
    char d[9];
    size_t k = 0;
    int partial = n >= 2 && v[0] == '-' && v[1] == '-';
    for (size_t i = partial ? 2 : 0; i < n && v[i] != 'T' && k < 9; i++)
        if (v[i] >= '0' && v[i] <= '9')
            d[k++] = v[i];
        else if (v[i] != '-')
            return 0;
    if (partial && k == 4) {
        snprintf(out, 11, "--%.2s-%.2s", d, d + 2);
        return 1;
    }
    if (partial || k != 8) return 0;
    if (omit_year && !strncmp(d, "1604", 4))
        snprintf(out, 11, "--%.2s-%.2s", d + 4, d + 6);
    else
        snprintf(out, 11, "%.4s-%.2s-%.2s", d, d + 4, d + 6);
    return 1;
}

static kt_status property(vcf_rd *r, char *s, kt_error *err)
{
    static const char *const n_parts[] = {"family", "given",  "additional",
                                          "prefix", "suffix", NULL};
    static const char *const adr_parts[] = {"pobox",  "ext",  "street",  "locality",
                                            "region", "code", "country", NULL};
    static const char *const org_parts[] = {"", "unit", NULL};
    size_t head = value_start(s);
    if (!s[head]) {
        /* 2.1 base64 data may run on unindented up to a blank line */
        if (r->in_base64) return KT_OK;
        return kt_error_set(err, KT_INVALID, "not a vCard property (no ':'): \"%.40s%s\"", s,
                            strlen(s) > 40 ? "..." : "");
    }
    r->in_base64 = 0;
    s[head] = '\0';
    const char *value = s + head + 1;
    size_t vlen = strlen(value);
    char *params = strchr(s, ';');
    if (params) *params++ = '\0';
    char *name = strrchr(s, '.') ? strrchr(s, '.') + 1 : s;
    for (char *p = name; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (!*name || !strcmp(name, "begin") || !strcmp(name, "end")) return KT_OK;
    if (!strcmp(name, "photo") || !strcmp(name, "logo") || !strcmp(name, "sound") ||
        !strcmp(name, "key")) {
        r->in_base64 = 1;
        return KT_OK;
    }
    int qp = 0, omit_year = 0;
    kt_buf types = KT_BUF_INIT;
    kt_status st = KT_OK;
    for (char *p = params; p && *p && !st;) {
        char *end = p + strcspn(p, ";");
        char save = *end;
        *end = '\0';
        char *eq = strchr(p, '=');
        const char *t = NULL;
        if (!eq)
            t = p;
        else if (!strncasecmp(p, "TYPE=", 5))
            t = eq + 1;
        else if (!strncasecmp(p, "X-APPLE-OMIT-YEAR=", 18))
            omit_year = 1;
        else if (!strncasecmp(p, "ENCODING=", 9)) {
            if (!strcasecmp(eq + 1, "QUOTED-PRINTABLE"))
                qp = 1;
            else if (!strcasecmp(eq + 1, "B") || !strcasecmp(eq + 1, "BASE64"))
                st = KT_NOTFOUND, r->in_base64 = 1;
        }
        if (t && !strcasecmp(t, "QUOTED-PRINTABLE")) qp = 1, t = NULL;
        if (t && !strcasecmp(t, "BASE64")) st = KT_NOTFOUND, r->in_base64 = 1;
        if (t && !st) {
            if (types.len) st = kt_buf_putc(&types, ',', err);
            for (const char *c = t; *c && !st; c++)
                if (*c != '"') st = kt_buf_putc(&types, (char)tolower((unsigned char)*c), err);
        }
        *end = save;
        p = save ? end + 1 : end;
    }
    if (st == KT_NOTFOUND) {
        kt_buf_free(&types);
        return KT_OK;
    }
    unsigned nth = st ? 0 : occurrence(r, name);
    if (!st && !strcmp(name, "n"))
        st = parts(r, name, nth, n_parts, value, vlen, qp, err);
    else if (!st && !strcmp(name, "adr"))
        st = parts(r, name, nth, adr_parts, value, vlen, qp, err);
    if (!st && !strcmp(name, "tel") && !strncasecmp(value, "tel:", 4)) value += 4, vlen -= 4;
    kt_buf_reset(&r->tmp);
    if (!st && !strcmp(name, "org")) {
        size_t j = 0;
        while (j < vlen && value[j] != ';')
            j += value[j] == '\\' && j + 1 < vlen ? 2 : 1;
        st = unescape(&r->tmp, value, j, qp, err);
        if (!st) st = add(r, name, nth, NULL, kt_buf_str(&r->tmp), r->tmp.len, err);
        if (!st && j < vlen) st = parts(r, name, nth, org_parts, value + j, vlen - j, qp, err);
    } else if (!st) {
        st = unescape(&r->tmp, value, vlen, qp, err);
        const char *v = kt_buf_str(&r->tmp);
        char date[11];
        if (!st && !strcmp(name, "bday") && birthday(v, r->tmp.len, omit_year, date)) {
            st = add(r, name, nth, NULL, date, strlen(date), err);
        } else if (!st) {
            st = add(r, name, nth, NULL, v, r->tmp.len, err);
        }
    }
    if (!st && types.len) st = add(r, name, nth, "type", types.data, types.len, err);
    kt_buf_free(&types);
    return st;
}

static int vcf_next(void *h, kt_plugin_row *row, char *msg, size_t msg_size)
{
    vcf_rd *r = h;
    kt_error *err = &r->base.err;
    if (r->failed) return rd_fail(&r->base, msg, msg_size);
    for (;;) {
        kt_status st = logical_line(r, err);
        if (st == KT_NOTFOUND) {
            if (!r->in_card) return 0;
            kt_error_set(err, KT_INVALID, "%s: line %ld: the card begun here has no END:VCARD",
                         rd_dec_path(r->lines.dec), r->card_line);
            break;
        }
        if (st) break;
        char *s = r->logical.data ? r->logical.data : (char *)"";
        if (strspn(s, " \t\r") == strlen(s)) { /* a blank line ends 2.1 base64 data */
            r->in_base64 = 0;
            continue;
        }
        if (!strncasecmp(s, "BEGIN:VCARD", 11)) {
            r->in_card = 1;
            r->card_line = r->logical_line;
            r->nseen = 0;
            rd_cells_reset(&r->keys);
            rd_cells_reset(&r->vals);
            continue;
        }
        if (!r->in_card) continue;
        if (!strncasecmp(s, "END:VCARD", 9)) {
            r->in_card = 0;
            rd_cells_finish(&r->keys, err);
            rd_cells_finish(&r->vals, err);
            row->count = r->keys.count;
            row->keys = r->keys.ptr ? r->keys.ptr : rd_no_keys;
            row->values = r->vals.ptr;
            row->line = r->card_line;
            return 1;
        }
        st = property(r, s, err);
        if (st) {
            kt_error_prefix(err, "%s: line %ld: ", rd_dec_path(r->lines.dec), r->logical_line);
            break;
        }
    }
    r->failed = 1;
    return rd_fail(&r->base, msg, msg_size);
}

const kt_plugin_reader rd_vcf_reader = {"vcf", "vcf,vcard", vcf_open, vcf_next, vcf_close, NULL};
