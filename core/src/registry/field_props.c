/* A field's properties: parsed from a declaration's JSON, checked, and written back as JSON. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/json_add.h"
#include "kartoteka/match.h"
#include "registry/field_props.h"

static const char *const known[] = {"label", "required", "default",    "options", "pattern",
                                    "min",   "max",      "max_length", "unique",  "searchable",
                                    "pii",   "indexed",  "ref",        "scale",   "kind",
                                    "trim",  NULL};

static int is_known(const char *k)
{
    for (size_t i = 0; known[i]; i++)
        if (strcmp(known[i], k) == 0) return 1;
    return 0;
}

/* Numbers and strings both arrive for min/max/default; keep them as canonical-ish text. */
static char *scalar_text(const cJSON *v)
{
    char tmp[64];
    if (cJSON_IsString(v)) return kt_strdup(v->valuestring);
    if (cJSON_IsBool(v)) return kt_strdup(cJSON_IsTrue(v) ? "true" : "false");
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (d == (double)(long long)d)
            snprintf(tmp, sizeof tmp, "%lld", (long long)d);
        else
            snprintf(tmp, sizeof tmp, "%.15g", d);
        return kt_strdup(tmp);
    }
    return NULL;
}

static kt_status set_text(char **slot, const cJSON *v, const char *what, const kt_field *f,
                          kt_error *err)
{
    if (cJSON_IsNull(v)) {
        kt_free(*slot);
        *slot = NULL;
        return KT_OK;
    }
    char *t = scalar_text(v);
    if (!t)
        return kt_error_set(err, KT_INVALID, "field %s.%s: %s must be a string or a number",
                            f->entity, f->name, what);
    kt_free(*slot);
    *slot = t;
    return KT_OK;
}

static kt_status set_flag(int *slot, const cJSON *v, const char *what, const kt_field *f,
                          kt_error *err)
{
    if (!cJSON_IsBool(v))
        return kt_error_set(err, KT_INVALID, "field %s.%s: %s must be true or false", f->entity,
                            f->name, what);
    *slot = cJSON_IsTrue(v);
    return KT_OK;
}

static kt_status set_options(kt_field *f, const cJSON *v, kt_error *err)
{
    if (!cJSON_IsArray(v))
        return kt_error_set(err, KT_INVALID, "field %s.%s: options must be a list of strings",
                            f->entity, f->name);
    size_t n = (size_t)cJSON_GetArraySize(v);
    char **opts = kt_calloc(n + 1, sizeof *opts);
    if (!opts) return kt_error_set(err, KT_NOMEM, "out of memory");
    size_t i = 0;
    const cJSON *o;
    cJSON_ArrayForEach(o, v)
    {
        char *t = scalar_text(o);
        if (!t || !*t || (f->kind == KT_TYPE_SET && strchr(t, ','))) {
            kt_free(t);
            kt_field_free_options(opts, i);
            return kt_error_set(err, KT_INVALID,
                                "field %s.%s: option %zu must be a non-empty string%s", f->entity,
                                f->name, i + 1, f->kind == KT_TYPE_SET ? " without commas" : "");
        }
        opts[i++] = t;
    }
    kt_field_free_options(f->options, f->noptions);
    f->options = opts;
    f->noptions = n;
    return KT_OK;
}

