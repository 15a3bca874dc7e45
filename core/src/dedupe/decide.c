/* Decisions that two records are different: kept in kt_dupe_distinct (a < b), honoured by
 * kt dupes and by the on-entry check. */
#include <stdlib.h>
#include <string.h>

#include "dedupe/dd_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/query.h"
#include "kartoteka/store.h"

kt_status kt_dupes_distinct(kt_ws *ws, kt_id a, kt_id b, kt_error *err)
{
    return kt_dupes_label(ws, a, b, KT_DUPE_DISTINCT, "cli", err);
}

int kt_dupes_is_distinct(kt_ws *ws, kt_id a, kt_id b)
{
    if (a > b) {
        kt_id t = a;
        a = b;
        b = t;
    }
    return dd_distinct_has(kt_ws_store(ws), a, b);
}

static int by_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The table's rows of the distinct pairs whose records both are in it. */
typedef struct rows {
    const dd_table *t;
    uint64_t **out;
    size_t *n, cap;
} rows;

static kt_status add_pair(void *ud, kt_id a, kt_id b, double score, kt_error *err)
{
    rows *x = ud;
    (void)score;
    long ra = dd_table_find(x->t, a), rb = dd_table_find(x->t, b);
    if (ra < 0 || rb < 0) return KT_OK;
    if (*x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 64;
        uint64_t *np = kt_realloc(*x->out, x->cap * sizeof *np);
        if (!np) return kt_error_set(err, KT_NOMEM, "out of memory");
        *x->out = np;
    }
    (*x->out)[(*x->n)++] = (uint64_t)ra << 32 | (uint64_t)rb; /* ids ascending, so ra < rb */
    return KT_OK;
}

/* The pairs a label table's owner reads out (each) that t holds both records of. */
static kt_status label_rows(kt_ws *ws, const dd_table *t,
                            kt_status (*each)(kt_store *, dd_stored_pair_fn, void *, kt_error *),
                            uint64_t **out, size_t *n, kt_error *err)
{
    *out = NULL;
    *n = 0;
    rows x = {t, out, n, 0};
    kt_status st = each(kt_ws_store(ws), add_pair, &x, err);
    if (st) return st;
    if (*n) qsort(*out, *n, sizeof **out, by_u64);
    return KT_OK;
}

kt_status dd_distinct_pairs(kt_ws *ws, const dd_table *t, uint64_t **out, size_t *n, kt_error *err)
{
    return label_rows(ws, t, dd_distinct_each, out, n, err);
}

kt_status dd_same_pairs(kt_ws *ws, const dd_table *t, uint64_t **out, size_t *n, kt_error *err)
{
    return label_rows(ws, t, dd_same_each, out, n, err);
}
