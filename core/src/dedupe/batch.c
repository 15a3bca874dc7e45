/* kt dupes: one SELECT, values prepared once, candidate pairs from shared blocking keys (small
 * blocks in full, large ones with a sorted-neighbourhood window: block.c), each pair scored
 * once, then clusters. Near-linear in the records. */
#include <stdlib.h>
#include <string.h>

#include "dedupe/block.h"
#include "dedupe/dd_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/store.h"

/* A key and its row in one word: the row in the low bits, the key's top bits above it. Keys
 * are most of kt dupes' memory at scale (a dozen per record); two hashes that agree in their
 * top 38 bits only merge two blocks, which costs a few more comparisons, never a missed one. */
#define ROW_BITS 26
#define ROW_MASK (((uint64_t)1 << ROW_BITS) - 1)
#define MAX_ROWS ((size_t)ROW_MASK)

typedef struct vec {
    void *p;
    size_t n, cap, size;
} vec;

static int vec_push(vec *v, const void *item)
{
    if (v->n == v->cap) {
        /* growing by half, not double: the peak of a realloc is old + new */
        size_t cap = v->cap ? v->cap + v->cap / 2 : 4096;
        void *np = kt_realloc(v->p, cap * v->size);
        if (!np) return -1;
        v->p = np;
        v->cap = cap;
    }
    memcpy((char *)v->p + v->n * v->size, item, v->size);
    v->n++;
    return 0;
}

static int by_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

typedef struct source {
    const kt_dupes_opts *opts;
    vec side; /* uint8_t per row with --between: 1 batch[0], 2 batch[1] */
} source;

/* Reads the active records: prepared values into t, blocking keys into keys (packed). */
static kt_status load(kt_ws *ws, const kt_dedupe_rule *r, source *src, dd_table *t, vec *keys,
                      kt_error *err)
{
    int between = src->opts->batch[0] && src->opts->batch[1], col = between ? 2 : 1;
    char *sql = NULL;
    kt_status st = dd_rows_sql(r, between ? KT_ROWS_BATCHES : KT_ROWS_ACTIVE, &sql, err);
    if (st) return st;
    kt_stmt *q;
    if ((st = kt_record_rows_prepare(kt_ws_store(ws), sql, "reading records for duplicates", &q,
                                     err))) {
        kt_free(sql);
        return st;
    }
    kt_free(sql);
    if (between) {
        kt_stmt_bind_int(q, 1, src->opts->batch[0]);
        kt_stmt_bind_int(q, 2, src->opts->batch[1]);
    }
    const char **raw = kt_calloc(r->n + 1, sizeof *raw);
    if (!raw) st = kt_error_set(err, KT_NOMEM, "out of memory");
    int rc;
    while (!st && (rc = kt_stmt_step(q)) == KT_STMT_ROW) {
        if ((t->n + 1) % 1024 == 0) kt_ws_progress(ws, "records read", (long)t->n + 1, 0);
        if (t->n >= MAX_ROWS) {
            st =
                kt_error_set(err, KT_INVALID, "more than %zu records to compare at once", MAX_ROWS);
            break;
        }
        for (size_t f = 0; f < r->n; f++)
            raw[f] = kt_stmt_text(q, (int)f + col);
        uint64_t k[DD_MAX_KEYS];
        int nk = dd_record_keys(r, raw, k);
        if (nk < 0) {
            st = kt_error_set(err, KT_NOMEM, "out of memory");
            break;
        }
        uint64_t row = t->n;
        uint8_t side = between && kt_stmt_int(q, 1) == src->opts->batch[1] ? 2 : 1;
        if ((st = dd_table_add(t, kt_stmt_int(q, 0), raw, err))) break;
        if (between && vec_push(&src->side, &side))
            st = kt_error_set(err, KT_NOMEM, "out of memory");
        for (int i = 0; i < nk && !st; i++) {
            uint64_t e = (k[i] & ~ROW_MASK) | row;
            if (vec_push(keys, &e)) st = kt_error_set(err, KT_NOMEM, "out of memory");
        }
    }
    if (!st && rc != KT_STMT_DONE) st = kt_store_fail(kt_ws_store(ws), err, "reading records");
    kt_stmt_free(q);
    kt_free(raw);
    return st;
}

