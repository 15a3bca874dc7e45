#include <stdint.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/match.h"
#include "match/internal.h"

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* Three rows over the shorter string: the transposition step looks two rows back. */
static size_t osa(const int32_t *a, size_t la, const int32_t *b, size_t lb, size_t *rows)
{
    size_t *pp = rows, *p = rows + lb + 1, *c = rows + 2 * (lb + 1);
    for (size_t j = 0; j <= lb; j++)
        p[j] = j;
    for (size_t i = 1; i <= la; i++) {
        c[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            c[j] = min3(p[j] + 1, c[j - 1] + 1, p[j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                pp[j - 2] + 1 < c[j])
                c[j] = pp[j - 2] + 1;
        }
        size_t *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[lb];
}

size_t kt_match_levenshtein(const char *a, const char *b)
{
    if (!a) a = "";
    if (!b) b = "";
    kt_cps ca, cb;
    size_t r = SIZE_MAX;
    if (kt_cps_decode(&ca, a, strlen(a))) return r;
    if (kt_cps_decode(&cb, b, strlen(b))) goto out_a;
    const int32_t *x = ca.v, *y = cb.v;
    size_t lx = ca.n, ly = cb.n;
    if (ly > lx) {
        const int32_t *t = x;
        x = y;
        y = t;
        size_t tl = lx;
        lx = ly;
        ly = tl;
    }
    if (ly == 0) {
        r = lx;
        goto out_b;
    }
    size_t local[3 * 65], *rows = local;
    if (ly + 1 > 65) {
        if (ly + 1 > SIZE_MAX / (3 * sizeof *rows)) goto out_b;
        rows = kt_malloc(3 * (ly + 1) * sizeof *rows);
        if (!rows) goto out_b;
    }
    r = osa(x, lx, y, ly, rows);
    if (rows != local) kt_free(rows);
out_b:
    kt_cps_free(&cb);
out_a:
    kt_cps_free(&ca);
    return r;
}

const char *kt_match_suggest(const char *word, const char *const *candidates, size_t n)
{
    size_t len = strlen(word), limit = len / 3;
    if (limit < 1) limit = 1;
    if (limit > 3) limit = 3;
    const char *best = NULL;
    size_t best_d = limit + 1;
    for (size_t i = 0; i < n; i++) {
        if (!candidates[i]) continue;
        size_t d = kt_match_levenshtein(word, candidates[i]);
        if (d < best_d) best_d = d, best = candidates[i];
    }
    return best;
}
