/* The statements of kt_batch: an import's row, from "running" to its summary (or forgotten),
 * listed, and marked undone. */
#include <stdio.h>

#include "import/import_int.h"

kt_status imp_batch_row_add(kt_store *s, const char *source, const char *at, const char *summary,
                            long long *id, kt_error *err)
{
    kt_status rc = kt_store_run(s,
                                "INSERT INTO kt_batch(kind, source, started_at, status, summary) "
                                "VALUES ('import', ?1, ?2, 'running', ?3)",
                                "starting a batch", err, "ttt", source, at, summary);
    if (!rc) *id = kt_store_last_id(s);
    return rc;
}

kt_status imp_batch_row_finish(kt_store *s, long long id, const char *status, const char *at,
                               const char *summary, kt_error *err)
{
    return kt_store_run(s,
                        "UPDATE kt_batch SET status = ?2, finished_at = ?3, summary = ?4 "
                        "WHERE id = ?1",
                        "finishing a batch", err, "ittt", id, status, at, summary);
}

kt_status imp_batch_row_delete(kt_store *s, long long id, kt_error *err)
{
    return kt_store_run(s, "DELETE FROM kt_batch WHERE id = ?1", "forgetting a batch", err, "i",
                        id);
}

kt_status imp_batch_row_status(kt_store *s, long long id, char *out, size_t size, kt_error *err)
{
    kt_stmt *st;
    kt_status rc = kt_store_prepare(s, "SELECT status FROM kt_batch WHERE id = ?1", &st, err);
    if (rc) return rc;
    kt_stmt_bind_int(st, 1, id);
    if (kt_stmt_step(st) != KT_STMT_ROW) {
        kt_stmt_reset(st);
        return kt_error_set(err, KT_NOTFOUND, "there is no batch %lld (kt import list)", id);
    }
    snprintf(out, size, "%s", kt_stmt_text(st, 0));
    kt_stmt_reset(st);
    return KT_OK;
}

kt_status imp_batch_row_undone(kt_store *s, long long id, kt_error *err)
{
    return kt_store_run(s, "UPDATE kt_batch SET status = 'undone' WHERE id = ?1",
                        "marking the batch undone", err, "i", id);
}

kt_status imp_batch_rows_each(kt_store *s, imp_batch_row_fn fn, void *ud, kt_error *err)
{
    kt_stmt *st;
    kt_status rc = kt_store_prepare(s,
                                    "SELECT id, kind, source, started_at, finished_at, status, "
                                    "summary FROM kt_batch ORDER BY id",
                                    &st, err);
    if (rc) return rc;
    int r;
    while ((r = kt_stmt_step(st)) == KT_STMT_ROW) {
        kt_batch_info b = {
            kt_stmt_int(st, 0),  kt_stmt_text(st, 1), kt_stmt_text(st, 2), kt_stmt_text(st, 3),
            kt_stmt_text(st, 4), kt_stmt_text(st, 5), kt_stmt_text(st, 6),
        };
        if (fn(ud, &b)) break;
    }
    if (r != KT_STMT_ROW && r != KT_STMT_DONE) rc = kt_store_fail(s, err, "listing batches");
    kt_stmt_reset(st);
    return rc;
}
