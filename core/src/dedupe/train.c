/* kt dupes train: the model of an entity's rule learned from its own records, no labels needed.
 * u from random pairs (a fixed seed, so the same records give the same model), m and the prior
 * by EM over the pairs kt dupes compares (its blocking), value frequencies from every record.
 * Labels are certain: a pair declared distinct (kt dupes --not, a review's "n") is left out as a
 * non-match, one labelled the same (a review's "y") is a match whatever EM makes of it, and is
 * fitted on even when blocking never pairs it. */
#include <stdlib.h>
#include <string.h>

#include "dedupe/dd_int.h"
#include "dedupe/model.h"
#include "kartoteka/alloc.h"
#include "kartoteka/store.h"

#define RANDOM_PAIRS 200000
#define EM_PAIRS 2000000 /* more candidate pairs are sampled down to these */
#define EM_ITERATIONS 200
#define SEED 0x6b742d647570ULL

static uint64_t next(uint64_t *s) /* splitmix64 */
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int by_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The frequencies of field f's values: the counts of those two records or more hold. */
static kt_status count_values(const dd_table *t, size_t f, dd_tf *tf, kt_error *err)
{
    uint64_t *h = kt_malloc((t->n + 1) * sizeof *h);
    if (!h) return kt_error_set(err, KT_NOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++) {
        const char *v = dd_table_row(t, i)[f];
        if (v && *v) h[n++] = dd_hash(v, 0);
    }
    if (n) qsort(h, n, sizeof *h, by_u64);
    tf->filled = n;
    size_t common = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && h[j] == h[i])
            j++;
        common += j - i >= 2;
        i = j;
    }
    tf->hash = kt_malloc((common + 1) * sizeof *tf->hash);
    tf->count = kt_malloc((common + 1) * sizeof *tf->count);
    if (!tf->hash || !tf->count) {
        kt_free(h);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && h[j] == h[i])
            j++;
        if (j - i >= 2) {
            tf->hash[tf->n] = h[i];
            tf->count[tf->n++] = (uint32_t)(j - i);
        }
        i = j;
    }
    kt_free(h);
    return KT_OK;
}

static void levels_of(const kt_dedupe_rule *r, const dd_table *t, size_t a, size_t b,
                      signed char *out)
{
    int l[64];
    dd_pair_levels(r, dd_table_row(t, a), dd_table_row(t, b), l);
    for (size_t f = 0; f < r->n; f++)
        out[f] = (signed char)l[f];
}

