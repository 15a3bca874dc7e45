/* The statements of kt_dupe_review: probable duplicates (a < b) kept for kt dupes to propose. */
#include "dedupe/dd_int.h"
#include "kartoteka/store.h"

kt_status dd_review_put(kt_store *s, kt_id a, kt_id b, double score, const char *at,
                        const char *source, kt_error *err)
{
    return kt_store_run(s,
                        "INSERT OR REPLACE INTO kt_dupe_review(a, b, score, at, source) "
                        "VALUES (?1, ?2, ?3, ?4, ?5)",
                        "queueing a pair for review", err, "iidtt", (long long)a, (long long)b,
                        score, at, source);
}

kt_status dd_review_each(kt_store *s, dd_stored_pair_fn fn, void *ud, kt_error *err)
{
    kt_stmt *q;
    /* a statement of its own: fn reads records while this one is open */
    kt_status st =
        kt_store_prepare_new(s, "SELECT a, b, score FROM kt_dupe_review ORDER BY score DESC, a, b",
                             "reading the review queue", &q, err);
    if (st) return st;
    int rc = KT_STMT_DONE;
    while (!st && (rc = kt_stmt_step(q)) == KT_STMT_ROW)
        st = fn(ud, kt_stmt_int(q, 0), kt_stmt_int(q, 1), kt_stmt_double(q, 2), err);
    if (!st && rc != KT_STMT_DONE) st = kt_store_fail(s, err, "reading the review queue");
    kt_stmt_free(q);
    return st;
}