static kt_status set_pattern(kt_field *f, const cJSON *v, kt_error *err)
{
    if (f->pattern) {
        regfree(&f->regex);
        kt_free(f->pattern);
        f->pattern = NULL;
    }
    if (cJSON_IsNull(v)) return KT_OK;
    if (!cJSON_IsString(v))
        return kt_error_set(err, KT_INVALID, "field %s.%s: pattern must be a string", f->entity,
                            f->name);
    int rc = regcomp(&f->regex, v->valuestring, REG_EXTENDED | REG_NOSUB);
    if (rc != 0) {
        char msg[256];
        regerror(rc, &f->regex, msg, sizeof msg);
        return kt_error_set(err, KT_INVALID,
                            "field %s.%s: pattern \"%s\" is not a valid regular expression: %s",
                            f->entity, f->name, v->valuestring, msg);
    }
    f->pattern = kt_strdup(v->valuestring);
    if (!f->pattern) {
        regfree(&f->regex);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    return KT_OK;
}

void kt_field_free_options(char **opts, size_t n)
{
    if (!opts) return;
    for (size_t i = 0; i < n; i++)
        kt_free(opts[i]);
    kt_free(opts);
}

kt_status kt_field_apply_props(kt_field *f, const char *props_json, kt_error *err)
{
    if (!props_json || !*props_json) return KT_OK;
    cJSON *root = cJSON_Parse(props_json);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return kt_error_set(err, KT_INVALID, "field %s.%s: properties are not a JSON object",
                            f->entity, f->name);
    }
    kt_status st = KT_OK;
    const cJSON *v;
    cJSON_ArrayForEach(v, root)
    {
        const char *k = v->string;
        if (!is_known(k)) {
            const char *near = kt_match_suggest(k, known, sizeof known / sizeof known[0]);
            st = kt_error_set(err, KT_INVALID,
                              "field %s.%s: unknown property '%s'%s%s%s (known: type, label, "
                              "required, default, options, pattern, min, max, max_length, unique, "
                              "searchable, pii, indexed, ref, scale, kind, trim)",
                              f->entity, f->name, k, near ? " (did you mean '" : "",
                              near ? near : "", near ? "'?)" : "");
        } else if (!strcmp(k, "label")) {
            char *l = cJSON_IsString(v) ? NULL : cJSON_PrintUnformatted(v);
            if (cJSON_IsString(v)) {
                cJSON *obj = cJSON_CreateObject();
                if (cJSON_AddStringToObject(obj, "en", v->valuestring))
                    l = cJSON_PrintUnformatted(obj);
                cJSON_Delete(obj);
            }
            char *label = l ? kt_strdup(l) : NULL;
            cJSON_free(l);
            if (!label) {
                st = kt_error_set(err, KT_NOMEM, "out of memory");
            } else {
                kt_free(f->label);
                f->label = label;
            }
        } else if (!strcmp(k, "required"))
            st = set_flag(&f->required, v, k, f, err);
        else if (!strcmp(k, "unique"))
            st = set_flag(&f->unique, v, k, f, err);
        else if (!strcmp(k, "searchable"))
            st = set_flag(&f->searchable, v, k, f, err);
        else if (!strcmp(k, "pii"))
            st = set_flag(&f->pii, v, k, f, err);
        else if (!strcmp(k, "indexed"))
            st = set_flag(&f->indexed, v, k, f, err);
        else if (!strcmp(k, "trim")) {
            int trim = 1;
            st = set_flag(&trim, v, k, f, err);
            f->no_trim = !trim;
        } else if (!strcmp(k, "default")) {
            if (cJSON_IsArray(v)) { /* a set's default: stored as its JSON text */
                char *t = cJSON_PrintUnformatted(v);
                char *d = t ? kt_strdup(t) : NULL;
                cJSON_free(t);
                if (!d) {
                    st = kt_error_set(err, KT_NOMEM, "out of memory");
                } else {
                    kt_free(f->default_value);
                    f->default_value = d;
                }
            } else
                st = set_text(&f->default_value, v, k, f, err);
        } else if (!strcmp(k, "options"))
            st = set_options(f, v, err);
        else if (!strcmp(k, "pattern"))
            st = set_pattern(f, v, err);
        else if (!strcmp(k, "min"))
            st = set_text(&f->min, v, k, f, err);
        else if (!strcmp(k, "max"))
            st = set_text(&f->max, v, k, f, err);
        else if (!strcmp(k, "ref"))
            st = set_text(&f->ref, v, k, f, err);
        else if (!strcmp(k, "kind"))
            st = set_text(&f->type_kind, v, k, f, err);
        else if (!strcmp(k, "max_length") || !strcmp(k, "scale")) {
            if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 1e9)
                st = kt_error_set(err, KT_INVALID, "field %s.%s: %s must be a whole number",
                                  f->entity, f->name, k);
            else if (!strcmp(k, "scale")) {
                if (v->valueint > 9)
                    st = kt_error_set(err, KT_INVALID, "field %s.%s: scale must be 0 to 9",
                                      f->entity, f->name);
                else
                    f->scale = v->valueint;
            } else
                f->max_length = (long)v->valuedouble;
        }
        if (st) break;
    }
    cJSON_Delete(root);
    return st;
}