/* u from RANDOM_PAIRS random pairs, or every pair of a small entity. */
static kt_status estimate_u(const kt_dedupe_rule *r, const dd_table *t, dd_model *m, kt_error *err)
{
    double all = (double)t->n * (double)(t->n - 1) / 2;
    size_t k = all < RANDOM_PAIRS ? (size_t)all : RANDOM_PAIRS;
    signed char *lv = kt_malloc((k + 1) * r->n);
    double *u = kt_malloc(r->n * DD_LEVELS * sizeof *u);
    if (!lv || !u) {
        kt_free(lv);
        kt_free(u);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    uint64_t seed = SEED;
    size_t p = 0;
    for (size_t a = 0; k == (size_t)all && a < t->n; a++)
        for (size_t b = a + 1; b < t->n; b++)
            levels_of(r, t, a, b, lv + r->n * p++);
    while (p < k) {
        size_t a = (size_t)(next(&seed) % t->n), b = (size_t)(next(&seed) % t->n);
        if (a != b) levels_of(r, t, a, b, lv + r->n * p++);
    }
    dd_em_u(lv, k, r->n, u);
    for (size_t f = 0; f < r->n; f++)
        memcpy(m->f[f].u, u + f * DD_LEVELS, sizeof m->f[f].u);
    m->random_pairs = (long long)k;
    kt_free(lv);
    kt_free(u);
    return KT_OK;
}

/* m by EM over the candidate pairs (every step-th one when there are too many); lambda, the
 * probability that two records picked at random match, from the matches EM expects among them.
 * A field no candidate pair has on both sides says nothing: m = u. */
static kt_status estimate_m(kt_ws *ws, const kt_dedupe_rule *r, const dd_table *t,
                            const uint64_t *pairs, size_t np, dd_model *m, kt_error *err)
{
    uint64_t *distinct = NULL, *same = NULL;
    size_t ndistinct = 0, nsame = 0;
    kt_status st = dd_distinct_pairs(ws, t, &distinct, &ndistinct, err);
    if (!st) st = dd_same_pairs(ws, t, &same, &nsame, err);
    if (st) {
        kt_free(distinct);
        return st;
    }
    size_t step = np > EM_PAIRS ? np / EM_PAIRS + 1 : 1, k = (np + step - 1) / step, known = 0;
    signed char *lv = kt_malloc((k + nsame + 1) * r->n);
    unsigned char *non = kt_calloc(k + nsame + 1, 1);
    size_t *seen = kt_calloc(r->n + 1, sizeof *seen);
    double *mm = kt_malloc(r->n * DD_LEVELS * sizeof *mm),
           *u = kt_malloc(r->n * DD_LEVELS * sizeof *u);
    if (!lv || !non || !seen || !mm || !u) st = kt_error_set(err, KT_NOMEM, "out of memory");
    size_t p = 0;
    for (size_t i = 0; !st && i < np; i += step) {
        if (p % 4096 == 0) kt_ws_progress(ws, "pairs compared", (long)p, (long)k);
        if (nsame && bsearch(&pairs[i], same, nsame, sizeof *same, by_u64)) continue;
        levels_of(r, t, (size_t)(pairs[i] >> 32), (size_t)(pairs[i] & 0xffffffffu), lv + r->n * p);
        non[p] = ndistinct && bsearch(&pairs[i], distinct, ndistinct, sizeof *distinct, by_u64)
                     ? DD_KNOWN_NON
                     : DD_KNOWN_NONE;
        known += non[p] == DD_KNOWN_NON;
        p++;
    }
    for (size_t i = 0; !st && i < nsame; i++, p++) {
        levels_of(r, t, (size_t)(same[i] >> 32), (size_t)(same[i] & 0xffffffffu), lv + r->n * p);
        non[p] = DD_KNOWN_MATCH;
    }
    k = p;
    for (size_t i = 0; !st && i < k; i++)
        for (size_t f = 0; f < r->n; f++)
            seen[f] += lv[r->n * i + f] != DD_MISSING;
    for (size_t f = 0; !st && f < r->n; f++) {
        static const double start[DD_LEVELS] = {0.05, 0.15, 0.8};
        memcpy(mm + f * DD_LEVELS, start, sizeof start);
        memcpy(u + f * DD_LEVELS, m->f[f].u, sizeof m->f[f].u);
    }
    double share = 0.1;
    int it = st ? 0 : dd_em_fit(lv, non, k, r->n, mm, u, &share, EM_ITERATIONS);
    if (!st && it < 0) st = kt_error_set(err, KT_NOMEM, "out of memory");
    for (size_t f = 0; !st && f < r->n; f++)
        memcpy(m->f[f].m, seen[f] ? mm + f * DD_LEVELS : m->f[f].u, sizeof m->f[f].m);
    double all = (double)t->n * (double)(t->n - 1) / 2;
    m->lambda = share * (double)(k - known) * (double)step / all;
    m->iterations = it;
    m->pairs = (long long)k;
    m->labels_same = (long long)nsame;
    m->labels_distinct = (long long)known;
    kt_free(distinct);
    kt_free(same);
    kt_free(lv);
    kt_free(non);
    kt_free(seen);
    kt_free(mm);
    kt_free(u);
    return st;
}

kt_status kt_dupes_train(kt_ws *ws, const char *entity, kt_dupe_train_report *out, kt_error *err)
{
    memset(out, 0, sizeof *out);
    kt_dedupe_rule *r = NULL;
    kt_status st = kt_dedupe_rule_get(ws, entity, &r, err);
    if (st) return st;
    if (r->n > 32) {
        kt_dedupe_rule_free(r);
        return kt_error_set(err, KT_INVALID, "dedupe \"%s\": a model holds 32 fields at most",
                            entity);
    }
    dd_table t;
    dd_table_init(&t, r);
    uint64_t *pairs = NULL;
    size_t np = 0;
    dd_model *m = dd_model_new(r->n);
    if (!m) st = kt_error_set(err, KT_NOMEM, "out of memory");
    if (!st) st = dd_candidates(ws, r, &t, &pairs, &np, err);
    if (!st && (t.n < 2 || np == 0))
        st = kt_error_set(err, KT_USAGE,
                          "%zu %s records and %zu candidate pairs: too few to learn from", t.n,
                          entity, np);
    for (size_t f = 0; !st && f < r->n; f++)
        st = count_values(&t, f, &m->f[f].tf, err);
    if (!st) st = estimate_u(r, &t, m, err);
    if (!st) st = estimate_m(ws, r, &t, pairs, np, m, err);
    if (!st) {
        kt_store_now(m->trained_at);
        m->records = (long long)t.n;
        dd_model_finish(m);
        st = dd_model_store(ws, r, m, err);
    }
    if (!st) {
        out->records = t.n;
        out->pairs = (size_t)m->pairs;
        out->random_pairs = (size_t)m->random_pairs;
        out->iterations = m->iterations;
        out->lambda = m->lambda;
        out->labels_same = (size_t)m->labels_same;
        out->labels_distinct = (size_t)m->labels_distinct;
    }
    kt_free(pairs);
    dd_table_free(&t);
    dd_model_free(m);
    kt_dedupe_rule_free(r);
    return st;
}
