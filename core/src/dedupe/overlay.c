/* An import's duplicate lookups without a write per row. The lazy sync (key_index.c) would
 * re-key, before each row's lookup, the record the row before saved: a dozen inserts into
 * kt_dupe_key per row. Here the keys of the records changed since the stored keys' last sync are
 * held in memory instead, and a lookup sees the stored keys of every other record plus the held
 * ones: the same keys the lazy sync would have stored by then. They reach kt_dupe_key sorted, in
 * one pass, when the import ends (or earlier, between rows, when they grow large).
 *
 * Two more things only an import can afford: the prepared values of the records it reads or
 * changes stay in memory for the later rows' scoring (forgotten when the record changes), and a
 * Bloom filter of the stored keys spares the lookups of keys no stored record has.
 *
 * Each row is a savepoint: keys taken in during a row are marked, kept when it commits and put
 * back when it rolls back. Dropping an entity's part is always safe (the stored keys and their
 * kt_dupe_key_state stay consistent; the next look starts again from them), so every failure
 * here just drops it. */
#include <stdlib.h>
#include <string.h>

#include "dedupe/dd_int.h"
#include "dedupe/key_filter.h"
#include "dedupe/key_map.h"
#include "dedupe/overlay.h"
#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "kartoteka/store.h"
#include "record/history.h"
#include "record/record_table.h"

#define TAG "dedupe.overlay"
/* Held keys past which they are written out between rows: some 15 MB however long the file
 * (about 15 000 people between writes). */
#define FLUSH_KEYS ((size_t)1 << 18)
/* Prepared values kept for later rows (some 40 MB), then started afresh. */
#define CACHE_ROWS 262144
#define FORGOTTEN UINT32_MAX /* a cached row made stale by a change (the key stays mapped) */

typedef struct entry {
    kt_id id;
    uint32_t cur, ncur;       /* its keys: arena[cur .. cur + ncur) */
    uint32_t stable, nstable; /* its keys as of the last committed row */
    unsigned char held;       /* its stored keys are out of date: these count */
    unsigned char stable_held, in_row;
} entry;

/* (key, record) as it was ever held; a lookup checks it against the record's keys now. */
typedef struct pair {
    uint32_t entry, next; /* next pair + 1 */
} pair;

/* One entity's held keys, and the prepared values of the candidates its lookups read. */
typedef struct part {
    const kt_dedupe_rule *r;
    long long synced, synced_committed; /* kt_change rows taken in (at the last commit) */
    kt_id maxid;                        /* records above it have no stored keys */
    int rebuilt_in_row;                 /* the stored keys were rebuilt inside this row */
    entry *e;
    size_t ne, cape;
    dd_key_map byid; /* id -> entry + 1 */
    uint64_t *arena;
    size_t na, capa;
    dd_key_map heads; /* key -> its last pair + 1 */
    pair *pairs;
    size_t np, capp;
    uint32_t *row; /* entries changed in the current row */
    size_t nrow, caprow;
    char *changed_sql, *fetch_sql; /* the entity's SELECTs, built once */
    dd_table cache;                /* valid while nothing changes the record: rekey forgets it */
    dd_key_map rows;               /* id -> its cache row + 1, or FORGOTTEN */
} part;

struct dd_overlay {
    int depth;
    /* Told of the store's transactions while an import runs: its rows are the savepoints one
     * level below the import's own (level), flushed just before that level commits. */
    kt_store_listener listener;
    kt_ws *ws;
    int level;
    size_t spill_at; /* 0: FLUSH_KEYS */
    size_t held;     /* keys and entries held after the last row */
    part **parts;
    size_t n;
    /* Built (between rows) once the import has looked up enough for a scan of kt_dupe_key to
     * pay; empty until then. */
    dd_key_filter filter;
    long long recs; /* kt_dupe_rec rows, -1 = not counted yet */
    size_t lookups;
};

/* The filter goes, and the count of stored key lists with it. */
static void filter_drop(dd_overlay *o)
{
    dd_key_filter_free(&o->filter);
    o->recs = -1;
}

int dd_overlay_may_store(const dd_overlay *o, uint64_t key)
{
    return dd_key_filter_may_hold(&o->filter, key);
}

/* Between rows: a filter once it pays (a scan of the table costs about what an eighth of its
 * records' lookups do), a bigger one when it fills up. */
