/* The search tables' statements, in one place: kt_search (FTS5) and kt_search_pending. */
#include "query/search_table.h"

kt_status kt_search_row_put(kt_store *s, kt_id id, const char *body, int fresh, kt_error *err)
{
    if (kt_store_depth(s) > 1)
        return kt_store_run(s,
                            "INSERT OR REPLACE INTO kt_search_pending(rowid, body) VALUES (?1, ?2)",
                            "staging a search entry", err, "it", (long long)id, body);
    kt_status rc = fresh ? KT_OK
                         : kt_store_run(s, "DELETE FROM kt_search WHERE rowid = ?1",
                                        "updating the search index", err, "i", (long long)id);
    if (rc || !body) return rc;
    return kt_store_run(s, "INSERT INTO kt_search(rowid, body) VALUES (?1, ?2)",
                        "updating the search index", err, "it", (long long)id, body);
}

kt_status kt_search_flush(kt_ws *ws, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *st;
    kt_status rc = kt_store_prepare(s, "SELECT 1 FROM kt_search_pending LIMIT 1", &st, err);
    if (rc) return rc;
    int any = kt_stmt_step(st) == KT_STMT_ROW;
    kt_stmt_reset(st);
    if (!any) return KT_OK;
    static const char *const steps[] = {
        "DELETE FROM kt_search WHERE rowid IN (SELECT rowid FROM kt_search_pending)",
        ("INSERT INTO kt_search(rowid, body) SELECT rowid, body FROM kt_search_pending "
         "WHERE body IS NOT NULL"),
        "DELETE FROM kt_search_pending"};
    for (size_t i = 0; i < 3; i++) {
        if ((rc = kt_store_prepare(s, steps[i], &st, err))) return rc;
        if (kt_stmt_step(st) != KT_STMT_DONE) return kt_store_fail(s, err, "indexing for search");
    }
    return KT_OK;
}

kt_status kt_search_purge(kt_ws *ws, kt_error *err)
{
    kt_status rc = kt_search_flush(ws, err);
    if (rc) return rc;
    /* a removed row only adds a delete marker: its tokens stay in the older segments until
     * they merge, so the whole index is made again from the current texts */
    return kt_store_run(kt_ws_store(ws), "INSERT INTO kt_search(kt_search) VALUES ('rebuild')",
                        "rebuilding the search index", err, "");
}

/* Steps st to cb until it stops or the rows end. */
static kt_status each_hit(kt_store *s, kt_stmt *st, kt_search_hit_fn cb, void *ud, int *exhausted,
                          kt_error *err)
{
    int step, stop = 0;
    while (!stop && (step = kt_stmt_step(st)) == KT_STMT_ROW)
        stop = cb(ud, kt_stmt_int(st, 0));
    *exhausted = !stop && step == KT_STMT_DONE;
    if (!stop && step != KT_STMT_DONE) return kt_store_fail(s, err, "searching");
    return KT_OK;
}

/* A search whose words all have one or two letters ("a", "an", "j k") matches a good part of
 * the workspace, and ranking every match costs bm25 over hundreds of thousands of rows (a
 * quarter of a second at a million people) for an order that means little. Its candidates are
 * the first SHORT_CANDIDATES matches by id (the oldest records), ranked among themselves; the
 * prefix index (021_search_prefix.sql) finds them without merging every term's list. */
#define SHORT_CANDIDATES "500"
#define SHORT_MATCHES                                                                              \
    "(SELECT rowid, rank FROM kt_search WHERE kt_search MATCH ?1 LIMIT " SHORT_CANDIDATES ")"

kt_status kt_search_ranked(kt_store *s, const char *match, int short_only, long window,
                           kt_search_hit_fn cb, void *ud, int *exhausted, kt_error *err)
{
    kt_stmt *sel;
    *exhausted = 0;
    kt_status st = kt_store_prepare(s,
                                    short_only ? "SELECT rowid FROM " SHORT_MATCHES
                                                 " ORDER BY rank, rowid LIMIT ?2"
                                               : "SELECT rowid FROM kt_search WHERE kt_search "
                                                 "MATCH ?1 ORDER BY rank, rowid LIMIT ?2",
                                    &sel, err);
    if (st) return st;
    kt_stmt_bind_text(sel, 1, match);
    kt_stmt_bind_int(sel, 2, window);
    st = each_hit(s, sel, cb, ud, exhausted, err);
    kt_stmt_reset(sel);
    return st;
}

kt_status kt_search_ordered(kt_store *s, const char *match, int short_only, long limit,
                            kt_search_hit_fn cb, void *ud, kt_error *err)
{
    kt_stmt *sel = NULL;
    kt_status st = kt_store_prepare_new(
        s,
        short_only ? "SELECT s.rowid FROM " SHORT_MATCHES " s JOIN kt_record r ON r.id = "
                     "s.rowid WHERE r.state <> 'merged' ORDER BY r.state = 'archived', "
                     "s.rank, r.id LIMIT ?2"
                   : "SELECT s.rowid FROM kt_search s JOIN kt_record r ON r.id = s.rowid "
                     "WHERE kt_search MATCH ?1 AND r.state <> 'merged' ORDER BY r.state = "
                     "'archived', s.rank, r.id LIMIT ?2",
        "searching", &sel, err);
    if (st) return st;
    kt_stmt_bind_text(sel, 1, match);
    kt_stmt_bind_int(sel, 2, limit > 0 ? limit : -1);
    int exhausted;
    st = each_hit(s, sel, cb, ud, &exhausted, err);
    kt_stmt_free(sel);
    return st;
}
