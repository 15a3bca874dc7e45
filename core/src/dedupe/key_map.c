#include "dedupe/key_map.h"

#include <string.h>

#include "kartoteka/alloc.h"

struct dd_key_slot {
    uint64_t key;
    uint32_t val; /* 0: an empty slot */
};

/* At most half full: linear probing stays short. */
int dd_key_map_reserve(dd_key_map *m, size_t more)
{
    if ((m->n + more) * 2 <= m->cap) return 0;
    size_t cap = m->cap ? m->cap : 1024;
    while ((m->n + more) * 2 > cap)
        cap *= 2;
    struct dd_key_slot *t = kt_calloc(cap, sizeof *t);
    if (!t) return -1;
    for (size_t j = 0; j < m->cap; j++) {
        if (!m->slots[j].val) continue;
        size_t i = dd_key_mix(m->slots[j].key) & (cap - 1);
        while (t[i].val)
            i = (i + 1) & (cap - 1);
        t[i] = m->slots[j];
    }
    kt_free(m->slots);
    m->slots = t;
    m->cap = cap;
    return 0;
}

static struct dd_key_slot *probe(const dd_key_map *m, uint64_t key)
{
    size_t mask = m->cap - 1, i = dd_key_mix(key) & mask;
    while (m->slots[i].val && m->slots[i].key != key)
        i = (i + 1) & mask;
    return &m->slots[i];
}

uint32_t dd_key_map_get(const dd_key_map *m, uint64_t key)
{
    return m->cap ? probe(m, key)->val : 0;
}

uint32_t *dd_key_map_slot(dd_key_map *m, uint64_t key)
{
    struct dd_key_slot *s = probe(m, key);
    if (!s->val) {
        s->key = key;
        m->n++;
    }
    return &s->val;
}

void dd_key_map_clear(dd_key_map *m)
{
    if (m->slots) memset(m->slots, 0, m->cap * sizeof *m->slots);
    m->n = 0;
}

void dd_key_map_free(dd_key_map *m)
{
    kt_free(m->slots);
    *m = (dd_key_map)DD_KEY_MAP_INIT;
}