kt_status kt_field_check_props(const kt_field *f, kt_error *err)
{
    int choice = f->kind == KT_TYPE_ENUM || f->kind == KT_TYPE_SET;
    if (choice && f->noptions == 0)
        return kt_error_set(err, KT_INVALID, "field %s.%s: a %s field needs options = { ... }",
                            f->entity, f->name, f->type);
    if (!choice && f->noptions)
        return kt_error_set(err, KT_INVALID,
                            "field %s.%s: options only apply to enum and set fields, not %s",
                            f->entity, f->name, f->type);
    if (f->kind == KT_TYPE_REF && (!f->ref || !*f->ref))
        return kt_error_set(err, KT_INVALID, "field %s.%s: a ref field needs ref = \"entity\"",
                            f->entity, f->name);
    if (f->kind != KT_TYPE_REF && f->ref)
        return kt_error_set(err, KT_INVALID, "field %s.%s: ref only applies to ref fields",
                            f->entity, f->name);
    /* Only a plugin's type knows its sorts (phone: mobile, fixed_line, ...); it checks them. */
    if (f->type_kind && f->kind != KT_TYPE_PHONE && f->kind != KT_TYPE_EXTERNAL)
        return kt_error_set(err, KT_INVALID,
                            "field %s.%s: kind only applies to phone and plugin types, not %s",
                            f->entity, f->name, f->type);
    /* other types parse their value, and white space around a number or a date means nothing */
    if (f->no_trim && f->kind != KT_TYPE_TEXT)
        return kt_error_set(err, KT_INVALID,
                            "field %s.%s: trim = false only applies to text fields, not %s",
                            f->entity, f->name, f->type);
    return KT_OK;
}

static int add_opt_text(cJSON *o, const char *k, const char *v)
{
    return !v || cJSON_AddStringToObject(o, k, v);
}

/* NULL when out of memory: a property left out would be stored as never declared. */
char *kt_field_props_json(const kt_field *f)
{
    cJSON *o = cJSON_CreateObject();
    int ok = o != NULL;
    /* the label is JSON this file printed: it does not parse only when out of memory */
    if (f->label) ok &= kt_json_add(o, "label", cJSON_Parse(f->label));
    if (f->required) ok &= cJSON_AddTrueToObject(o, "required") != NULL;
    if (f->unique) ok &= cJSON_AddTrueToObject(o, "unique") != NULL;
    if (f->searchable) ok &= cJSON_AddTrueToObject(o, "searchable") != NULL;
    if (f->pii) ok &= cJSON_AddTrueToObject(o, "pii") != NULL;
    if (f->indexed) ok &= cJSON_AddTrueToObject(o, "indexed") != NULL;
    if (f->no_trim) ok &= cJSON_AddFalseToObject(o, "trim") != NULL;
    if (f->default_value) {
        /* a set's default that is not an array is kept as its text, which reads back the same */
        cJSON *arr = f->kind == KT_TYPE_SET ? cJSON_Parse(f->default_value) : NULL;
        ok &= arr ? kt_json_add(o, "default", arr)
                  : cJSON_AddStringToObject(o, "default", f->default_value) != NULL;
    }
    if (f->noptions) {
        cJSON *a = cJSON_AddArrayToObject(o, "options");
        ok &= a != NULL;
        for (size_t i = 0; a && i < f->noptions; i++)
            ok &= kt_json_add(a, NULL, cJSON_CreateString(f->options[i]));
    }
    ok &= add_opt_text(o, "pattern", f->pattern);
    ok &= add_opt_text(o, "min", f->min);
    ok &= add_opt_text(o, "max", f->max);
    if (f->max_length)
        ok &= cJSON_AddNumberToObject(o, "max_length", (double)f->max_length) != NULL;
    ok &= add_opt_text(o, "ref", f->ref);
    ok &= add_opt_text(o, "kind", f->type_kind);
    if (f->kind == KT_TYPE_DECIMAL) ok &= cJSON_AddNumberToObject(o, "scale", f->scale) != NULL;
    char *s = ok ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    char *out = s ? kt_strdup(s) : NULL;
    cJSON_free(s);
    return out;
}

int kt_field_has_option(const kt_field *f, const char *value)
{
    for (size_t i = 0; i < f->noptions; i++)
        if (strcmp(f->options[i], value) == 0) return 1;
    return 0;
}
