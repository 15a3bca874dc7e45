/* Validation of a whole record as it would be stored: type and options (by normalising every
 * value), required, pattern, length, bounds, unique, and the rules of kartoteka.lua and plugins.
 * The write door and `kt check` share it, so both judge a record the same way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/text.h"
#include "kartoteka/value.h"
#include "record/alias.h"
#include "kartoteka/save.h"
#include "record/door.h"
#include "record/field_value.h"
#include "record/record_table.h"
#include "record/validate.h"
#include "workspace/ws_internal.h"

static int compare_bound(const kt_field *f, const char *value, const char *bound)
{
    long long a, b;
    kt_error e;
    switch (f->kind) {
    case KT_TYPE_INTEGER:
        if (kt_value_parse_integer(value, &a, &e) || kt_value_parse_integer(bound, &b, &e))
            return 0;
        return (a > b) - (a < b);
    case KT_TYPE_DECIMAL:
        if (kt_value_parse_decimal(value, f->scale, &a, &e) ||
            kt_value_parse_decimal(bound, f->scale, &b, &e))
            return 0;
        return (a > b) - (a < b);
    default:
        return strcmp(value, bound);
    }
}

static kt_status check_unique(kt_ws *ws, const kt_field *f, const kt_record *rec, const kt_value *v,
                              kt_failures *fails, kt_error *err)
{
    char msg[512];
    kt_id other;
    kt_status rc = kt_entity_row_unique(kt_ws_store(ws), f, v, rec->id, &other, err);
    if (rc || !other) return rc;
    snprintf(msg, sizeof msg, "\"%s\" is already used by record %lld (the field is unique)",
             v->text, (long long)other);
    return kt_failures_add(fails, KT_SEVERITY_ERROR, f->name, v->text, "unique", msg);
}

static kt_status check_constraints(kt_ws *ws, const kt_field *f, const kt_record *rec,
                                   const kt_value *v, kt_failures *fails, kt_error *err)
{
    char msg[600];
    kt_status st = KT_OK;
#define ADD(rule) (st = kt_failures_add(fails, KT_SEVERITY_ERROR, f->name, v->text, rule, msg))
    if (kt_value_empty(v)) {
        if (f->required) {
            snprintf(msg, sizeof msg, "%s is required", f->name);
            st = kt_failures_add(fails, KT_SEVERITY_ERROR, f->name, NULL, "required", msg);
        }
        return st;
    }
    if (v->is_set) return KT_OK;
    if (f->pattern && regexec(&f->regex, v->text, 0, NULL, 0) != 0) {
        snprintf(msg, sizeof msg, "\"%s\" does not match the pattern %s", v->text, f->pattern);
        if (ADD("pattern")) return st;
    }
    if (f->max_length > 0 && kt_text_length(v->text) > (size_t)f->max_length) {
        snprintf(msg, sizeof msg, "\"%.60s%s\" is longer than %ld characters", v->text,
                 strlen(v->text) > 60 ? "..." : "", f->max_length);
        if (ADD("max_length")) return st;
    }
    if (f->min && compare_bound(f, v->text, f->min) < 0) {
        snprintf(msg, sizeof msg, "%s is less than the minimum %s", v->text, f->min);
        if (ADD("min")) return st;
    }
    if (f->max && compare_bound(f, v->text, f->max) > 0) {
        snprintf(msg, sizeof msg, "%s is more than the maximum %s", v->text, f->max);
        if (ADD("max")) return st;
    }
#undef ADD
    /* an id the record's neighbour is also known by would make lookups ambiguous */
    if (!strcmp(f->name, "external_id") &&
        (st = kt_alias_check(ws, f->entity, rec->id, v->text, fails, err)))
        return st;
    if (f->unique) return check_unique(ws, f, rec, v, fails, err);
    return KT_OK;
}

/* A rule that declares a field whose value already failed has nothing to add about it. */
static int names_failed_field(const kt_rule *r, const kt_record *rec, const kt_failures *fails)
{
    for (size_t i = 0; i < r->nfields; i++) {
        if (kt_record_get(rec, r->fields[i])) continue;
        for (size_t j = 0; j < fails->n; j++)
            if (fails->items[j].field && strcmp(fails->items[j].field, r->fields[i]) == 0 &&
                fails->items[j].severity == KT_SEVERITY_ERROR)
                return 1;
    }
    return 0;
}