static kt_status filter_upkeep(dd_overlay *o, kt_store *s, kt_error *err)
{
    if (!o->lookups) return KT_OK;
    if (o->recs < 0) {
        kt_status st = dd_keys_records(s, &o->recs, err);
        if (st) return st;
    }
    dd_key_filter *f = &o->filter;
    if (!f->bits)
        return o->lookups * 8 < (size_t)o->recs
                   ? KT_OK
                   : dd_key_filter_build(f, s, (size_t)o->recs * 20 + 4096, err);
    /* 3% false positives by then */
    return f->n * 8 > f->nbits ? dd_key_filter_build(f, s, f->n * 2, err) : KT_OK;
}

static int reserve(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : 256;
    while (c < need)
        c *= 2;
    void *np = kt_realloc(*p, c * size);
    if (!np) return -1;
    *p = np;
    *cap = c;
    return 0;
}

static int contains(const uint64_t *k, uint32_t n, uint64_t key)
{
    for (uint32_t i = 0; i < n; i++)
        if (k[i] == key) return 1;
    return 0;
}

static void cache_clear(part *p)
{
    dd_table_free(&p->cache);
    dd_key_map_free(&p->rows);
}

static void cache_forget(part *p, kt_id id)
{
    if (dd_key_map_get(&p->rows, (uint64_t)id))
        *dd_key_map_slot(&p->rows, (uint64_t)id) = FORGOTTEN;
}

/* The held keys go (their memory stays for the next ones); the cache stays. */
static void part_clear(part *p)
{
    p->ne = p->na = p->np = p->nrow = 0;
    dd_key_map_clear(&p->byid);
    dd_key_map_clear(&p->heads);
    p->synced_committed = p->synced;
    p->rebuilt_in_row = 0;
}

static void part_free(part *p)
{
    if (!p) return;
    kt_free(p->e);
    dd_key_map_free(&p->byid);
    kt_free(p->arena);
    dd_key_map_free(&p->heads);
    kt_free(p->pairs);
    kt_free(p->row);
    cache_clear(p);
    kt_free(p->changed_sql);
    kt_free(p->fetch_sql);
    kt_free(p);
}

static void drop_part(dd_overlay *o, part *p)
{
    for (size_t i = 0; i < o->n; i++)
        if (o->parts[i] == p) {
            o->parts[i] = o->parts[--o->n];
            break;
        }
    part_free(p);
}

static void drop_all(dd_overlay *o)
{
    for (size_t i = 0; i < o->n; i++)
        part_free(o->parts[i]);
    kt_free(o->parts);
    o->parts = NULL;
    o->n = 0;
}

static void overlay_free(void *ud)
{
    dd_overlay *o = ud;
    drop_all(o);
    filter_drop(o);
    kt_free(o);
}

static part *part_of(const dd_overlay *o, const kt_dedupe_rule *r)
{
    for (size_t i = 0; i < o->n; i++)
        if (o->parts[i]->r == r) return o->parts[i];
    return NULL;
}

static const entry *find(const part *p, kt_id id)
{
    uint32_t v = dd_key_map_get(&p->byid, (uint64_t)id);
    return v ? &p->e[v - 1] : NULL;
}

/* The index of id's entry, added (holding nothing) when missing. */
static int entry_of(part *p, kt_id id, uint32_t *out)
{
    const entry *e = find(p, id);
    if (e) {
        *out = (uint32_t)(e - p->e);
        return 0;
    }
    if (reserve((void **)&p->e, &p->cape, p->ne + 1, sizeof *p->e) ||
        dd_key_map_reserve(&p->byid, 1))
        return -1;
    *dd_key_map_slot(&p->byid, (uint64_t)id) = (uint32_t)p->ne + 1;
    p->e[p->ne] = (entry){.id = id};
    *out = (uint32_t)p->ne++;
    return 0;
}

/* Needs room in heads and pairs. */
static void add_pair(part *p, uint64_t key, uint32_t e)
{
    uint32_t *head = dd_key_map_slot(&p->heads, key);
    p->pairs[p->np] = (pair){e, *head};
    *head = (uint32_t)++p->np;
}

/* Prepares record id's values and keeps them; *row borrowed until the next call. */
static kt_status cache_keep(part *p, kt_id id, const char *const *raw, const char *const **row,
                            kt_error *err)
{
    if (p->cache.n >= CACHE_ROWS) cache_clear(p);
    if (!p->cache.rule) dd_table_init(&p->cache, p->r);
    if (dd_key_map_reserve(&p->rows, 1)) return kt_error_set(err, KT_NOMEM, "out of memory");
    kt_status st = dd_table_add(&p->cache, id, raw, err);
    if (st) return st;
    *dd_key_map_slot(&p->rows, (uint64_t)id) = (uint32_t)p->cache.n; /* its row + 1 */
    *row = dd_table_row(&p->cache, p->cache.n - 1);
    return KT_OK;
}

