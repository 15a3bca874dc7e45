/* Blocking of kt dupes: small blocks paired in full, large ones walked with a sorted window
 * instead of skipped, only pairs across sides when linking two imports, and the fingerprint key
 * exact copies share. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dedupe/block.h"
#include "dedupe/dd_int.h"

#define MAXP 4096

typedef struct got {
    uint32_t a[MAXP], b[MAXP];
    size_t n;
} got;

static int take(void *ud, uint32_t a, uint32_t b)
{
    got *g = ud;
    if (g->n == MAXP) return -1;
    g->a[g->n] = a;
    g->b[g->n++] = b;
    return 0;
}

static int has(const got *g, uint32_t a, uint32_t b)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->a[i] == a && g->b[i] == b) return 1;
    return 0;
}

/* Rows sort by a value per row. */
static int by_value(const void *ctx, uint32_t a, uint32_t b)
{
    const int *v = ctx;
    return v[a] != v[b] ? (v[a] < v[b] ? -1 : 1) : (a < b ? -1 : a > b);
}

static int by_value_desc(const void *ctx, uint32_t a, uint32_t b)
{
    return by_value(ctx, b, a);
}

static dd_walk walk_of(got *g, const int *values, const uint8_t *side)
{
    dd_walk w = {12, 3, {by_value, by_value_desc}, 2, values, side, take, g, NULL};
    return w;
}

static void test_small_block_in_full(void **state)
{
    (void)state;
    got g = {.n = 0};
    int v[5] = {5, 4, 3, 2, 1};
    uint32_t rows[5] = {4, 0, 3, 1, 2};
    dd_walk w = walk_of(&g, v, NULL);
    dd_walk_count c = {0};
    assert_int_equal(dd_block_walk(&w, rows, 5, &c), 0);
    assert_int_equal(g.n, 10);
    for (uint32_t a = 0; a < 5; a++)
        for (uint32_t b = a + 1; b < 5; b++)
            assert_true(has(&g, a, b));
    assert_int_equal(c.blocks, 1);
    assert_int_equal(c.full, 1);
    assert_int_equal(c.windowed, 0);
    assert_int_equal(c.largest, 5);
    /* one record alone gives nothing and is no block */
    assert_int_equal(dd_block_walk(&w, rows, 1, &c), 0);
    assert_int_equal(c.blocks, 1);
}

/* 40 rows (over the cap of 12, where the old code compared nothing): the two rows with equal
 * values, far apart by row number, are neighbours once sorted. */
static void test_large_block_windowed(void **state)
{
    (void)state;
    got g = {.n = 0};
    int v[40];
    uint32_t rows[40];
    for (int i = 0; i < 40; i++) {
        v[i] = (i * 17) % 40 * 10;
        rows[i] = (uint32_t)(39 - i);
    }
    v[35] = v[2]; /* the copy */
    dd_walk w = walk_of(&g, v, NULL);
    dd_walk_count c = {0};
    assert_int_equal(dd_block_walk(&w, rows, 40, &c), 0);
    assert_int_equal(c.windowed, 1);
    assert_int_equal(c.full, 0);
    assert_int_equal(c.largest, 40);
    assert_true(has(&g, 2, 35));
    /* each row meets at most the next 3 in each of 2 orders, never itself, always a < b */
    assert_true(g.n <= 40 * 3 * 2);
    assert_true(g.n >= 37 * 3);
    for (size_t i = 0; i < g.n; i++)
        assert_true(g.a[i] < g.b[i]);
    /* every emitted pair is within the window of the value order */
    for (size_t i = 0; i < g.n; i++) {
        int lo = v[g.a[i]] < v[g.b[i]] ? v[g.a[i]] : v[g.b[i]];
        int hi = v[g.a[i]] < v[g.b[i]] ? v[g.b[i]] : v[g.a[i]];
        int between = 0;
        for (int r = 0; r < 40; r++)
            between += v[r] > lo && v[r] < hi;
        assert_true(between < 3);
    }
    /* a large block of rows that all agree is still paired */
    got g2 = {.n = 0};
    int same[20] = {0};
    uint32_t r2[20];
    for (uint32_t i = 0; i < 20; i++)
        r2[i] = i;
    dd_walk w2 = walk_of(&g2, same, NULL);
    assert_int_equal(dd_block_walk(&w2, r2, 20, &c), 0);
    assert_true(has(&g2, 0, 1) && has(&g2, 18, 19));
}

