#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/query.h"
#include "kartoteka/text.h"
#include "kartoteka/value.h"
#include "record/field_value.h"

#define MSG_MAX 600

static kt_status fail(kt_failures *fails, int *ok, const kt_field *f, const char *value,
                      const char *rule, const char *msg)
{
    *ok = 0;
    return kt_failures_add(fails, KT_SEVERITY_ERROR, f->name, value, rule, msg);
}

/* The country a value is read in: the record's, else the workspace's. Borrowed. */
static const char *country_of(kt_ws *ws, const kt_record *rec)
{
    const char *country = rec ? kt_record_text(rec, "country") : NULL;
    return country ? country : kt_ws_setting(ws, "country");
}

/* Text-like value through a value function (plugin type or built-in parser). */
static kt_status via_plugin(const kt_plugin_type *t, const kt_field *f, const kt_record *rec,
                            kt_ws *ws, const char *in, kt_value *out, kt_failures *fails, int *ok,
                            kt_error *err)
{
    char qualified[160], msg[MSG_MAX] = "";
    snprintf(qualified, sizeof qualified, "%s.%s", f->entity, f->name);
    kt_plugin_value_ctx ctx = {country_of(ws, rec), qualified, f->type_kind};
    size_t cap = strlen(in) * 4 + 64;
    char *buf = kt_malloc(cap);
    if (!buf) return kt_error_set(err, KT_NOMEM, "out of memory");
    if (t->normalise(t->ud, in, &ctx, buf, cap, msg, sizeof msg) != KT_PLUGIN_OK) {
        kt_free(buf);
        return fail(fails, ok, f, in, f->type, msg[0] ? msg : "not a valid value");
    }
    out->text = buf;
    return KT_OK;
}

