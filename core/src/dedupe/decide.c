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
    if (a == b) return kt_error_set(err, KT_USAGE, "a record is not distinct from itself");
    if (a > b) {
        kt_id t = a;
        a = b;
        b = t;
    }
    char ea[64], eb[64];
    kt_status st = kt_ws_entity_of(ws, a, ea, sizeof ea, err);
    if (!st) st = kt_ws_entity_of(ws, b, eb, sizeof eb, err);
    if (st) return st;
    if (strcmp(ea, eb) != 0)
        return kt_error_set(err, KT_USAGE, "record %lld is a %s and %lld a %s: never duplicates", a,
                            ea, b, eb);
    char now[32];
    kt_store_now(now);
    return dd_distinct_put(kt_ws_store(ws), a, b, now, err);
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

static long row_of(const dd_table *t, kt_id id)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < t->n && t->ids[lo] == id ? (long)lo : -1;
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
    long ra = row_of(x->t, a), rb = row_of(x->t, b);
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

kt_status dd_distinct_pairs(kt_ws *ws, const dd_table *t, uint64_t **out, size_t *n, kt_error *err)
{
    *out = NULL;
    *n = 0;
    rows x = {t, out, n, 0};
    kt_status st = dd_distinct_each(kt_ws_store(ws), add_pair, &x, err);
    if (st) return st;
    if (*n) qsort(*out, *n, sizeof **out, by_u64);
    return KT_OK;
}