static kt_status run_rules(kt_ws *ws, const kt_record *rec, kt_failures *fails, kt_error *err)
{
    if (!kt_ws_rule_count(ws)) return KT_OK; /* no rule was ever added */
    kt_door *door;
    kt_status made = kt_door_of(ws, &door, err);
    if (made) return made;
    unsigned long run = ++door->rule_runs;
    for (size_t i = 0; i < kt_ext_count(ws->ext); i++) {
        const kt_ext_entry *e = kt_ext_at(ws->ext, i);
        if (e->kind != KT_EXT_RULE) continue;
        const kt_rule *r = e->item;
        if (strcmp(r->entity, rec->entity) != 0) continue;
        if (names_failed_field(r, rec, fails)) continue;
        int failed = 0;
        char *why = NULL;
        door->rule_run = run; /* again each time: a rule may save, and so run rules, itself */
        kt_status st = r->check(r->ud, ws, rec, &failed, &why, err);
        if (st) {
            kt_free(why);
            /* A rule may trip over a value that already failed its type check: list that with
             * the other failures instead of hiding them behind the script error. */
            if (kt_failures_errors(fails) == 0 || st == KT_NOMEM) return st;
            if (kt_failures_add(fails, KT_SEVERITY_ERROR, NULL, NULL, r->name, err->message))
                return kt_error_set(err, KT_NOMEM, "out of memory");
            kt_error_clear(err);
            continue;
        }
        if (failed) {
            const char *field = r->nfields ? r->fields[0] : NULL;
            const char *value = field ? kt_record_text(rec, field) : NULL;
            const char *m = why ? why : (r->message ? r->message : "the rule failed");
            st = kt_failures_add(fails, r->severity, field, value, r->name, m);
        }
        kt_free(why);
        if (st) return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    return KT_OK;
}

kt_status kt_validate_full(kt_ws *ws, const kt_entity *e, const kt_record *in, kt_record *out,
                           int check_rules, kt_failures *fails, kt_error *err)
{
    for (size_t i = 0; i < in->n; i++) {
        if (!kt_registry_field(kt_ws_registry(ws), e->name, in->names[i])) {
            char msg[600];
            size_t n = (size_t)snprintf(msg, sizeof msg, "%s has no field '%s' (fields: ", e->name,
                                        in->names[i]);
            for (size_t j = 0; j < e->nfields && n < sizeof msg; j++)
                n += (size_t)snprintf(msg + n, sizeof msg - n, "%s%s", j ? ", " : "",
                                      e->fields[j].name);
            if (n < sizeof msg) snprintf(msg + n, sizeof msg - n, ")");
            if (kt_failures_add(fails, KT_SEVERITY_ERROR, in->names[i], NULL, "unknown field", msg))
                return kt_error_set(err, KT_NOMEM, "out of memory");
        }
    }
    for (size_t i = 0; i < e->nfields; i++) {
        const kt_field *f = &e->fields[i];
        const kt_value *raw = kt_record_get(in, f->name);
        kt_value norm;
        int ok = 1;
        kt_status st;
        if (raw)
            st = kt_field_normalise(ws, f, in, raw, &norm, fails, &ok, err);
        else {
            memset(&norm, 0, sizeof norm);
            norm.is_set = f->kind == KT_TYPE_SET;
            st = KT_OK;
        }
        if (st) {
            kt_value_clear(&norm); /* a failing normalise may have filled part of it */
            return st;
        }
        if (ok) st = check_constraints(ws, f, in, &norm, fails, err);
        if (st) {
            kt_value_clear(&norm);
            return st == KT_NOMEM ? kt_error_set(err, KT_NOMEM, "out of memory") : st;
        }
        /* A value that failed its type stays out of the record the rules see: they judge it
         * as absent, and its own failure already says what is wrong with it. */
        if (out && ok) {
            kt_value copy;
            if ((st = kt_value_copy(&copy, &norm, err))) {
                kt_value_clear(&norm);
                return st;
            }
            st = copy.is_set ? kt_record_set_list(out, f->name, (const char *const *)copy.items,
                                                  copy.nitems, err)
                             : kt_record_set(out, f->name, copy.text, err);
            kt_value_clear(&copy);
        }
        kt_value_clear(&norm);
        if (st) return st;
    }
    if (check_rules) {
        const kt_record *subject = out ? out : in;
        return run_rules(ws, subject, fails, err);
    }
    return KT_OK;
}

kt_status kt_validate(kt_ws *ws, const kt_record *rec, int check_rules, kt_failures *failures,
                      kt_error *err)
{
    const kt_entity *e = kt_registry_entity(kt_ws_registry(ws), rec->entity);
    if (!e) return kt_error_set(err, KT_NOTFOUND, "there is no entity '%s'", rec->entity);
    kt_record *out = kt_record_new(rec->entity);
    if (!out) return kt_error_set(err, KT_NOMEM, "out of memory");
    out->id = rec->id;
    kt_status st = kt_validate_full(ws, e, rec, out, check_rules, failures, err);
    kt_record_free(out);
    return st;
}
