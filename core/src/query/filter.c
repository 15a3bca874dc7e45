/* `--where` filters: the text a user types ("external_id = 'C1' and due <= today") parsed into
 * conditions. Values stay text here and become bound parameters in list.c, never SQL. */
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "kartoteka/query.h"

#define OPERATORS "= != < <= > >= ~, is null, is not null, in (...)"

static const struct {
    const char *tok;
    kt_filter_op op;
} symbols[] = {{"!=", KT_OP_NE}, {"<>", KT_OP_NE}, {"<=", KT_OP_LE}, {">=", KT_OP_GE},
               {"=", KT_OP_EQ},  {"<", KT_OP_LT},  {">", KT_OP_GT},  {"~", KT_OP_CONTAINS}};

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *skip_blank(const char *s, const char *end)
{
    while (s < end && blank(*s))
        s++;
    return s;
}

/* A name runs up to a blank or an operator character. */
static const char *name_end(const char *s, const char *end)
{
    while (s < end && !blank(*s) && !strchr("!<>=~(),'\"", *s))
        s++;
    return s;
}

/* The keyword kw (lower case) at s, ending at a blank, the end or one of `stops`. */
static int keyword(const char *s, const char *end, const char *kw, const char *stops)
{
    size_t n = strlen(kw);
    if ((size_t)(end - s) < n) return 0;
    for (size_t i = 0; i < n; i++)
        if ((s[i] | 0x20) != kw[i]) return 0;
    return s + n == end || blank(s[n]) || (stops && strchr(stops, s[n]));
}

/* The symbolic operator at s, its length in *len; -1 when none. */
static int symbol(const char *s, const char *end, size_t *len)
{
    for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
        size_t n = strlen(symbols[i].tok);
        if ((size_t)(end - s) >= n && strncmp(s, symbols[i].tok, n) == 0) {
            *len = n;
            return (int)symbols[i].op;
        }
    }
    return -1;
}

/* Whether a condition starts at s: a name, then an operator. Decides where "and" joins two. */
static int starts_condition(const char *s, const char *end)
{
    const char *n = name_end(s, end);
    if (n == s) return 0;
    n = skip_blank(n, end);
    size_t len;
    return symbol(n, end, &len) >= 0 || keyword(n, end, "is", NULL) || keyword(n, end, "in", "(");
}

/* One value: 'quoted' or "quoted" (a doubled quote inside is one quote), else the text up to
 * `stops` (or the end), without surrounding blanks. *next is where reading stopped. */
static kt_status value(const char *s, const char *end, const char *stops, char **out,
                       const char **next, const char *whole, kt_error *err)
{
    s = skip_blank(s, end);
    kt_buf b = KT_BUF_INIT;
    kt_status st = KT_OK;
    if (s < end && (*s == '\'' || *s == '"')) {
        char q = *s++;
        for (;;) {
            if (s >= end) {
                kt_buf_free(&b);
                return kt_error_set(err, KT_USAGE, "filter \"%s\": a quote %c is not closed", whole,
                                    q);
            }
            if (*s == q && s + 1 < end && s[1] == q)
                s++;
            else if (*s == q)
                break;
            if ((st = kt_buf_putc(&b, *s++, err))) goto fail;
        }
        s = skip_blank(s + 1, end);
    } else {
        const char *e = s;
        while (e < end && !(stops && strchr(stops, *e)))
            e++;
        const char *t = e;
        while (t > s && blank(t[-1]))
            t--;
        if ((st = kt_buf_append(&b, s, (size_t)(t - s), err))) goto fail;
        s = e;
    }
    *out = kt_buf_take(&b);
    *next = s;
    /* an empty value is a fresh "" that may itself fail to allocate */
    return *out ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
fail:
    kt_buf_free(&b);
    return st;
}

static kt_status in_list(const char *s, const char *end, kt_filter *f, const char *whole,
                         kt_error *err)
{
    s = skip_blank(s, end);
    if (s >= end || *s != '(')
        return kt_error_set(err, KT_USAGE, "filter \"%s\": in takes a list: in ('a', 'b')", whole);
    s++;
    for (;;) {
        char *v = NULL;
        kt_status st = value(s, end, ",)", &v, &s, whole, err);
        if (st) return st;
        char **vs = kt_realloc(f->values, (f->nvalues + 1) * sizeof *vs);
        if (!vs) {
            kt_free(v);
            return kt_error_set(err, KT_NOMEM, "out of memory");
        }
        f->values = vs;
        f->values[f->nvalues++] = v;
        if (s < end && *s == ',') {
            s++;
            continue;
        }
        if (s < end && *s == ')') break;
        return kt_error_set(err, KT_USAGE, "filter \"%s\": the list after in has no closing )",
                            whole);
    }
    if (skip_blank(s + 1, end) != end)
        return kt_error_set(err, KT_USAGE, "filter \"%s\": unexpected text after the list", whole);
    return KT_OK;
}

