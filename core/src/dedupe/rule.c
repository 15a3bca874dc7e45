/* Dedupe rules: kartoteka.lua's `dedupe "entity" { threshold, compare = {...}, blocking =
 * {...} }`, or the
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
    for (size_t i = 0; i < r->nblocking; i++)
        kt_free(r->blocking[i].name);
    kt_free(r->blocking);
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

/* One part of a blocking rule, "field" or "field:how", into b's next slot; NULL, or what is
 * wrong with it. */
static const char *block_part(const kt_dedupe_rule *r, const char *text, kt_dedupe_block *b)
{
    static const struct {
        const char *name;
        kt_dedupe_block_how how;
    } hows[] = {{"soundex", KT_BLOCK_SOUNDEX},
                {"prefix", KT_BLOCK_PREFIX},
                {"year", KT_BLOCK_YEAR},
                {"keys", KT_BLOCK_KEYS}};
    if (!text) return "a part is not a string";
    const char *colon = strchr(text, ':');
    size_t len = colon ? (size_t)(colon - text) : strlen(text);
    long f = -1;
    for (size_t i = 0; i < r->n && f < 0; i++)
        if (strlen(r->fields[i].field) == len && !strncmp(r->fields[i].field, text, len))
            f = (long)i;
    if (f < 0) return "names no field the rule compares";
    kt_dedupe_block_how how = KT_BLOCK_VALUE;
    int known = !colon;
    for (size_t i = 0; colon && i < sizeof hows / sizeof *hows; i++)
        if (!strcmp(colon + 1, hows[i].name)) {
            how = hows[i].how;
            known = 1;
        }
    if (!known) return "the part after ':' must be soundex, prefix, year or keys";
    const char *m = r->fields[f].method;
    int words = !strcmp(m, "name") || !strcmp(m, "company");
    if ((how == KT_BLOCK_SOUNDEX || how == KT_BLOCK_PREFIX) && !words)
        return "soundex and prefix are for fields compared by name or company";
    if (how == KT_BLOCK_YEAR && strcmp(m, "date") != 0)
        return "year is for fields compared by date";
    b->field[b->n] = (size_t)f;
    b->how[b->n++] = how;
    return NULL;
}

/* blocking = { {"last_name:soundex", "birth_date:year"}, {"phone"} }: checked into r. */
static kt_status read_blocking(const kt_ext_dupe *d, kt_dedupe_rule *r, kt_error *err)
{
    const char *where = d->where;
    if (!d->nblocking || d->nblocking > KT_DEDUPE_MAX_BLOCKING)
        return kt_error_set(err, KT_INVALID,
                            "%sdedupe \"%s\": blocking is a list of 1 to %d rules, each a list "
                            "of fields: blocking = { {\"last_name:soundex\", \"birth_date:year\"}, "
                            "{\"phone\"} }",
                            where, r->entity, KT_DEDUPE_MAX_BLOCKING);
    if (!(r->blocking = kt_calloc(d->nblocking, sizeof *r->blocking)))
        return kt_error_set(err, KT_NOMEM, "out of memory");
    for (size_t i = 0; i < d->nblocking; i++) {
        const kt_ext_blocking *e = &d->blocking[i];
        kt_dedupe_block *b = &r->blocking[r->nblocking++];
        long long at = (long long)i + 1;
        if (!e->n || e->n > KT_DEDUPE_BLOCK_PARTS)
            return kt_error_set(err, KT_INVALID,
                                "%sdedupe \"%s\": blocking[%lld] lists 1 to %d fields", where,
                                r->entity, at, KT_DEDUPE_BLOCK_PARTS);
        size_t len = 1;
        for (size_t j = 0; j < e->n; j++) {
            const char *why = block_part(r, e->parts[j], b);
            if (why)
                return kt_error_set(err, KT_INVALID, "%sdedupe \"%s\": blocking[%lld] (%s): %s",
                                    where, r->entity, at, e->parts[j] ? e->parts[j] : "?", why);
            len += strlen(e->parts[j]) + 3;
        }
        if (!(b->name = kt_malloc(len))) return kt_error_set(err, KT_NOMEM, "out of memory");
        b->name[0] = '\0';
        for (size_t j = 0; j < e->n; j++) {
            if (j) strcat(b->name, " + ");
            strcat(b->name, e->parts[j]);
        }
    }
    return KT_OK;
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
    if (!st && d->blocking_given) st = read_blocking(d, r, err);
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