static void test_between_sides(void **state)
{
    (void)state;
    got g = {.n = 0};
    int v[6] = {1, 2, 3, 4, 5, 6};
    uint8_t side[6] = {1, 1, 1, 2, 2, 1};
    uint32_t rows[6] = {0, 1, 2, 3, 4, 5};
    dd_walk w = walk_of(&g, v, side);
    dd_walk_count c = {0};
    assert_int_equal(dd_block_walk(&w, rows, 6, &c), 0);
    assert_int_equal(g.n, 4 * 2); /* four on one side, two on the other */
    for (size_t i = 0; i < g.n; i++)
        assert_int_not_equal(side[g.a[i]], side[g.b[i]]);
    /* one side only: no pair, no block */
    uint32_t one[3] = {0, 1, 2};
    assert_int_equal(dd_block_kind(&w, one, 3), -1);
    assert_int_equal(dd_block_walk(&w, one, 3, &c), 0);
    assert_int_equal(c.blocks, 1);
    /* 8 by 8 across: 64 pairs of at most 66, still in full though 16 rows are over the cap */
    uint8_t s16[16];
    uint32_t r16[16];
    int v16[16];
    for (uint32_t i = 0; i < 16; i++) {
        s16[i] = i < 8 ? 1 : 2;
        r16[i] = i;
        v16[i] = (int)i;
    }
    dd_walk w16 = walk_of(&g, v16, s16);
    assert_int_equal(dd_block_kind(&w16, r16, 16), 0);
    s16[0] = 2; /* 7 by 9: 63 */
    assert_int_equal(dd_block_kind(&w16, r16, 16), 0);
    dd_walk w17 = walk_of(&g, v16, NULL);
    assert_int_equal(dd_block_kind(&w17, r16, 16), 1);
}

static int odd_only(void *ud, uint32_t row, size_t n)
{
    (void)ud;
    (void)n;
    return row % 2;
}

static void test_joins_filter(void **state)
{
    (void)state;
    got g = {.n = 0};
    int v[30];
    uint32_t rows[30];
    for (uint32_t i = 0; i < 30; i++) {
        v[i] = (int)i;
        rows[i] = i;
    }
    dd_walk w = walk_of(&g, v, NULL);
    w.joins = odd_only;
    dd_walk_count c = {0};
    assert_int_equal(dd_block_walk(&w, rows, 30, &c), 0);
    assert_int_equal(c.windowed_rows, 15);
    for (size_t i = 0; i < g.n; i++)
        assert_true(g.a[i] % 2 && g.b[i] % 2);
    assert_true(has(&g, 1, 3) && has(&g, 1, 7));
}

static void test_fingerprint(void **state)
{
    (void)state;
    kt_dedupe_field f[2] = {{"name", "company", 4}, {"legal_address", "text", 1}};
    kt_dedupe_rule r = {"company", 0.65, 0.85, f, 2, 1, -1, -1, NULL, NULL, 0};
    const char *a[2] = {"Abraham Lincoln Center Donoghue", "707 E. 37th St."};
    const char *b[2] = {"abraham  lincoln center donoghue", "707 e 37th st"};
    const char *c[2] = {"Abraham Lincoln Center Donoghue", "708 E. 37th St."};
    const char *d[2] = {"Abraham Lincoln Center Donoghue", NULL};
    const char *e[2] = {NULL, "Abraham Lincoln Center Donoghue"};
    const char *none[2] = {NULL, ""};
    uint64_t ka[DD_MAX_KEYS], kb[DD_MAX_KEYS], kc[DD_MAX_KEYS], kd[DD_MAX_KEYS], ke[DD_MAX_KEYS];
    assert_true(dd_record_keys(&r, a, ka) > 1);
    assert_true(dd_record_keys(&r, b, kb) > 1);
    assert_true(dd_record_keys(&r, c, kc) > 1);
    assert_true(dd_record_keys(&r, d, kd) > 1);
    assert_true(dd_record_keys(&r, e, ke) >= 1);
    assert_true(ka[DD_FINGERPRINT] == kb[DD_FINGERPRINT]);
    assert_true(ka[DD_FINGERPRINT] != kc[DD_FINGERPRINT]);
    assert_true(ka[DD_FINGERPRINT] != kd[DD_FINGERPRINT]);
    assert_true(kd[DD_FINGERPRINT] != ke[DD_FINGERPRINT]); /* which field holds it matters */
    uint64_t kn[DD_MAX_KEYS];
    assert_int_equal(dd_record_keys(&r, none, kn), 0);
}

/* The in-place sort of keys and pairs: random words, runs of repeats, sorted and reversed. */
static void test_sort(void **state)
{
    (void)state;
    enum { N = 5000 };
    static uint64_t a[N];
    uint64_t x = 88172645463325252ULL;
    for (int shape = 0; shape < 4; shape++) {
        for (size_t i = 0; i < N; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            a[i] = shape == 0 ? x : shape == 1 ? x % 7 : shape == 2 ? i : N - i;
        }
        uint64_t sum = 0, after = 0;
        for (size_t i = 0; i < N; i++)
            sum += a[i] * 2654435761u;
        dd_sort_u64(a, N);
        for (size_t i = 0; i < N; i++)
            after += a[i] * 2654435761u;
        assert_true(sum == after); /* the same words */
        for (size_t i = 1; i < N; i++)
            assert_true(a[i - 1] <= a[i]);
    }
    dd_sort_u64(a, 0);
    dd_sort_u64(a, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_block_in_full), cmocka_unit_test(test_large_block_windowed),
        cmocka_unit_test(test_between_sides),       cmocka_unit_test(test_joins_filter),
        cmocka_unit_test(test_fingerprint),         cmocka_unit_test(test_sort),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
