/* Dedupe rules: kartoteka.lua's `dedupe "entity" { threshold, compare = {...} }`, or the
 * built-in rule of person and company when none is declared. */
#include <stdio.h>
#include <string.h>

#include "dedupe/model.h"
#include "kartoteka/alloc.h"
#include "kartoteka/dedupe.h"
#include "kartoteka/match.h"

typedef struct builtin_field {
    const char *field, *method;
    double weight;
} builtin_field;

/* Weights follow how much a field says about identity: contact details and the name pair most,
 * then the date of birth, the address parts least (households share them). */
static const builtin_field person_rule[] = {
    {"email", "email", 4},     {"mobile", "phone", 4},        {"last_name", "name", 3},
    {"first_name", "name", 2}, {"birth_date", "date", 3},     {"street", "text", 1},
    {"city", "name", 0.5},     {"postal_code", "exact", 0.5}, {NULL, NULL, 0}};

static const builtin_field company_rule[] = {{"tax_id", "exact", 5},  {"name", "company", 4},
                                             {"email", "email", 3},   {"work_phone", "phone", 3},
                                             {"website", "exact", 2}, {"legal_address", "text", 1},
                                             {NULL, NULL, 0}};

void kt_dedupe_rule_free(kt_dedupe_rule *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n; i++) {
        kt_free(r->fields[i].field);
        kt_free(r->fields[i].method);
    }
    kt_free(r->fields);
    kt_free(r->entity);
    dd_model_free(r->model);
    kt_free(r);
}

static kt_status add_field(kt_dedupe_rule *r, const char *field, const char *method, double w,
                           kt_error *err)
{
    kt_dedupe_field *nf = kt_realloc(r->fields, (r->n + 1) * sizeof *nf);
    if (!nf) return kt_error_set(err, KT_NOMEM, "out of memory");
    r->fields = nf;
    nf[r->n].field = kt_strdup(field);
    nf[r->n].method = kt_strdup(method);
    nf[r->n].weight = w;
    r->n++;
    if (!nf[r->n - 1].field || !nf[r->n - 1].method)
        return kt_error_set(err, KT_NOMEM, "out of memory");
    return KT_OK;
}

static void find_pair(kt_dedupe_rule *r)
{
    r->first = r->last = -1;
    for (size_t i = 0; i < r->n; i++) {
        if (strcmp(r->fields[i].method, "name") != 0) continue;
        if (!strcmp(r->fields[i].field, "first_name")) r->first = (int)i;
        if (!strcmp(r->fields[i].field, "last_name")) r->last = (int)i;
    }
    if (r->first < 0 || r->last < 0) r->first = r->last = -1;
}

/* The declaration d (its values as kartoteka.lua gave them) checked and read into r. */
static kt_status read_decl(const kt_ext_dupe *d, const kt_registry *reg, kt_dedupe_rule *r,
                           kt_error *err)
{
    const char *where = d->where;
    if (!d->is_table)
        return kt_error_set(err, KT_INVALID, "%sdedupe \"%s\" needs a table", where, r->entity);
    if (d->threshold) {
        double t = d->threshold;
        if (t <= 0 || t > 1)
            return kt_error_set(err, KT_INVALID, "%sdedupe \"%s\": threshold must be in (0, 1]",
                                where, r->entity);
        r->threshold = t;
    }
    if (d->entry_threshold) {
        double t = d->entry_threshold;
        if (t <= 0 || t > 1)
            return kt_error_set(err, KT_INVALID,
                                "%sdedupe \"%s\": entry_threshold must be in (0, 1]", where,
                                r->entity);
        r->entry_threshold = t;
    }
    if (d->ncompare == 0)
        return kt_error_set(err, KT_INVALID,
                            "%sdedupe \"%s\" needs compare = { {field=..., "
                            "method=..., weight=...}, ... }",
                            where, r->entity);
    kt_status st = KT_OK;
    for (size_t i = 0; !st && i < d->ncompare; i++) {
        const char *f = d->compare[i].field, *m = d->compare[i].method;
        double w = d->compare[i].weight;
        long long at = (long long)i + 1;
        if (!f || !kt_registry_field(reg, r->entity, f))
            st = kt_error_set(err, KT_INVALID,
                              "%sdedupe \"%s\": compare[%lld] names no field "
                              "of %s",
                              where, r->entity, at, r->entity);
        else if (!m || !kt_match_method_known(m))
            st = kt_error_set(err, KT_INVALID,
                              "%sdedupe \"%s\": compare[%lld] (%s): method "
                              "must be exact, email, phone, name, company, date or text",
                              where, r->entity, at, f);
        else if (!(w > 0))
            st = kt_error_set(err, KT_INVALID,
                              "%sdedupe \"%s\": compare[%lld] (%s): weight "
                              "must be a positive number",
                              where, r->entity, at, f);
        else
            st = add_field(r, f, m, w, err);
    }
    return st;
}

/* The declared rule for entity, if any: *found says whether there was one. */
static kt_status declared(kt_ws *ws, kt_dedupe_rule *r, int *found, kt_error *err)
{
    const kt_ext_dupe *d = kt_ext_find(kt_ws_ext(ws), KT_EXT_DUPE, r->entity);
    *found = d != NULL;
    return d ? read_decl(d, kt_ws_registry(ws), r, err) : KT_OK;
}

kt_status kt_dedupe_rule_get(kt_ws *ws, const char *entity, kt_dedupe_rule **out, kt_error *err)
{
    *out = NULL;
    const kt_registry *reg = kt_ws_registry(ws);
    if (!kt_registry_entity(reg, entity))
        return kt_error_set(err, KT_NOTFOUND, "there is no entity '%s'", entity);
    kt_dedupe_rule *r = kt_calloc(1, sizeof *r);
    if (!r || !(r->entity = kt_strdup(entity))) {
        kt_free(r);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    r->threshold = KT_DEDUPE_THRESHOLD;
    int found = 0;
    kt_status st = declared(ws, r, &found, err);
    if (!st && r->entry_threshold == 0)
        r->entry_threshold =
            r->threshold > KT_DEDUPE_ENTRY_THRESHOLD ? r->threshold : KT_DEDUPE_ENTRY_THRESHOLD;
    if (!st && !found) {
        const builtin_field *b = !strcmp(entity, "person")    ? person_rule
                                 : !strcmp(entity, "company") ? company_rule
                                                              : NULL;
        if (!b)
            st = kt_error_set(err, KT_NOTFOUND,
                              "no duplicate rule for %s: declare dedupe \"%s\" { compare = "
                              "{...} } in kartoteka.lua",
                              entity, entity);
        r->builtin = 1;
        for (; !st && b && b->field; b++)
            if (kt_registry_field(reg, entity, b->field))
                st = add_field(r, b->field, b->method, b->weight, err);
    }
    if (!st) find_pair(r);
    if (!st) st = dd_model_load(ws, r, &r->model, err);
    if (st) {
        kt_dedupe_rule_free(r);
        return st;
    }
    *out = r;
    return KT_OK;
}
