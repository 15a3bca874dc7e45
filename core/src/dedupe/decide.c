/* The statements of kt_dupe_distinct: decisions that two records are different (a < b),
 * honoured by kt dupes and by the on-entry check; set through kt_dupes_label (label.c). */
#include <stdlib.h>
#include <string.h>

#include "dedupe/dd_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/query.h"
#include "kartoteka/store.h"

kt_status kt_dupes_distinct(kt_ws *ws, kt_id a, kt_id b, kt_error *err)
{
    return kt_dupes_label(ws, a, b, KT_DUPE_DISTINCT, "cli", err);
}

kt_status dd_distinct_put(kt_store *s, kt_id a, kt_id b, const char *source, kt_error *err)
{
    char now[32];
    kt_store_now(now);
    return kt_store_run(s,
                        "INSERT OR IGNORE INTO kt_dupe_distinct(a, b, at, source) "
                        "VALUES (?1, ?2, ?3, ?4)",
                        "recording a decision", err, "iitt", a, b, now, source);
}

kt_status dd_distinct_drop(kt_store *s, kt_id a, kt_id b, kt_error *err)
{
    return kt_store_run(s, "DELETE FROM kt_dupe_distinct WHERE a = ?1 AND b = ?2",
                        "clearing a decision", err, "ii", a, b);
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

static int by_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

kt_status dd_distinct_pairs(kt_ws *ws, const dd_table *t, uint64_t **out, size_t *n, kt_error *err)
{
    return dd_label_rows(ws, t, "SELECT a, b FROM kt_dupe_distinct", out, n, err);
}

kt_status dd_label_rows(kt_ws *ws, const dd_table *t, const char *sql, uint64_t **out, size_t *n,
                        kt_error *err)
{
    *out = NULL;
    *n = 0;
    kt_stmt *q;
    kt_status st = kt_store_prepare(kt_ws_store(ws), sql, &q, err);
    if (st) return st;
    size_t cap = 0;
    while (kt_stmt_step(q) == KT_STMT_ROW) {
        long ra = dd_table_find(t, kt_stmt_int(q, 0)),
             rb = dd_table_find(t, kt_stmt_int(q, 1));
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
