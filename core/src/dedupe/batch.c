/* kt dupes: one SELECT, values prepared once, candidate pairs from shared blocking keys
 * (capped blocks), each pair scored once, then clusters. Near-linear in the records. */
#include <stdlib.h>
#include <string.h>

#include "dedupe/dd_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/store.h"

typedef struct keyed {
    uint64_t key;
    uint32_t row;
} keyed;

typedef struct vec {
    void *p;
    size_t n, cap, size;
} vec;

static int vec_push(vec *v, const void *item)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 4096;
        void *np = kt_realloc(v->p, cap * v->size);
        if (!np) return -1;
        v->p = np;
        v->cap = cap;
    }
    memcpy((char *)v->p + v->n * v->size, item, v->size);
    v->n++;
    return 0;
}

static int by_key(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

static int by_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Reads the active records: prepared values into t, blocking keys into keys. */
static kt_status load(kt_ws *ws, const kt_dedupe_rule *r, dd_table *t, vec *keys, kt_error *err)
{
    char *sql = NULL;
    kt_status st = dd_select_sql(r, NULL, &sql, err);
    if (st) return st;
    sqlite3_stmt *q;
    if ((st = kt_store_prepare_new(kt_ws_store(ws), sql, "reading records for duplicates", &q,
                                   err))) {
        kt_free(sql);
        return st;
    }
    kt_free(sql);
    const char **raw = kt_calloc(r->n + 1, sizeof *raw);
    if (!raw) st = kt_error_set(err, KT_NOMEM, "out of memory");
    int rc;
    while (!st && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        if ((t->n + 1) % 1024 == 0) kt_ws_progress(ws, "records read", (long)t->n + 1, 0);
        for (size_t f = 0; f < r->n; f++)
            raw[f] = (const char *)sqlite3_column_text(q, (int)f + 1);
        uint64_t k[DD_MAX_KEYS];
        int nk = dd_record_keys(r, raw, k);
        if (nk < 0) {
            st = kt_error_set(err, KT_NOMEM, "out of memory");
            break;
        }
        uint32_t row = (uint32_t)t->n;
        if ((st = dd_table_add(t, sqlite3_column_int64(q, 0), raw, err))) break;
        for (int i = 0; i < nk && !st; i++) {
            keyed e = {k[i], row};
            if (vec_push(keys, &e)) st = kt_error_set(err, KT_NOMEM, "out of memory");
        }
    }
    if (!st && rc != SQLITE_DONE) st = kt_store_fail(kt_ws_store(ws), err, "reading records");
    sqlite3_finalize(q);
    kt_free(raw);
    return st;
}

/* Every pair sharing a block of at most DD_BLOCK_CAP records, once. */
static kt_status candidates(vec *keys, vec *pairs, kt_error *err)
{
    keyed *k = keys->p;
    if (keys->n) qsort(k, keys->n, sizeof *k, by_key);
    for (size_t i = 0; i < keys->n;) {
        size_t j = i + 1;
        while (j < keys->n && k[j].key == k[i].key)
            j++;
        if (j - i >= 2 && j - i <= DD_BLOCK_CAP)
            for (size_t a = i; a < j; a++)
                for (size_t b = a + 1; b < j; b++) {
                    uint64_t p = (uint64_t)k[a].row << 32 | k[b].row;
                    if (vec_push(pairs, &p)) return kt_error_set(err, KT_NOMEM, "out of memory");
                }
        i = j;
    }
    uint64_t *p = pairs->p;
    if (pairs->n) qsort(p, pairs->n, sizeof *p, by_u64);
    size_t w = 0;
    for (size_t i = 0; i < pairs->n; i++)
        if (w == 0 || p[w - 1] != p[i]) p[w++] = p[i];
    pairs->n = w;
    return KT_OK;
}

kt_status dd_candidates(kt_ws *ws, const kt_dedupe_rule *r, dd_table *t, uint64_t **pairs,
                        size_t *n, kt_error *err)
{
    vec keys = {NULL, 0, 0, sizeof(keyed)}, found = {NULL, 0, 0, sizeof(uint64_t)};
    kt_status st = load(ws, r, t, &keys, err);
    if (!st) st = candidates(&keys, &found, err);
    kt_free(keys.p);
    *pairs = found.p;
    *n = found.n;
    return st;
}

kt_status kt_dupes_find(kt_ws *ws, const kt_dedupe_rule *r, double threshold, kt_dupes *out,
                        kt_error *err)
{
    memset(out, 0, sizeof *out);
    if (threshold < 0) threshold = r->threshold;
    dd_table t;
    dd_table_init(&t, r);
    vec pairs = {NULL, 0, 0, sizeof(uint64_t)};
    vec links = {NULL, 0, 0, sizeof(kt_dupe_pair)};
    uint64_t *distinct = NULL;
    size_t ndistinct = 0;
    uint64_t *found = NULL;
    kt_status st = dd_candidates(ws, r, &t, &found, &pairs.n, err);
    pairs.p = found;
    if (!st) st = dd_distinct_pairs(ws, &t, &distinct, &ndistinct, err);
    const uint64_t *p = pairs.p;
    size_t *order = st ? NULL : kt_malloc((r->n + 1) * sizeof *order);
    if (!st && !order) st = kt_error_set(err, KT_NOMEM, "out of memory");
    if (order) dd_order(r, order);
    for (size_t i = 0; !st && i < pairs.n; i++) {
        if (i % 4096 == 0) kt_ws_progress(ws, "pairs scored", (long)i, (long)pairs.n);
        size_t a = (size_t)(p[i] >> 32), b = (size_t)(p[i] & 0xffffffffu);
        double s = dd_score_cut(r, order, dd_table_row(&t, a), dd_table_row(&t, b), threshold);
        if (s < threshold) continue;
        if (ndistinct && bsearch(&p[i], distinct, ndistinct, sizeof *distinct, by_u64)) continue;
        kt_dupe_pair l = {(kt_id)a, (kt_id)b, s}; /* table rows until clustering maps them */
        if (vec_push(&links, &l)) st = kt_error_set(err, KT_NOMEM, "out of memory");
    }
    out->candidates = pairs.n;
    out->records = t.n;
    kt_free(order);
    kt_free(pairs.p);
    if (!st)
        st = dd_cluster(&t, links.p, links.n, threshold - DD_SUPPORT_MARGIN, distinct, ndistinct,
                        out, err);
    kt_free(links.p);
    kt_free(distinct);
    dd_table_free(&t);
    if (st) kt_dupes_clear(out);
    return st;
}

void kt_dupes_clear(kt_dupes *d)
{
    kt_free(d->clusters);
    kt_free(d->pairs);
    kt_free(d->id_store);
    memset(d, 0, sizeof *d);
}