/* dd_keyed_fn: record id has keys k now (none: not active). Memory first, so a failure changes
 * nothing that counts. Its values are prepared now too: an import's records are the later rows'
 * candidates. */
static kt_status rekey(void *ud, kt_id id, const char *const *raw, const uint64_t *k, int nk,
                       kt_error *err)
{
    part *p = ud;
    uint32_t ei;
    size_t n = (size_t)nk;
    /* the arena one longer: it exists once any entry does */
    if (entry_of(p, id, &ei) ||
        reserve((void **)&p->arena, &p->capa, p->na + n + 1, sizeof *p->arena) ||
        reserve((void **)&p->pairs, &p->capp, p->np + n, sizeof *p->pairs) ||
        reserve((void **)&p->row, &p->caprow, p->nrow + 1, sizeof *p->row) ||
        dd_key_map_reserve(&p->heads, n))
        return kt_error_set(err, KT_NOMEM, "out of memory");
    cache_forget(p, id);
    entry *e = &p->e[ei];
    uint32_t off = (uint32_t)p->na;
    if (n) memcpy(p->arena + off, k, n * sizeof *k);
    p->na += n;
    for (size_t i = 0; i < n; i++) /* a key it held already has its pair */
        if (!e->held || !contains(p->arena + e->cur, e->ncur, k[i])) add_pair(p, k[i], ei);
    e->cur = off;
    e->ncur = (uint32_t)n;
    e->held = 1;
    if (!e->in_row) {
        e->in_row = 1;
        p->row[p->nrow++] = ei;
    }
    const char *const *row;
    return raw ? cache_keep(p, id, raw, &row, err) : KT_OK;
}

static kt_status max_record(kt_store *s, kt_id *out, kt_error *err)
{
    return kt_record_max_id(s, out, err);
}

/* Starts p (empty) from the stored keys' state. */
static kt_status init_part(dd_overlay *o, part *p, kt_ws *ws, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    int same;
    long long last;
    kt_status st = dd_keys_state(s, p->r, &same, &last, err);
    if (!st && !same) {
        /* a new or changed rule: the stored keys are rebuilt, inside the row (and undone with
         * it, so the part goes too) */
        st = dd_keys_sync(ws, p->r, err);
        if (!st) st = kt_history_top(ws, &last, err);
        p->rebuilt_in_row = 1;
        filter_drop(o); /* it has none of the new keys */
    }
    if (!st) st = max_record(s, &p->maxid, err);
    p->synced = p->synced_committed = last;
    return st;
}

static kt_status new_part(dd_overlay *o, kt_ws *ws, const kt_dedupe_rule *r, part **out,
                          kt_error *err)
{
    part **grown = kt_realloc(o->parts, (o->n + 1) * sizeof *grown);
    if (!grown) return kt_error_set(err, KT_NOMEM, "out of memory");
    o->parts = grown;
    part *p = kt_calloc(1, sizeof *p);
    if (!p) return kt_error_set(err, KT_NOMEM, "out of memory");
    p->r = r;
    kt_status st = dd_rows_sql(r, KT_ROWS_CHANGED, &p->changed_sql, err);
    if (!st) st = dd_rows_sql(r, KT_ROWS_IDS, &p->fetch_sql, err);
    if (!st) st = init_part(o, p, ws, err);
    if (st) {
        part_free(p);
        return st;
    }
    o->parts[o->n++] = p;
    *out = p;
    return KT_OK;
}

