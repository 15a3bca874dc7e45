/* Decisions that two records are different: kept in kt_dupe_distinct (a < b), honoured by
 * kt dupes and by the on-entry check. */
#include <stdlib.h>
#include <string.h>

#include "dedupe/dd_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/query.h"
#include "kartoteka/store.h"

kt_status kt_dupes_distinct(kt_ws *ws, kt_id a, kt_id b, kt_error *err)
{
    if (a == b) return kt_error_set(err, KT_USAGE, "a record is not distinct from itself");
    if (a > b) {
        kt_id t = a;
        a = b;
        b = t;
    }
    char ea[64], eb[64];
    kt_status st = kt_ws_entity_of(ws, a, ea, sizeof ea, err);
    if (!st) st = kt_ws_entity_of(ws, b, eb, sizeof eb, err);
    if (st) return st;
    if (strcmp(ea, eb) != 0)
        return kt_error_set(err, KT_USAGE, "record %lld is a %s and %lld a %s: never duplicates", a,
                            ea, b, eb);
    kt_store *s = kt_ws_store(ws);
    kt_stmt *q;
    if ((st = kt_store_prepare(s,
                               "INSERT OR IGNORE INTO kt_dupe_distinct(a, b, at, source) "
                               "VALUES (?1, ?2, ?3, 'cli')",
                               &q, err)))
        return st;
    char now[32];
    kt_store_now(now);
    kt_stmt_bind_int(q, 1, a);
    kt_stmt_bind_int(q, 2, b);
    kt_stmt_bind_text(q, 3, now);
    if (kt_stmt_step(q) != KT_STMT_DONE) return kt_store_fail(s, err, "recording a decision");
    return KT_OK;
}

int kt_dupes_is_distinct(kt_ws *ws, kt_id a, kt_id b)
{
    if (a > b) {
        kt_id t = a;
        a = b;
        b = t;
    }
    kt_stmt *q;
    kt_error err;
    if (kt_store_prepare(kt_ws_store(ws), "SELECT 1 FROM kt_dupe_distinct WHERE a = ?1 AND b = ?2",
                         &q, &err))
        return 0;
    kt_stmt_bind_int(q, 1, a);
    kt_stmt_bind_int(q, 2, b);
    int r = kt_stmt_step(q) == KT_STMT_ROW;
    kt_stmt_reset(q);
    return r;
}

static long row_of(const dd_table *t, kt_id id)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < t->n && t->ids[lo] == id ? (long)lo : -1;
}

static int by_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

kt_status dd_distinct_pairs(kt_ws *ws, const dd_table *t, uint64_t **out, size_t *n, kt_error *err)
{
    *out = NULL;
    *n = 0;
    kt_stmt *q;
    kt_status st = kt_store_prepare(kt_ws_store(ws), "SELECT a, b FROM kt_dupe_distinct", &q, err);
    if (st) return st;
    size_t cap = 0;
    while (kt_stmt_step(q) == KT_STMT_ROW) {
        long ra = row_of(t, kt_stmt_int(q, 0)), rb = row_of(t, kt_stmt_int(q, 1));
        if (ra < 0 || rb < 0) continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            uint64_t *np = kt_realloc(*out, cap * sizeof *np);
            if (!np) {
                kt_stmt_reset(q);
                return kt_error_set(err, KT_NOMEM, "out of memory");
            }
            *out = np;
        }
        (*out)[(*n)++] = (uint64_t)ra << 32 | (uint64_t)rb; /* ids ascending, so ra < rb */
    }
    kt_stmt_reset(q);
    if (*n) qsort(*out, *n, sizeof **out, by_u64);
    return KT_OK;
}
