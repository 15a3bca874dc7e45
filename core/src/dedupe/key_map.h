/* A map from 64-bit keys (record ids, blocking keys) to nonzero 32-bit values, by open
 * addressing: the indexes an import's overlay keeps in memory (overlay.c). */
#ifndef KT_DEDUPE_KEY_MAP_H
#define KT_DEDUPE_KEY_MAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct dd_key_map {
    struct dd_key_slot *slots; /* owned; NULL until the first reserve */
    size_t n, cap;
} dd_key_map;

#define DD_KEY_MAP_INIT                                                                            \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/* Room for more new keys: after it, that many dd_key_map_slot calls cannot fail. 0, or -1 when
 * out of memory (the map is as it was). */
int dd_key_map_reserve(dd_key_map *m, size_t more);
/* key's value, 0 when absent. */
uint32_t dd_key_map_get(const dd_key_map *m, uint64_t key);
/* key's value to read or set (borrowed until the next reserve): 0 when key is new, and then the
 * caller sets it nonzero. Needs room (dd_key_map_reserve). */
uint32_t *dd_key_map_slot(dd_key_map *m, uint64_t key);
/* Forgets every key; the memory stays for the next ones. */
void dd_key_map_clear(dd_key_map *m);
void dd_key_map_free(dd_key_map *m);

/* The mixing step both the map and the overlay's filter spread keys with. */
static inline size_t dd_key_mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x;
}

#endif
