/* The statements of kt_dupe_same: pairs a person said are the same (kt dupes review, kt dupes
 * label, the web's review); set through kt_dupes_label (label.c). */
#include "dedupe/dd_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/store.h"

kt_status dd_same_put(kt_store *s, kt_id a, kt_id b, const char *source, kt_error *err)
{
    char now[32];
    kt_store_now(now);
    return kt_store_run(s,
                        "INSERT OR REPLACE INTO kt_dupe_same(a, b, at, source) "
                        "VALUES (?1, ?2, ?3, ?4)",
                        "recording a label", err, "iitt", a, b, now, source);
}

kt_status dd_same_drop(kt_store *s, kt_id a, kt_id b, kt_error *err)
{
    return kt_store_run(s, "DELETE FROM kt_dupe_same WHERE a = ?1 AND b = ?2", "clearing a label",
                        err, "ii", a, b);
}

int dd_is_same(kt_store *s, kt_id a, kt_id b)
{
    return dd_pair_has(s, "SELECT 1 FROM kt_dupe_same WHERE a = ?1 AND b = ?2", a, b);
}

kt_status dd_same_each(kt_store *s, dd_stored_pair_fn fn, void *ud, kt_error *err)
{
    return dd_pair_each(s, "SELECT a, b FROM kt_dupe_same", fn, ud, err);
}

kt_status dd_same_all(kt_store *s, kt_id **out, size_t *n, kt_error *err)
{
    *out = NULL;
    *n = 0;
    kt_stmt *q;
    kt_status st = kt_store_prepare(s, "SELECT a, b FROM kt_dupe_same ORDER BY a, b", &q, err);
    if (st) return st;
    size_t cap = 0;
    int rc;
    while ((rc = kt_stmt_step(q)) == KT_STMT_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            kt_id *np = kt_realloc(*out, cap * 2 * sizeof *np);
            if (!np) {
                st = kt_error_set(err, KT_NOMEM, "out of memory");
                break;
            }
            *out = np;
        }
        (*out)[2 * *n] = kt_stmt_int(q, 0);
        (*out)[2 * (*n)++ + 1] = kt_stmt_int(q, 1);
    }
    if (!st && rc != KT_STMT_DONE) st = kt_store_fail(s, err, "reading labels");
    kt_stmt_reset(q);
    if (st) {
        kt_free(*out);
        *out = NULL;
        *n = 0;
    }
    return st;
}
