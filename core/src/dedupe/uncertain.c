/* Active learning (kt dupes review): the pairs the model is least sure of, where a person's
 * answer teaches it most. Every candidate pair kt dupes compares is scored in full (no cut at
 * the threshold: the uncertain band lies below it), with the pairs queued for review. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dedupe/dd_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/auth.h"

static int by_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int nearest_half(const void *x, const void *y)
{
    const kt_dupe_pair *a = x, *b = y;
    double da = fabs(a->score - 0.5), db = fabs(b->score - 0.5);
    if (da != db) return da < db ? -1 : 1;
    if (a->a != b->a) return a->a < b->a ? -1 : 1;
    return (a->b > b->b) - (a->b < b->b);
}

/* The candidate pairs with the queued ones among them (as table rows), sorted and unique. */
static kt_status with_queued(kt_ws *ws, const dd_table *t, uint64_t **pairs, size_t *np,
                             kt_error *err)
{
    kt_dupe_pair *q = NULL;
    size_t nq = 0;
    kt_status st = kt_dupes_queued(ws, t->rule->entity, &q, &nq, err);
    if (st || !nq) return st;
    uint64_t *all = kt_realloc(*pairs, (*np + nq) * sizeof *all);
    if (!all) {
        kt_free(q);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    *pairs = all;
    for (size_t i = 0; i < nq; i++) {
        long ra = dd_table_find(t, q[i].a), rb = dd_table_find(t, q[i].b);
        if (ra >= 0 && rb >= 0) all[(*np)++] = (uint64_t)ra << 32 | (uint64_t)rb;
    }
    kt_free(q);
    qsort(all, *np, sizeof *all, by_u64);
    size_t w = 0;
    for (size_t i = 0; i < *np; i++)
        if (!w || all[w - 1] != all[i]) all[w++] = all[i];
    *np = w;
    return KT_OK;
}

kt_status kt_dupes_uncertain(kt_ws *ws, const kt_dedupe_rule *r, size_t max, kt_dupe_pair **out,
                             size_t *n, kt_error *err)
{
    *out = NULL;
    *n = 0;
    dd_table t;
    dd_table_init(&t, r);
    uint64_t *pairs = NULL, *distinct = NULL, *same = NULL;
    size_t np = 0, nd = 0, ns = 0;
    kt_status st = dd_candidates(ws, r, &t, &pairs, &np, err);
    if (!st) st = with_queued(ws, &t, &pairs, &np, err);
    if (!st) st = dd_distinct_pairs(ws, &t, &distinct, &nd, err);
    if (!st) st = dd_same_pairs(ws, &t, &same, &ns, err);
    kt_dupe_pair *found = st ? NULL : kt_malloc((np + 1) * sizeof *found);
    if (!st && !found) st = kt_error_set(err, KT_NOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; !st && i < np; i++) {
        if (i % 4096 == 0) kt_ws_progress(ws, "pairs scored", (long)i, (long)np);
        if ((nd && bsearch(&pairs[i], distinct, nd, sizeof *distinct, by_u64)) ||
            (ns && bsearch(&pairs[i], same, ns, sizeof *same, by_u64)))
            continue;
        size_t a = (size_t)(pairs[i] >> 32), b = (size_t)(pairs[i] & 0xffffffffu);
        double s = dd_score(r, dd_table_row(&t, a), dd_table_row(&t, b), NULL);
        if (s >= 0) found[k++] = (kt_dupe_pair){t.ids[a], t.ids[b], s};
    }
    if (!st && k) qsort(found, k, sizeof *found, nearest_half);
    kt_free(pairs);
    kt_free(distinct);
    kt_free(same);
    dd_table_free(&t);
    if (st) {
        kt_free(found);
        return st;
    }
    *out = found;
    *n = max && k > max ? max : k;
    return KT_OK;
}

static int is_queued(const kt_dupe_pair *q, size_t nq, kt_id a, kt_id b)
{
    for (size_t i = 0; i < nq; i++)
        if (q[i].a == a && q[i].b == b) return 1;
    return 0;
}

void kt_dupes_review_free(kt_dupe_review *items, size_t n)
{
    for (size_t i = 0; items && i < n; i++)
        kt_dedupe_explain_clear(&items[i].why);
    kt_free(items);
}

kt_status kt_dupes_review_list(kt_ws *ws, const kt_dedupe_rule *r, size_t max, kt_dupe_review **out,
                               size_t *n, kt_error *err)
{
    *out = NULL;
    *n = 0;
    kt_dupe_pair *p = NULL, *q = NULL;
    size_t np = 0, nq = 0;
    kt_status st = kt_dupes_uncertain(ws, r, max, &p, &np, err);
    if (!st) st = kt_dupes_queued(ws, r->entity, &q, &nq, err);
    kt_dupe_review *items = st ? NULL : kt_calloc(np + 1, sizeof *items);
    if (!st && !items) st = kt_error_set(err, KT_NOMEM, "out of memory");
    size_t k = 0;
    for (; !st && k < np; k++) {
        st = kt_dedupe_explain_pair(ws, r, p[k].a, p[k].b, &items[k].why, err);
        items[k].queued = is_queued(q, nq, p[k].a, p[k].b);
        /* the values go to a person (the API, the web): their reading is logged as a card's */
        for (size_t f = 0; !st && f < items[k].why.n; f++) {
            const kt_dedupe_part *x = &items[k].why.parts[f];
            if (x->a) kt_pii_access_note(ws, r->entity, p[k].a, x->field);
            if (x->b) kt_pii_access_note(ws, r->entity, p[k].b, x->field);
        }
    }
    kt_free(p);
    kt_free(q);
    if (st) {
        kt_dupes_review_free(items, k);
        return st;
    }
    *out = items;
    *n = np;
    return KT_OK;
}
