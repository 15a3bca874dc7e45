/* --explain: what each compared field of a pair contributed, so a match is never opaque. */
#include <string.h>

#include "dedupe/dd_int.h"
#include "dedupe/model.h"
#include "kartoteka/alloc.h"
#include "kartoteka/match.h"
#include "kartoteka/query.h"

void kt_dedupe_explain_clear(kt_dedupe_explain *e)
{
    for (size_t i = 0; i < e->n; i++) {
        kt_free(e->parts[i].a);
        kt_free(e->parts[i].b);
    }
    kt_free(e->parts);
    memset(e, 0, sizeof *e);
}

static void free_prepared(char **p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        kt_free(p[i]);
    kt_free(p);
}

/* The record's values: raw (as stored) and prepared for the rule's methods. */
static kt_status values(const kt_dedupe_rule *r, const kt_record *rec, char **raw, char **prep,
                        kt_error *err)
{
    for (size_t f = 0; f < r->n; f++) {
        const kt_value *v = kt_record_get(rec, r->fields[f].field);
        raw[f] = kt_value_empty(v) ? NULL : kt_value_to_text(v);
        kt_status st = kt_match_prepare(r->fields[f].method, raw[f], &prep[f], err);
        if (st) return st;
    }
    return KT_OK;
}

kt_status kt_dedupe_explain_pair(kt_ws *ws, const kt_dedupe_rule *r, kt_id a, kt_id b,
                                 kt_dedupe_explain *out, kt_error *err)
{
    memset(out, 0, sizeof *out);
    kt_record *ra = NULL, *rb = NULL;
    char **raw_a = kt_calloc(r->n + 1, sizeof(char *)),
         **raw_b = kt_calloc(r->n + 1, sizeof(char *));
    char **pa = kt_calloc(r->n + 1, sizeof(char *)), **pb = kt_calloc(r->n + 1, sizeof(char *));
    double *parts = kt_calloc(r->n + 1, sizeof *parts);
    out->parts = kt_calloc(r->n + 1, sizeof *out->parts);
    kt_status st = KT_OK;
    if (!raw_a || !raw_b || !pa || !pb || !parts || !out->parts) {
        st = kt_error_set(err, KT_NOMEM, "out of memory");
        goto out;
    }
    if ((st = kt_get(ws, a, &ra, err)) || (st = kt_get(ws, b, &rb, err))) goto out;
    if (strcmp(ra->entity, r->entity) || strcmp(rb->entity, r->entity)) {
        st = kt_error_set(err, KT_USAGE, "records %lld and %lld are not both %s records", a, b,
                          r->entity);
        goto out;
    }
    if ((st = values(r, ra, raw_a, pa, err)) || (st = values(r, rb, raw_b, pb, err))) goto out;
    out->a = a;
    out->b = b;
    out->score = dd_score(r, (const char *const *)pa, (const char *const *)pb, parts);
    out->distinct = kt_dupes_is_distinct(ws, a, b);
    double den = 0;
    for (size_t f = 0; f < r->n; f++)
        if (parts[f] >= 0) den += r->fields[f].weight;
    out->trained = r->model != NULL;
    for (size_t f = 0; f < r->n; f++) {
        kt_dedupe_part *p = &out->parts[out->n++];
        p->field = r->fields[f].field;
        p->method = r->fields[f].method;
        p->a = raw_a[f];
        p->b = raw_b[f];
        raw_a[f] = raw_b[f] = NULL;
        p->score = parts[f];
        p->weight = r->fields[f].weight;
        p->contribution = parts[f] >= 0 && den > 0 ? p->weight * parts[f] / den : 0;
        p->level = -1;
        if (r->model)
            p->contribution =
                dd_model_field_bits(r, r->model, f, parts[f], pa[f], pb[f], &p->level);
    }
out:
    if (raw_a) free_prepared(raw_a, r->n);
    if (raw_b) free_prepared(raw_b, r->n);
    if (pa) free_prepared(pa, r->n);
    if (pb) free_prepared(pb, r->n);
    kt_free(parts);
    kt_record_free(ra);
    kt_record_free(rb);
    if (st) kt_dedupe_explain_clear(out);
    return st;
}