/* In the index's order: SQLite compares integers signed. */
static int by_pair(const void *a, const void *b)
{
    const int64_t *x = a, *y = b;
    if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
    return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* The held keys into kt_dupe_key, sorted (the index is filled in order), then forgotten. At
 * the import's own level: every row has committed or rolled back. */
static kt_status write_part(dd_overlay *o, kt_store *s, part *p, kt_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i < p->ne; i++)
        if (p->e[i].held) n += p->e[i].ncur;
    int64_t(*kv)[2] = n ? kt_malloc(n * sizeof *kv) : NULL;
    if (n && !kv) return kt_error_set(err, KT_NOMEM, "out of memory");
    kt_status st = KT_OK;
    size_t w = 0;
    for (size_t i = 0; !st && i < p->ne; i++) {
        const entry *e = &p->e[i];
        if (!e->held) continue;
        for (uint32_t j = 0; j < e->ncur; j++) {
            kv[w][0] = (int64_t)p->arena[e->cur + j];
            kv[w++][1] = e->id;
            if (o->filter.bits) dd_key_filter_add(&o->filter, p->arena[e->cur + j]);
        }
        if (e->id <= p->maxid) st = dd_keys_drop(s, e->id, err); /* else new: nothing stored */
        if (!st) st = dd_keys_put_record(s, e->id, p->arena + e->cur, (int)e->ncur, err);
    }
    if (!st && n) qsort(kv, n, sizeof *kv, by_pair);
    if (!st) st = dd_keys_put_pairs(s, (const int64_t(*)[2])kv, n, err);
    kt_free(kv);
    if (!st) st = dd_keys_set_state(s, p->r, p->synced, err);
    if (!st) {
        part_clear(p);
        st = max_record(s, &p->maxid, err);
    }
    return st;
}

/* The row's changes become the part's (committed) or are put back. */
static void settle(part *p, int committed)
{
    for (size_t i = 0; i < p->nrow; i++) {
        entry *e = &p->e[p->row[i]];
        if (committed) {
            e->stable = e->cur;
            e->nstable = e->ncur;
            e->stable_held = e->held;
        } else { /* and values read after its change were of the undone one */
            e->cur = e->stable;
            e->ncur = e->nstable;
            e->held = e->stable_held;
            cache_forget(p, e->id);
        }
        e->in_row = 0;
    }
    p->nrow = 0;
    if (committed) {
        p->synced_committed = p->synced;
        p->rebuilt_in_row = 0;
    } else {
        p->synced = p->synced_committed;
    }
}

static kt_status write_all(dd_overlay *o, kt_store *s, kt_error *err)
{
    kt_status st = KT_OK;
    for (size_t i = 0; !st && i < o->n; i++)
        st = write_part(o, s, o->parts[i], err);
    if (st) drop_all(o); /* the import fails: nothing of it stays */
    return st;
}

static kt_status overlay_of(kt_ws *ws, dd_overlay **out, kt_error *err)
{
    void *o;
    kt_status st = kt_ws_attachment_make(ws, TAG, sizeof(dd_overlay), overlay_free, &o, err);
    *out = o;
    return st;
}

static void row_committed(void *ud, int depth);
static void row_rolled_back(void *ud, int depth);
static kt_status import_committing(void *ud, int depth, kt_error *err);

kt_status dd_overlay_begin(kt_ws *ws, kt_error *err)
{
    dd_overlay *o;
    kt_status st = overlay_of(ws, &o, err);
    if (st || o->depth++ > 0) return st;
    filter_drop(o); /* other commands wrote keys since */
    o->lookups = 0;
    o->ws = ws;
    o->level = kt_store_depth(kt_ws_store(ws));
    o->listener = (kt_store_listener){.committing = import_committing,
                                      .committed = row_committed,
                                      .rolled_back = row_rolled_back,
                                      .ud = o};
    if ((st = kt_store_listen(kt_ws_store(ws), &o->listener, err))) o->depth = 0;
    return st;
}

kt_status dd_overlay_spill_at(kt_ws *ws, size_t keys, kt_error *err)
{
    dd_overlay *o;
    kt_status st = overlay_of(ws, &o, err);
    if (!st) o->spill_at = keys;
    return st;
}

dd_overlay *dd_overlay_active(kt_ws *ws)
{
    dd_overlay *o = kt_ws_attachment(ws, TAG);
    return o && o->depth == 1 ? o : NULL;
}

static size_t row_end(dd_overlay *o, int committed)
{
    size_t held = 0;
    for (size_t i = 0; i < o->n;) {
        part *p = o->parts[i];
        if (!committed && p->rebuilt_in_row) { /* its rebuild was undone */
            drop_part(o, p);
            continue;
        }
        settle(p, committed);
        held += p->na + p->ne;
        i++;
    }
    return held;
}

/* A row's savepoint ended: its changes are kept, or forgotten with it. */
static void row_committed(void *ud, int depth)
{
    dd_overlay *o = ud;
    if (o->depth == 1 && depth == o->level + 1) o->held = row_end(o, 1);
}

static void row_rolled_back(void *ud, int depth)
{
    dd_overlay *o = ud;
    if (o->depth == 1 && depth == o->level + 1) o->held = row_end(o, 0);
}

