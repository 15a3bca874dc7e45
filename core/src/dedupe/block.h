/* How the records of one block (the records sharing a blocking key) are paired. A block of a few
 * records is compared in full; a larger one (a common name with a common date, a placeholder
 * e-mail) is not skipped but walked as a sorted neighbourhood: sorted in a few orders of the
 * records' values, each record meets the next `window` ones of each order, so an exact or near
 * copy (adjacent in at least one order) is compared whatever the size of the block. */
#ifndef KT_DEDUPE_BLOCK_H
#define KT_DEDUPE_BLOCK_H

#include <stddef.h>
#include <stdint.h>

/* < 0, 0, > 0 as row a sorts before, with or after row b in one order. */
typedef int (*dd_row_cmp)(const void *ctx, uint32_t a, uint32_t b);
/* Takes a pair of rows (a < b); nonzero stops the walk (out of memory). */
typedef int (*dd_pair_fn)(void *ud, uint32_t a, uint32_t b);

#define DD_WALK_ORDERS 3

typedef struct dd_walk {
    size_t cap;    /* blocks with at most cap*(cap-1)/2 pairs are compared in full */
    size_t window; /* larger ones: each row with the next window rows of each order */
    dd_row_cmp cmp[DD_WALK_ORDERS];
    size_t ncmp;
    const void *ctx;     /* borrowed: passed to cmp */
    const uint8_t *side; /* borrowed; NULL, or a side per row (1, 2): only pairs across sides */
    dd_pair_fn emit;
    void *ud; /* borrowed: passed to emit and joins */
    /* NULL, or whether a row takes part in the window of a large block of n rows: a record in
     * many large blocks (a common name, city and birth year) walks only some of them, so the
     * pairs stay near-linear in the records */
    int (*joins)(void *ud, uint32_t row, size_t n);
} dd_walk;

/* What a walk did, summed over blocks. */
typedef struct dd_walk_count {
    size_t blocks;   /* blocks that could give a pair */
    size_t full;     /* of them compared in full */
    size_t windowed; /* of them walked with the window */
    size_t windowed_rows;
    size_t largest; /* rows in the largest block */
    uint64_t pairs; /* pairs emitted (repeats across blocks included) */
} dd_walk_count;

/* -1 when the n rows cannot give a pair (one record, or one side only), 0 when they are compared
 * in full, 1 when walked with the window. */
int dd_block_kind(const dd_walk *w, const uint32_t *rows, size_t n);

/* Pairs the n rows of one block (reordered in place). 0, -1 when out of memory or when emit
 * stopped the walk. */
int dd_block_walk(const dd_walk *w, uint32_t *rows, size_t n, dd_walk_count *count);

#endif