/* The orders a large block is walked in: the values heaviest field first, then the same from
 * the first name field on (the e-mail a copy lacks would part it from its original in the
 * first). NULL sorts last. */
typedef struct orders {
    const dd_table *t;
    const size_t *order; /* fields heaviest first */
    size_t name;         /* where the second order starts in it */
} orders;

static size_t name_first(const kt_dedupe_rule *r, const size_t *order)
{
    for (size_t i = 0; i < r->n; i++) {
        const char *m = r->fields[order[i]].method;
        if (i && (!strcmp(m, "name") || !strcmp(m, "company"))) return i;
    }
    return r->n > 1 ? 1 : 0;
}

static int cmp_from(const orders *o, uint32_t a, uint32_t b, size_t start)
{
    size_t nf = o->t->rule->n;
    const char *const *x = dd_table_row(o->t, a), *const *y = dd_table_row(o->t, b);
    for (size_t i = 0; i < nf; i++) {
        size_t f = o->order[(start + i) % nf];
        if (!x[f] != !y[f]) return x[f] ? -1 : 1;
        int c = x[f] ? strcmp(x[f], y[f]) : 0;
        if (c) return c;
    }
    return a < b ? -1 : a > b;
}

static int cmp_heavy(const void *ctx, uint32_t a, uint32_t b)
{
    return cmp_from(ctx, a, b, 0);
}

static int cmp_name(const void *ctx, uint32_t a, uint32_t b)
{
    const orders *o = ctx;
    return cmp_from(o, a, b, o->name);
}

/* What the walk of the blocks keeps per row: a row walks the window of its smallest large block
 * only (the first of that size in key order). */
typedef struct walker {
    vec *pairs;
    uint32_t *smallest; /* per row: rows in its smallest large block, 0 none */
    uint8_t *walked;    /* per row: it took part in a window already */
    size_t compacted;   /* the pairs' capacity when their repeats were last dropped */
} walker;

/* Sorts the pairs and drops the repeats (a pair shares several keys). */
static void unique(vec *pairs)
{
    uint64_t *p = pairs->p;
    dd_sort_u64(p, pairs->n);
    size_t n = 0;
    for (size_t i = 0; i < pairs->n; i++)
        if (n == 0 || p[n - 1] != p[i]) p[n++] = p[i];
    pairs->n = n;
}

static int push_pair(void *ud, uint32_t a, uint32_t b)
{
    walker *k = ud;
    vec *v = k->pairs;
    /* a quarter of the pairs found are repeats: dropped before the vector grows, they spare
     * the growth (the largest allocation of kt dupes at scale) */
    if (v->n == v->cap && v->n >= ((size_t)1 << 20) && v->cap != k->compacted) {
        unique(v); /* once per size: when too few go, the next push grows it */
        k->compacted = v->cap;
    }
    uint64_t p = (uint64_t)a << 32 | b;
    return vec_push(v, &p);
}

static int joins(void *ud, uint32_t row, size_t n)
{
    walker *k = ud;
    if (k->walked[row] || k->smallest[row] != n) return 0;
    k->walked[row] = 1;
    return 1;
}

/* The rows of the block of keys [i, j) into rows. */
static int gather(const uint64_t *k, size_t i, size_t j, vec *rows)
{
    rows->n = 0;
    for (size_t m = i; m < j; m++) {
        uint32_t row = (uint32_t)(k[m] & ROW_MASK);
        if (vec_push(rows, &row)) return -1;
    }
    return 0;
}