/* A phone without the phone plugin: keep digits and a leading +, check a sane length. */
static kt_status basic_phone(const kt_field *f, const char *in, kt_value *out, kt_failures *fails,
                             int *ok, kt_error *err)
{
    char *ascii = NULL;
    kt_status st = kt_text_ascii_digits(in, &ascii, err);
    if (st) return st;
    char *buf = kt_malloc(strlen(ascii) + 2);
    if (!buf) {
        kt_free(ascii);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    size_t n = 0, digits = 0;
    int bad = 0;
    for (const char *p = ascii; *p; p++) {
        if (*p >= '0' && *p <= '9')
            buf[n++] = *p, digits++;
        else if (*p == '+' && n == 0)
            buf[n++] = '+';
        else if (!strchr(" -()./", *p))
            bad = 1;
    }
    buf[n] = '\0';
    kt_free(ascii);
    if (bad || digits < 5 || digits > 15) {
        kt_free(buf);
        return fail(fails, ok, f, in, "phone",
                    "a phone number has 5 to 15 digits and only spaces, dashes, dots and "
                    "brackets between them");
    }
    out->text = buf;
    return KT_OK;
}

static kt_status check_choice(const kt_field *f, const char *in, char **canon, kt_failures *fails,
                              int *ok)
{
    *canon = NULL;
    for (size_t i = 0; i < f->noptions; i++)
        if (strcmp(f->options[i], in) == 0 || strcasecmp(f->options[i], in) == 0) {
            *canon = f->options[i];
            return KT_OK;
        }
    char msg[MSG_MAX];
    size_t n = (size_t)snprintf(msg, sizeof msg, "\"%s\" is not one of: ", in);
    for (size_t i = 0; i < f->noptions && n < sizeof msg; i++)
        n += (size_t)snprintf(msg + n, sizeof msg - n, "%s%s", i ? ", " : "", f->options[i]);
    return fail(fails, ok, f, in, "options", msg);
}

static kt_status normalise_set(const kt_field *f, const kt_value *in, kt_value *out,
                               kt_failures *fails, int *ok, kt_error *err)
{
    out->is_set = 1;
    size_t n = in->is_set ? in->nitems : 1;
    const char *single = in->text;
    int *chosen = kt_calloc(f->noptions + 1, sizeof *chosen);
    if (!chosen) return kt_error_set(err, KT_NOMEM, "out of memory");
    kt_status st = KT_OK;
    for (size_t i = 0; i < n && !st; i++) {
        const char *item = in->is_set ? in->items[i] : single;
        char *canon;
        if ((st = check_choice(f, item, &canon, fails, ok)) || !canon) continue;
        for (size_t j = 0; j < f->noptions; j++)
            if (f->options[j] == canon) chosen[j] = 1;
    }
    /* Stored in the order of the options, so equal sets look equal. */
    size_t count = 0;
    for (size_t j = 0; j < f->noptions; j++)
        count += (size_t)chosen[j];
    if (!st && *ok && count) {
        out->items = kt_calloc(count, sizeof(char *));
        if (!out->items) st = kt_error_set(err, KT_NOMEM, "out of memory");
        for (size_t j = 0; !st && j < f->noptions; j++)
            if (chosen[j] && !(out->items[out->nitems++] = kt_strdup(f->options[j])))
                st = kt_error_set(err, KT_NOMEM, "out of memory");
    }
    kt_free(chosen);
    return st;
}

static kt_status check_ref(kt_ws *ws, const kt_field *f, const char *in, kt_value *out,
                           kt_failures *fails, int *ok, kt_error *err)
{
    char *end;
    long long id = strtoll(in, &end, 10);
    char msg[MSG_MAX], entity[64];
    if (*in == '\0' || *end != '\0' || id <= 0)
        return fail(fails, ok, f, in, "ref", "a reference must be the id of a record");
    kt_error e2;
    if (kt_ws_entity_of(ws, id, entity, sizeof entity, &e2) != KT_OK) {
        snprintf(msg, sizeof msg, "there is no record with id %s", in);
        return fail(fails, ok, f, in, "ref", msg);
    }
    /* f->ref may list several targets: "person|company". */
    const char *p = f->ref;
    size_t len = strlen(entity);
    int match = 0;
    while (p && *p) {
        const char *bar = strchr(p, '|');
        size_t seg = bar ? (size_t)(bar - p) : strlen(p);
        if (seg == len && strncmp(p, entity, len) == 0) match = 1;
        p = bar ? bar + 1 : NULL;
    }
    if (!match) {
        snprintf(msg, sizeof msg, "record %s is a %s, but this field refers to %s", in, entity,
                 f->ref);
        return fail(fails, ok, f, in, "ref", msg);
    }
    char canon[32];
    snprintf(canon, sizeof canon, "%lld", id);
    out->text = kt_strdup(canon);
    return out->text ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
}

/* Parses with a value.h parser; its message names the value and the rule. */
#define PARSE_OR_FAIL(call, rule)                                                                  \
    do {                                                                                           \
        kt_error pe;                                                                               \
        kt_error_clear(&pe);                                                                       \
        kt_status ps = (call);                                                                     \
        if (ps == KT_NOMEM) return kt_error_set(err, KT_NOMEM, "out of memory");                   \
        if (ps) return fail(fails, ok, f, in, rule, pe.message);                                   \
    } while (0)

static kt_status normalise_scalar(kt_ws *ws, const kt_field *f, const kt_record *rec,
                                  const char *in, kt_value *out, kt_failures *fails, int *ok,
                                  kt_error *err)
{
    char buf[64];
    long long n;
    int b;
    switch (f->kind) {
    case KT_TYPE_INTEGER:
        PARSE_OR_FAIL(kt_value_parse_integer(in, &n, &pe), "integer");
        snprintf(buf, sizeof buf, "%lld", n);
        break;
    case KT_TYPE_DECIMAL:
        PARSE_OR_FAIL(kt_value_parse_decimal(in, f->scale, &n, &pe), "decimal");
        kt_value_format_decimal(n, f->scale, buf, sizeof buf);
        break;
    case KT_TYPE_DATE:
        PARSE_OR_FAIL(kt_value_parse_date(in, buf, &pe), "date");
        break;
    case KT_TYPE_DATETIME:
        PARSE_OR_FAIL(kt_value_parse_datetime(in, buf, &pe), "datetime");
        break;
    case KT_TYPE_BOOL:
        PARSE_OR_FAIL(kt_value_parse_bool(in, &b, &pe), "bool");
        snprintf(buf, sizeof buf, "%s", b ? "true" : "false");
        break;
    case KT_TYPE_ENUM: {
        char *canon;
        kt_status st = check_choice(f, in, &canon, fails, ok);
        if (st || !canon) return st;
        snprintf(buf, sizeof buf, "%s", "");
        out->text = kt_strdup(canon);
        return out->text ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
    }
    case KT_TYPE_EMAIL:
        PARSE_OR_FAIL(kt_value_check_email(in, &out->text, &pe), "email");
        return KT_OK;
    case KT_TYPE_URL:
        PARSE_OR_FAIL(kt_value_check_url(in, &out->text, &pe), "url");
        return KT_OK;
    case KT_TYPE_PHONE:
        return basic_phone(f, in, out, fails, ok, err);
    case KT_TYPE_REF:
        return check_ref(ws, f, in, out, fails, ok, err);
    default:
        out->text = kt_strdup(in);
        return out->text ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
    }
    out->text = kt_strdup(buf);
    return out->text ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
}

static kt_status normalise(kt_ws *ws, const kt_field *f, const kt_record *rec, const kt_value *in,
                           kt_value *out, kt_failures *fails, int *ok, kt_error *err)
{
    *ok = 1;
    memset(out, 0, sizeof *out);
    if (kt_value_empty(in)) {
        out->is_set = f->kind == KT_TYPE_SET;
        return KT_OK;
    }
    if (f->kind == KT_TYPE_SET) return normalise_set(f, in, out, fails, ok, err);
    const char *raw = in->is_set ? (in->nitems ? in->items[0] : "") : in->text;
    if (in->is_set && in->nitems > 1)
        return fail(fails, ok, f, raw, f->type,
                    "a list of values was given, but the field holds one");
    if (!kt_text_valid_utf8(raw, strlen(raw)))
        return fail(fails, ok, f, NULL, "utf8", "the value is not valid UTF-8 text");
    /* Surrounding white space means nothing in a name or a number, so it goes, unless the
     * field says trim = false (notes, kept byte for byte); inner text is kept exactly. */
    size_t len = strlen(raw);
    const char *s = raw;
    while (!f->no_trim && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
        s++, len--;
    while (!f->no_trim && len && strchr(" \t\r\n", s[len - 1]))
        len--;
    char *in_text = kt_strndup(s, len);
    if (!in_text) return kt_error_set(err, KT_NOMEM, "out of memory");
    kt_status st;
    if (!*in_text) {
        st = KT_OK; /* only white space: empty */
    } else {
        /* A plugin type of the same name (e.g. the phone plugin's "phone") wins over the
         * built-in handling, so plugins can improve built-in types. */
        const kt_plugin_type *t = kt_ext_type(kt_ws_ext(ws), f->type);
        if (t)
            st = via_plugin(t, f, rec, ws, in_text, out, fails, ok, err);
        else if (f->kind == KT_TYPE_EXTERNAL)
            st = fail(fails, ok, f, in_text, f->type, "the type's plugin is not loaded");
        else if (f->type_kind) /* a kind unchecked would be a rule silently skipped */
            st = fail(fails, ok, f, in_text, f->type,
                      "the field's kind needs the type's plugin, which is not loaded");
        else
            st = normalise_scalar(ws, f, rec, in_text, out, fails, ok, err);
    }
    kt_free(in_text);
    return st;
}

kt_status kt_field_normalise(kt_ws *ws, const kt_field *f, const kt_record *rec, const kt_value *in,
                             kt_value *out, kt_failures *fails, int *ok, kt_error *err)
{
    kt_status st = normalise(ws, f, rec, in, out, fails, ok, err);
    /* listing a failure can run out of memory too (fail() has no err to say so) */
    return st == KT_NOMEM ? kt_error_set(err, KT_NOMEM, "out of memory") : st;
}

kt_status kt_field_bind(kt_stmt *st, int idx, const kt_field *f, const kt_value *v, kt_error *err)
{
    if (kt_value_empty(v)) {
        kt_stmt_bind_null(st, idx);
        return KT_OK;
    }
    long long n;
    switch (f->kind) {
    case KT_TYPE_INTEGER:
    case KT_TYPE_REF:
        kt_stmt_bind_int(st, idx, strtoll(v->text, NULL, 10));
        return KT_OK;
    case KT_TYPE_BOOL:
        kt_stmt_bind_int(st, idx, strcmp(v->text, "true") == 0);
        return KT_OK;
    case KT_TYPE_DECIMAL:
        if (kt_value_parse_decimal(v->text, f->scale, &n, err)) return KT_INVALID;
        kt_stmt_bind_int(st, idx, n);
        return KT_OK;
    case KT_TYPE_SET: {
        char *json = kt_value_to_text(v);
        if (!json) return kt_error_set(err, KT_NOMEM, "out of memory");
        kt_stmt_bind_text_owned(st, idx, json);
        return KT_OK;
    }
    default:
        if (kt_stmt_bind_text(st, idx, v->text))
            return kt_error_set(err, KT_NOMEM, "out of memory");
        return KT_OK;
    }
}

kt_status kt_field_column(kt_stmt *st, int col, const kt_field *f, kt_value *out, kt_error *err)
{
    memset(out, 0, sizeof *out);
    out->is_set = f->kind == KT_TYPE_SET;
    if (kt_stmt_is_null(st, col)) return KT_OK;
    char buf[64];
    const char *text = NULL;
    switch (f->kind) {
    case KT_TYPE_INTEGER:
    case KT_TYPE_REF:
        snprintf(buf, sizeof buf, "%lld", (long long)kt_stmt_int(st, col));
        text = buf;
        break;
    case KT_TYPE_BOOL:
        text = kt_stmt_int(st, col) ? "true" : "false";
        break;
    case KT_TYPE_DECIMAL:
        kt_value_format_decimal(kt_stmt_int(st, col), f->scale, buf, sizeof buf);
        text = buf;
        break;
    case KT_TYPE_SET: {
        const char *stored = kt_stmt_text(st, col);
        cJSON *a = cJSON_Parse(stored);
        /* what we stored always parses: a failure is cJSON out of memory, not an empty set */
        if (!a && stored && *stored) return kt_error_set(err, KT_NOMEM, "out of memory");
        size_t n = cJSON_IsArray(a) ? (size_t)cJSON_GetArraySize(a) : 0;
        if (n && !(out->items = kt_calloc(n, sizeof(char *)))) {
            cJSON_Delete(a);
            return kt_error_set(err, KT_NOMEM, "out of memory");
        }
        const cJSON *it;
        cJSON_ArrayForEach(it, a)
        {
            if (!cJSON_IsString(it)) continue;
            if (!(out->items[out->nitems] = kt_strdup(it->valuestring))) {
                cJSON_Delete(a);
                kt_value_clear(out);
                return kt_error_set(err, KT_NOMEM, "out of memory");
            }
            out->nitems++;
        }
        cJSON_Delete(a);
        return KT_OK;
    }
    default:
        text = kt_stmt_text(st, col);
        break;
    }
    out->text = kt_strdup(text ? text : "");
    return out->text ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
}

const char *kt_field_display(kt_ws *ws, const kt_field *f, const kt_record *rec, const char *text,
                             char *buf, size_t size)
{
    char name[160], msg[MSG_MAX];
    if (!f || !text || snprintf(name, sizeof name, "%s.display", f->type) >= (int)sizeof name)
        return text;
    const kt_plugin_function *fn = kt_ext_function(kt_ws_ext(ws), name);
    kt_plugin_value_ctx ctx = {country_of(ws, rec), NULL, NULL};
    if (!fn || fn->fn(fn->ud, text, &ctx, buf, size, msg, sizeof msg) != KT_PLUGIN_OK) return text;
    return buf;
}
