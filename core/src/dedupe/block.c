#include "dedupe/block.h"

#include <string.h>

#include "kartoteka/alloc.h"

/* Stable merge sort with a context (qsort has none in C11); tmp holds n rows. */
static void sort_rows(uint32_t *rows, uint32_t *tmp, size_t n, dd_row_cmp cmp, const void *ctx)
{
    if (n < 2) return;
    if (n <= 8) { /* insertion sort: most windowed blocks are a few dozen rows */
        for (size_t i = 1; i < n; i++) {
            uint32_t r = rows[i];
            size_t j = i;
            for (; j > 0 && cmp(ctx, rows[j - 1], r) > 0; j--)
                rows[j] = rows[j - 1];
            rows[j] = r;
        }
        return;
    }
    size_t h = n / 2;
    sort_rows(rows, tmp, h, cmp, ctx);
    sort_rows(rows + h, tmp, n - h, cmp, ctx);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = cmp(ctx, rows[j], rows[i]) < 0 ? rows[j++] : rows[i++];
    while (i < h)
        tmp[k++] = rows[i++];
    memcpy(rows, tmp, k * sizeof *rows); /* rows[j..n) are in place already */
}

static int pair(const dd_walk *w, uint32_t a, uint32_t b, dd_walk_count *c)
{
    if (w->side && w->side[a] == w->side[b]) return 0;
    c->pairs++;
    return a < b ? w->emit(w->ud, a, b) : w->emit(w->ud, b, a);
}

int dd_block_kind(const dd_walk *w, const uint32_t *rows, size_t n)
{
    if (n < 2) return -1;
    uint64_t possible = (uint64_t)n * (n - 1) / 2;
    if (w->side) {
        uint64_t na = 0;
        for (size_t i = 0; i < n; i++)
            na += w->side[rows[i]] == 1;
        possible = na * (n - na);
        if (!possible) return -1;
    }
    return possible > (uint64_t)w->cap * (w->cap ? w->cap - 1 : 0) / 2;
}

int dd_block_walk(const dd_walk *w, uint32_t *rows, size_t n, dd_walk_count *c)
{
    int kind = dd_block_kind(w, rows, n);
    if (kind < 0) return 0;
    c->blocks++;
    if (n > c->largest) c->largest = n;
    if (!kind) {
        c->full++;
        for (size_t a = 0; a < n; a++)
            for (size_t b = a + 1; b < n; b++)
                if (pair(w, rows[a], rows[b], c)) return -1;
        return 0;
    }
    c->windowed++;
    if (w->joins) {
        size_t kept = 0;
        for (size_t i = 0; i < n; i++)
            if (w->joins(w->ud, rows[i], n)) rows[kept++] = rows[i];
        n = kept;
    }
    c->windowed_rows += n;
    uint32_t *tmp = kt_malloc(n * sizeof *tmp);
    if (!tmp) return -1;
    int rc = 0;
    for (size_t o = 0; o < w->ncmp && !rc; o++) {
        sort_rows(rows, tmp, n, w->cmp[o], w->ctx);
        for (size_t a = 0; a < n && !rc; a++)
            for (size_t b = a + 1; b < n && b <= a + w->window && !rc; b++)
                rc = pair(w, rows[a], rows[b], c);
    }
    kt_free(tmp);
    return rc;
}