static size_t block_end(const uint64_t *k, size_t i, size_t n)
{
    size_t j = i + 1;
    while (j < n && (k[j] & ~ROW_MASK) == (k[i] & ~ROW_MASK))
        j++;
    return j;
}

/* Every pair sharing a block, once (keys sorted and freed on the way). */
static kt_status candidates(const dd_table *t, const size_t *order, const source *src, vec *keys,
                            vec *pairs, kt_dupe_stats *stats, kt_error *err)
{
    if (keys->n && keys->n < keys->cap) { /* the slack of growing, given back before the pairs */
        void *np = kt_realloc(keys->p, keys->n * keys->size);
        if (np) {
            keys->p = np;
            keys->cap = keys->n;
        }
    }
    uint64_t *k = keys->p;
    dd_sort_u64(k, keys->n);
    orders o = {t, order, name_first(t->rule, order)};
    walker wk = {pairs, kt_calloc(t->n + 1, sizeof *wk.smallest), kt_calloc(t->n + 1, 1), 0};
    dd_walk w = {DD_BLOCK_CAP,
                 KT_DUPE_WINDOW,
                 {cmp_heavy, cmp_name},
                 t->rule->n > 1 ? 2 : 1,
                 &o,
                 src->side.p,
                 push_pair,
                 &wk,
                 joins};
    dd_walk_count c = {0};
    struct {
        size_t blocks, largest;
        uint64_t pairs;
    } per_rule[KT_DEDUPE_MAX_BLOCKING] = {{0}};
    vec rows = {NULL, 0, 0, sizeof(uint32_t)};
    kt_status st = wk.smallest && wk.walked ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
    for (size_t i = 0, j; !st && i < keys->n; i = j) { /* each row's smallest large block */
        j = block_end(k, i, keys->n);
        if (j - i <= DD_BLOCK_CAP) continue;
        if (gather(k, i, j, &rows)) st = kt_error_set(err, KT_NOMEM, "out of memory");
        if (st || dd_block_kind(&w, rows.p, rows.n) != 1) continue;
        for (size_t m = 0; m < rows.n; m++) {
            uint32_t *s = &wk.smallest[((uint32_t *)rows.p)[m]];
            if (!*s || *s > rows.n) *s = (uint32_t)rows.n;
        }
    }
    size_t nrules = t->rule->nblocking;
    for (size_t i = 0, j; !st && i < keys->n; i = j) {
        j = block_end(k, i, keys->n);
        dd_walk_count before = c;
        if (gather(k, i, j, &rows) || dd_block_walk(&w, rows.p, rows.n, &c))
            st = kt_error_set(err, KT_NOMEM, "out of memory");
        size_t rule = DD_RULE_OF(k[i]);
        if (!nrules || !rule || rule > nrules || c.blocks == before.blocks) continue;
        per_rule[rule - 1].blocks++;
        per_rule[rule - 1].pairs += c.pairs - before.pairs;
        if (rows.n > per_rule[rule - 1].largest) per_rule[rule - 1].largest = rows.n;
    }
    kt_free(rows.p);
    kt_free(wk.smallest);
    kt_free(wk.walked);
    *stats = (kt_dupe_stats){.keys = keys->n,
                             .blocks = c.blocks,
                             .blocks_full = c.full,
                             .blocks_window = c.windowed,
                             .window_rows = c.windowed_rows,
                             .largest = c.largest,
                             .window = w.window,
                             .orders = w.ncmp,
                             .pairs_found = (size_t)c.pairs,
                             .bytes_keys = keys->cap * keys->size,
                             .nrules = nrules};
    for (size_t i = 0; i < nrules; i++) {
        stats->rule[i].blocks = per_rule[i].blocks;
        stats->rule[i].largest = per_rule[i].largest;
        stats->rule[i].pairs_found = (size_t)per_rule[i].pairs;
    }
    kt_free(keys->p);
    *keys = (vec){NULL, 0, 0, sizeof(uint64_t)};
    if (st) return st;
    unique(pairs);
    stats->bytes_pairs = pairs->cap * pairs->size;
    return KT_OK;
}

