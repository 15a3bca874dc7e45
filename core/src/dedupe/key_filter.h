/* A Bloom filter of the keys stored in kt_dupe_key: most keys of a new record are in no other
 * record, and the filter spares their look in the table (overlay.c decides when one pays). */
#ifndef KT_DEDUPE_KEY_FILTER_H
#define KT_DEDUPE_KEY_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "kartoteka/store.h"

typedef struct dd_key_filter {
    uint64_t *bits; /* owned; NULL: no filter, every key may be stored */
    size_t nbits, n;
} dd_key_filter;

/* A new filter of every key in kt_dupe_key, 12 bits per expected key (about 1% false
 * positives). f's old bits are freed; on failure f is left empty. */
kt_status dd_key_filter_build(dd_key_filter *f, kt_store *s, size_t expect, kt_error *err);
void dd_key_filter_add(dd_key_filter *f, uint64_t key);
/* 0 when key is certainly not stored. */
int dd_key_filter_may_hold(const dd_key_filter *f, uint64_t key);
void dd_key_filter_free(dd_key_filter *f);

#endif