static kt_status parse_one(const char *s, const char *end, kt_filter *f, const char *whole,
                           kt_error *err)
{
    memset(f, 0, sizeof *f);
    s = skip_blank(s, end);
    const char *ne = name_end(s, end);
    if (ne == s)
        return kt_error_set(err, KT_USAGE,
                            "filter \"%s\" is not of the form name=value (operators: " OPERATORS
                            "; see kt help filter)",
                            whole);
    if (!(f->field = kt_strndup(s, (size_t)(ne - s))))
        return kt_error_set(err, KT_NOMEM, "out of memory");
    const char *o = skip_blank(ne, end);
    size_t len;
    int op = symbol(o, end, &len);
    if (op >= 0) {
        f->op = (kt_filter_op)op;
        const char *rest;
        kt_status st = value(o + len, end, NULL, &f->value, &rest, whole, err);
        if (!st && rest != end)
            st = kt_error_set(err, KT_USAGE,
                              "filter \"%s\": unexpected text after the quoted value", whole);
        return st;
    }
    if (keyword(o, end, "is", NULL)) {
        const char *p = skip_blank(o + 2, end);
        f->op = KT_OP_IS_NULL;
        if (keyword(p, end, "not", NULL)) {
            f->op = KT_OP_NOT_NULL;
            p = skip_blank(p + 3, end);
        }
        if (!keyword(p, end, "null", NULL) || skip_blank(p + 4, end) != end)
            return kt_error_set(err, KT_USAGE,
                                "filter \"%s\": write \"%s is null\" or \"%s is not null\"", whole,
                                f->field, f->field);
        return (f->value = kt_strdup("")) ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
    }
    if (keyword(o, end, "in", "(")) {
        f->op = KT_OP_IN;
        kt_status st = in_list(o + 2, end, f, whole, err);
        if (!st && !(f->value = kt_strdup(f->values[0])))
            st = kt_error_set(err, KT_NOMEM, "out of memory");
        return st;
    }
    if (o == end)
        return kt_error_set(err, KT_USAGE,
                            "filter \"%s\" has no operator after \"%s\" (operators: " OPERATORS
                            "; see kt help filter)",
                            whole, f->field);
    return kt_error_set(err, KT_USAGE,
                        "filter \"%s\": \"%.*s\" is not an operator after the name \"%s\" "
                        "(operators: " OPERATORS "; names have no spaces; see kt help filter)",
                        whole, (int)(name_end(o, end) > o ? name_end(o, end) - o : 1), o, f->field);
}

kt_status kt_filter_parse(const char *text, kt_filter *f, kt_error *err)
{
    kt_status st = parse_one(text, text + strlen(text), f, text, err);
    if (st) kt_filter_clear(f);
    return st;
}

/* Where the next " and " that joins two conditions starts, outside quotes and parentheses; end
 * when none. "and" inside a plain value (city = Nowy and Stary) does not count: what follows it
 * must itself start a condition. */
static const char *next_and(const char *s, const char *end)
{
    char quote = 0;
    int depth = 0;
    for (const char *p = s; p < end; p++) {
        if (quote) {
            if (*p == quote) quote = 0;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '(') {
            depth++;
        } else if (*p == ')') {
            depth -= depth > 0;
        } else if (!depth && blank(*p) && keyword(p + 1, end, "and", NULL) && p + 4 < end &&
                   starts_condition(skip_blank(p + 4, end), end)) {
            return p;
        }
    }
    return end;
}

kt_status kt_filter_parse_all(const char *text, kt_filter *out, size_t max, size_t *n,
                              kt_error *err)
{
    const char *s = text, *end = text + strlen(text);
    size_t start = *n;
    for (;;) {
        const char *cut = next_and(s, end);
        if (*n == max) {
            kt_status st = kt_error_set(err, KT_USAGE, "too many filters (at most %zu)", max);
            while (*n > start)
                kt_filter_clear(&out[--*n]);
            return st;
        }
        kt_status st = parse_one(s, cut, &out[*n], text, err);
        if (st) {
            kt_filter_clear(&out[*n]);
            while (*n > start)
                kt_filter_clear(&out[--*n]);
            return st;
        }
        ++*n;
        if (cut == end) return KT_OK;
        s = skip_blank(cut, end) + 3;
    }
}

void kt_filter_clear(kt_filter *f)
{
    kt_free(f->field);
    kt_free(f->value);
    for (size_t i = 0; i < f->nvalues; i++)
        kt_free(f->values[i]);
    kt_free(f->values);
    memset(f, 0, sizeof *f);
}