static kt_status keep_compared(const dd_table *t, const vec *pairs, kt_dupes *out, kt_error *err)
{
    const uint64_t *p = pairs->p;
    out->compared = kt_malloc((pairs->n * 2 + 1) * sizeof *out->compared);
    if (!out->compared) return kt_error_set(err, KT_NOMEM, "out of memory");
    for (size_t i = 0; i < pairs->n; i++) {
        out->compared[2 * i] = t->ids[p[i] >> 32];
        out->compared[2 * i + 1] = t->ids[p[i] & 0xffffffffu];
    }
    out->ncompared = pairs->n;
    return KT_OK;
}

/* The records read into t and their candidate pairs, unique and sorted. */
static kt_status blocked(kt_ws *ws, const kt_dedupe_rule *r, const kt_dupes_opts *opts,
                         const size_t *order, dd_table *t, vec *pairs, kt_dupe_stats *stats,
                         kt_error *err)
{
    source src = {opts, {NULL, 0, 0, sizeof(uint8_t)}};
    vec keys = {NULL, 0, 0, sizeof(uint64_t)};
    kt_status st = load(ws, r, &src, t, &keys, err);
    if (!st) st = candidates(t, order, &src, &keys, pairs, stats, err);
    stats->bytes_values = dd_table_bytes(t);
    kt_free(keys.p);
    kt_free(src.side.p);
    return st;
}

kt_status dd_candidates(kt_ws *ws, const kt_dedupe_rule *r, dd_table *t, uint64_t **pairs,
                        size_t *n, kt_error *err)
{
    kt_dupes_opts opts = KT_DUPES_OPTS_INIT;
    kt_dupe_stats stats;
    vec found = {NULL, 0, 0, sizeof(uint64_t)};
    size_t *order = kt_malloc((r->n + 1) * sizeof *order);
    kt_status st = order ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
    if (order) dd_order(r, order);
    if (!st) st = blocked(ws, r, &opts, order, t, &found, &stats, err);
    kt_free(order);
    if (st) kt_free(found.p);
    *pairs = st ? NULL : found.p;
    *n = st ? 0 : found.n;
    return st;
}

kt_status kt_dupes_find_with(kt_ws *ws, const kt_dedupe_rule *r, const kt_dupes_opts *opts,
                             kt_dupes *out, kt_error *err)
{
    memset(out, 0, sizeof *out);
    double threshold = opts->threshold < 0 ? r->threshold : opts->threshold;
    dd_table t;
    dd_table_init(&t, r);
    vec pairs = {NULL, 0, 0, sizeof(uint64_t)}, links = {NULL, 0, 0, sizeof(kt_dupe_pair)};
    uint64_t *distinct = NULL;
    size_t ndistinct = 0;
    size_t *order = kt_malloc((r->n + 1) * sizeof *order);
    kt_status st = order ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
    if (order) dd_order(r, order);
    if (!st) st = blocked(ws, r, opts, order, &t, &pairs, &out->stats, err);
    if (!st && opts->keep_compared) st = keep_compared(&t, &pairs, out, err);
    if (!st) st = dd_distinct_pairs(ws, &t, &distinct, &ndistinct, err);
    const uint64_t *p = pairs.p;
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

kt_status kt_dupes_find(kt_ws *ws, const kt_dedupe_rule *r, double threshold, kt_dupes *out,
                        kt_error *err)
{
    kt_dupes_opts opts = KT_DUPES_OPTS_INIT;
    opts.threshold = threshold;
    return kt_dupes_find_with(ws, r, &opts, out, err);
}

void kt_dupes_clear(kt_dupes *d)
{
    kt_free(d->clusters);
    kt_free(d->pairs);
    kt_free(d->id_store);
    kt_free(d->compared);
    memset(d, 0, sizeof *d);
}