static kt_status import_committing(void *ud, int depth, kt_error *err)
{
    dd_overlay *o = ud;
    return depth == o->level ? dd_overlay_flush(o->ws, err) : KT_OK;
}

kt_status dd_overlay_spill(kt_ws *ws, kt_error *err)
{
    dd_overlay *o = dd_overlay_active(ws);
    if (!o) return KT_OK;
    kt_status st = KT_OK;
    if (o->held >= (o->spill_at ? o->spill_at : FLUSH_KEYS)) {
        o->held = 0;
        st = write_all(o, kt_ws_store(ws), err);
    }
    return st ? st : filter_upkeep(o, kt_ws_store(ws), err);
}

kt_status dd_overlay_flush(kt_ws *ws, kt_error *err)
{
    dd_overlay *o = dd_overlay_active(ws);
    if (!o) return KT_OK;
    kt_status st = KT_OK;
    for (size_t i = 0; !st && i < o->n; i++) /* the rows after its last look changed records too */
        if (!(st = dd_overlay_sync(o, ws, o->parts[i]->r, err))) settle(o->parts[i], 1);
    return st ? st : write_all(o, kt_ws_store(ws), err);
}

void dd_overlay_end(kt_ws *ws)
{
    dd_overlay *o = kt_ws_attachment(ws, TAG);
    if (!o || !o->depth) return;
    if (--o->depth == 0) {
        kt_store_unlisten(kt_ws_store(ws), &o->listener);
        drop_all(o);
        filter_drop(o);
    }
}

kt_status dd_overlay_sync(dd_overlay *o, kt_ws *ws, const kt_dedupe_rule *r, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    part *p = part_of(o, r);
    long long top;
    kt_status st = kt_history_top(ws, &top, err);
    if (st) return st;
    o->lookups++;
    if (p && top < p->synced) { /* changes it took in were undone (a savepoint in a save) */
        part_clear(p);
        cache_clear(p);
        if ((st = init_part(o, p, ws, err))) {
            drop_part(o, p);
            return st;
        }
    }
    if (!p && (st = new_part(o, ws, r, &p, err))) return st;
    if (top > p->synced && (st = dd_keys_changed(s, r, p->changed_sql, p->synced, rekey, p, err))) {
        drop_part(o, p);
        return st;
    }
    p->synced = top;
    return KT_OK;
}

kt_status dd_overlay_prime(dd_overlay *o, kt_ws *ws, const kt_dedupe_rule *r, kt_error *err)
{
    kt_status st = dd_overlay_sync(o, ws, r, err);
    part *p = st ? NULL : part_of(o, r);
    if (p) settle(p, 1);
    return st;
}

int dd_overlay_holds(const dd_overlay *o, kt_id id)
{
    for (size_t i = 0; i < o->n; i++) {
        const entry *e = find(o->parts[i], id);
        if (e && e->held) return 1;
    }
    return 0;
}

size_t dd_overlay_ids(const dd_overlay *o, uint64_t k, kt_id self, kt_id *ids, size_t start,
                      size_t n, size_t cap)
{
    for (size_t i = 0; i < o->n && n < cap; i++) {
        const part *p = o->parts[i];
        for (uint32_t pi = dd_key_map_get(&p->heads, k); pi && n < cap;
             pi = p->pairs[pi - 1].next) {
            const entry *e = &p->e[p->pairs[pi - 1].entry];
            if (!e->held || e->id == self || !contains(p->arena + e->cur, e->ncur, k)) continue;
            size_t j = start;
            while (j < n && ids[j] != e->id)
                j++;
            if (j == n) ids[n++] = e->id;
        }
    }
    return n;
}

const char *dd_overlay_fetch_sql(const dd_overlay *o, const kt_dedupe_rule *r)
{
    const part *p = part_of(o, r);
    return p ? p->fetch_sql : NULL;
}

const char *const *dd_overlay_row(const dd_overlay *o, const kt_dedupe_rule *r, kt_id id)
{
    const part *p = part_of(o, r);
    uint32_t v = p ? dd_key_map_get(&p->rows, (uint64_t)id) : 0;
    return v && v != FORGOTTEN ? dd_table_row(&p->cache, v - 1) : NULL;
}

kt_status dd_overlay_keep_row(dd_overlay *o, const kt_dedupe_rule *r, kt_id id,
                              const char *const *raw, const char *const **row, kt_error *err)
{
    part *p = part_of(o, r);
    if (!p) return kt_error_set(err, KT_INTERNAL, "dedupe: no lookup state for %s", r->entity);
    return cache_keep(p, id, raw, row, err);
}
