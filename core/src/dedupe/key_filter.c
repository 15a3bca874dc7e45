#include "dedupe/key_filter.h"

#include "dedupe/dd_int.h"
#include "dedupe/key_map.h"
#include "kartoteka/alloc.h"

static void positions(uint64_t key, size_t mask, size_t pos[3])
{
    uint64_t h1 = dd_key_mix(key), h2 = dd_key_mix(key ^ 0x9e3779b97f4a7c15ULL) | 1;
    for (int i = 0; i < 3; i++)
        pos[i] = (size_t)(h1 + (uint64_t)i * h2) & mask;
}

void dd_key_filter_add(dd_key_filter *f, uint64_t key)
{
    size_t pos[3];
    positions(key, f->nbits - 1, pos);
    for (int i = 0; i < 3; i++)
        f->bits[pos[i] / 64] |= (uint64_t)1 << (pos[i] % 64);
    f->n++;
}

int dd_key_filter_may_hold(const dd_key_filter *f, uint64_t key)
{
    if (!f->bits) return 1;
    size_t pos[3];
    positions(key, f->nbits - 1, pos);
    for (int i = 0; i < 3; i++)
        if (!(f->bits[pos[i] / 64] >> (pos[i] % 64) & 1)) return 0;
    return 1;
}

static void add(void *ud, uint64_t key)
{
    dd_key_filter_add(ud, key);
}

void dd_key_filter_free(dd_key_filter *f)
{
    kt_free(f->bits);
    *f = (dd_key_filter){NULL, 0, 0};
}

kt_status dd_key_filter_build(dd_key_filter *f, kt_store *s, size_t expect, kt_error *err)
{
    size_t nbits = (size_t)1 << 20;
    while (nbits < expect * 12)
        nbits <<= 1;
    uint64_t *b = kt_calloc(nbits / 64, sizeof *b);
    if (!b) return kt_error_set(err, KT_NOMEM, "out of memory");
    dd_key_filter_free(f);
    *f = (dd_key_filter){b, nbits, 0};
    kt_status st = dd_keys_each(s, add, f, err);
    if (st) dd_key_filter_free(f);
    return st;
}
