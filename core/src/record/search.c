/* Full-text search: an FTS5 table over a folded copy of each record's searchable fields. The
 * folding is the text module's, the same that duplicate matching uses. */
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "kartoteka/external.h"
#include "kartoteka/text.h"
#include "record/record_sql.h"
#include "record/record_table.h"

static size_t digits_of(const char *s, char *out, size_t size)
{
    size_t n = 0;
    for (; *s && n + 1 < size; s++)
        if (*s >= '0' && *s <= '9') out[n++] = *s;
    out[n] = '\0';
    return n;
}

/* Phone numbers are indexed as digits, whole and as their national tail, so any spelling of
 * the number finds them. */
static kt_status add_phone_tokens(kt_buf *body, const char *phone, kt_error *err)
{
    char d[64];
    size_t n = digits_of(phone, d, sizeof d);
    kt_status st = kt_buf_printf(body, err, " %s", d);
    if (!st && n > 9) st = kt_buf_printf(body, err, " %s", d + n - 9);
    if (!st && n > 10) st = kt_buf_printf(body, err, " %s", d + n - 10);
    return st;
}

static kt_status index_record(kt_ws *ws, const kt_record *rec, int fresh, kt_error *err);

/* Inside a larger transaction the entry waits in kt_search_pending (see 005_search_staging.sql)
 * and reaches FTS5 once, before the outermost commit; alone it goes straight in. body NULL:
 * the record has nothing searchable any more. */
static kt_status write_entry(kt_store *s, kt_id id, const char *body, int fresh, kt_error *err)
{
    kt_stmt *st;
    kt_status rc;
    if (kt_store_depth(s) > 1) {
        rc = kt_store_prepare(
            s, "INSERT OR REPLACE INTO kt_search_pending(rowid, body) VALUES (?1, ?2)", &st, err);
        if (rc) return rc;
        kt_stmt_bind_int(st, 1, id);
        if (body) kt_stmt_bind_text(st, 2, body);
        if (kt_stmt_step(st) != KT_STMT_DONE)
            return kt_store_fail(s, err, "staging a search entry");
        return KT_OK;
    }
    if (!fresh) {
        if ((rc = kt_store_prepare(s, "DELETE FROM kt_search WHERE rowid = ?1", &st, err)))
            return rc;
        kt_stmt_bind_int(st, 1, id);
        if (kt_stmt_step(st) != KT_STMT_DONE)
            return kt_store_fail(s, err, "updating the search index");
    }
    if (!body) return KT_OK;
    if ((rc = kt_store_prepare(s, "INSERT INTO kt_search(rowid, body) VALUES (?1, ?2)", &st, err)))
        return rc;
    kt_stmt_bind_int(st, 1, id);
    kt_stmt_bind_text(st, 2, body);
    if (kt_stmt_step(st) != KT_STMT_DONE) return kt_store_fail(s, err, "updating the search index");
    return KT_OK;
}

/* The staged entries reach the index once, just before the outermost commit. */
static kt_status flush_at_commit(void *ud, int depth, kt_error *err)
{
    return depth == 1 ? kt_search_flush(ud, err) : KT_OK;
}

/* Search wires itself in: the first entry it stages makes it listen to the store's commits. */
static kt_status listen_for_commits(kt_ws *ws, kt_error *err)
{
    kt_store_listener *l;
    kt_status st = kt_ws_attachment_make(ws, "kt.search", sizeof *l, kt_free, (void **)&l, err);
    if (st || l->committing) return st;
    l->committing = flush_at_commit;
    l->ud = ws;
    return kt_store_listen(kt_ws_store(ws), l, err);
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

kt_status kt_search_index(kt_ws *ws, const kt_record *rec, kt_error *err)
{
    return index_record(ws, rec, 0, err);
}

kt_status kt_search_index_new(kt_ws *ws, const kt_record *rec, kt_error *err)
{
    return index_record(ws, rec, 1, err);
}

/* fresh: the record was just created, so it has no entry to replace. */
static kt_status index_record(kt_ws *ws, const kt_record *rec, int fresh, kt_error *err)
{
    const kt_entity *e = kt_registry_entity(kt_ws_registry(ws), rec->entity);
    if (!e) return KT_OK;
    kt_buf body = KT_BUF_INIT;
    kt_status st = KT_OK;
    for (size_t i = 0; !st && i < e->nfields; i++) {
        const kt_field *f = &e->fields[i];
        if (!f->searchable) continue;
        const kt_value *v = kt_record_get(rec, f->name);
        if (kt_value_empty(v)) continue;
        if (f->kind == KT_TYPE_PHONE && !v->is_set) {
            st = add_phone_tokens(&body, v->text, err);
            continue;
        }
        for (size_t j = 0; !st && j < (v->is_set ? v->nitems : 1); j++) {
            char *folded = NULL;
            st = kt_text_fold(v->is_set ? v->items[j] : v->text, &folded, err);
            if (!st) st = kt_buf_printf(&body, err, " %s", folded);
            kt_free(folded);
        }
    }
    kt_store *s = kt_ws_store(ws);
    if (!st && kt_store_depth(s) > 1) st = listen_for_commits(ws, err);
    if (!st)
        st = body.len || !fresh
                 ? write_entry(s, rec->id, body.len ? kt_buf_str(&body) : NULL, fresh, err)
                 : KT_OK;
    kt_buf_free(&body);
    return st;
}

static int looks_like_phone(const char *q)
{
    size_t digits = 0;
    for (const char *p = q; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (!strchr(" +-()./", *p))
            return 0;
    }
    return digits >= 6;
}

/* The FTS5 query: every folded word as a quoted prefix, all required. */
static kt_status match_expr(kt_ws *ws, const char *text, kt_buf *q, kt_error *err)
{
    if (looks_like_phone(text)) {
        char out[64], msg[256], d[64];
        const kt_plugin_type *t = kt_ext_type(kt_ws_ext(ws), "phone");
        kt_plugin_value_ctx ctx = {kt_ws_setting(ws, "country"), NULL, NULL};
        size_t n;
        if (t && t->normalise(t->ud, text, &ctx, out, sizeof out, msg, sizeof msg) == KT_PLUGIN_OK)
            n = digits_of(out, d, sizeof d);
        else {
            n = digits_of(text, d, sizeof d);
            if (n > 9) memmove(d, d + n - 9, 10); /* the national tail, whatever the prefix */
        }
        return kt_buf_printf(q, err, "\"%s\"*", d);
    }
    char *folded = NULL;
    kt_status st = kt_text_fold(text, &folded, err);
    if (st) return st;
    int words = 0;
    for (char *tok = strtok(folded, " "); !st && tok; tok = strtok(NULL, " ")) {
        st = kt_buf_puts(q, words++ ? " \"" : "\"", err);
        for (const char *p = tok; !st && *p; p++)
            st = *p == '"' ? kt_buf_puts(q, "\"\"", err) : kt_buf_putc(q, *p, err);
        if (!st) st = kt_buf_puts(q, "\"*", err);
    }
    kt_free(folded);
    if (!st && words == 0) st = kt_error_set(err, KT_USAGE, "nothing to search for");
    return st;
}

/* The order of a search: active records before archived ones, each by rank, then id; merged
 * records left out. The whole order joins kt_record for every match before it can cut at the
 * limit, so the first `limit` are found inside FTS5 instead: its best `window` matches by rank
 * and id, of which only those are looked up. When they hold `limit` records not archived, those
 * are the answer (nothing outside the window can come before them); when the window held every
 * match, its records in that order are. Otherwise the whole order decides (*ids left NULL). */
#define WINDOW_SLACK 16
#define WINDOW_MAX 10000 /* a longer list is the whole order's work anyway */

static kt_status ranked_window(kt_ws *ws, const char *match, long limit, kt_id **ids, size_t *n,
                               kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    *ids = NULL;
    *n = 0;
    if (limit > WINDOW_MAX) return KT_OK;
    long window = limit + limit / 4 + WINDOW_SLACK;
    kt_stmt *sel;
    kt_status st = kt_store_prepare(s,
                                    "SELECT rowid FROM kt_search WHERE kt_search MATCH ?1 "
                                    "ORDER BY rank, rowid LIMIT ?2",
                                    &sel, err);
    if (st) return st;
    kt_id *front = kt_calloc((size_t)window, sizeof *front);
    kt_id *back = kt_calloc((size_t)window, sizeof *back);
    if (!front || !back) st = kt_error_set(err, KT_NOMEM, "out of memory");
    if (!st) {
        kt_stmt_bind_text(sel, 1, match);
        kt_stmt_bind_int(sel, 2, window);
    }
    size_t nfront = 0, nback = 0;
    long rows = 0;
    int step = KT_STMT_DONE;
    while (!st && (size_t)nfront < (size_t)limit && (step = kt_stmt_step(sel)) == KT_STMT_ROW) {
        kt_id id = kt_stmt_int(sel, 0);
        char state[16];
        kt_id into;
        rows++;
        if ((st = kt_record_state_get(s, id, state, &into, err)) == KT_NOTFOUND) {
            st = KT_OK; /* an entry whose record is gone: the joined order never saw it */
            continue;
        }
        if (st || !strcmp(state, "merged")) continue;
        if (!strcmp(state, "archived"))
            back[nback++] = id;
        else
            front[nfront++] = id;
    }
    if (!st && step != KT_STMT_ROW && step != KT_STMT_DONE) st = kt_store_fail(s, err, "searching");
    int all_seen = step == KT_STMT_DONE && rows < window; /* the LIMIT did not stop it */
    kt_stmt_reset(sel);
    if (!st && (nfront >= (size_t)limit || all_seen)) {
        for (size_t i = 0; i < nback && nfront < (size_t)limit; i++)
            front[nfront++] = back[i];
        *ids = front;
        *n = nfront;
        front = NULL;
    }
    kt_free(front);
    kt_free(back);
    return st;
}

kt_status kt_find(kt_ws *ws, const char *text, long limit, kt_record_cb cb, void *ud, kt_error *err)
{
    kt_buf q = KT_BUF_INIT;
    /* a script that saved and now searches, inside its one transaction, finds what it saved */
    kt_status st = kt_store_depth(kt_ws_store(ws)) > 0 ? kt_search_flush(ws, err) : KT_OK;
    if (!st) st = match_expr(ws, text, &q, err);
    kt_id *ids = NULL;
    size_t nids = 0, at = 0;
    if (!st && limit > 0) st = ranked_window(ws, kt_buf_str(&q), limit, &ids, &nids, err);
    kt_stmt *sel = NULL;
    if (!st && !ids)
        st = kt_store_prepare_new(kt_ws_store(ws),
                                  "SELECT s.rowid FROM kt_search s JOIN kt_record r ON r.id = "
                                  "s.rowid WHERE kt_search MATCH ?1 AND r.state <> 'merged' "
                                  "ORDER BY r.state = 'archived', s.rank, r.id LIMIT ?2",
                                  "searching", &sel, err);
    if (sel) {
        kt_stmt_bind_text(sel, 1, kt_buf_str(&q));
        kt_stmt_bind_int(sel, 2, limit > 0 ? limit : -1);
    }
    /* an external id finds its record first, also one it only answers to (an alias, the id of
     * a record merged into it), which the text index does not hold */
    kt_id known = 0;
    long found = 0;
    int step = KT_STMT_DONE, stop = 0;
    if (!st) st = kt_external_find(ws, NULL, text, &known, err);
    if (!st && known) {
        kt_record *r = NULL;
        if (!(st = kt_get(ws, known, &r, err))) stop = cb(ud, r);
        kt_record_free(r);
        if (st == KT_DENIED)
            st = KT_OK; /* hidden by the workspace's access rules */
        else
            found++;
    }
    while (!st && !stop && (limit <= 0 || found < limit)) {
        kt_id id;
        if (ids) {
            if (at == nids) break;
            id = ids[at++];
        } else if ((step = kt_stmt_step(sel)) == KT_STMT_ROW) {
            id = kt_stmt_int(sel, 0);
        } else {
            break;
        }
        if (id == known) continue;
        kt_record *r = NULL;
        if ((st = kt_get(ws, id, &r, err)) == KT_DENIED) {
            st = KT_OK; /* hidden by the workspace's access rules */
            continue;
        }
        if (st) break;
        stop = cb(ud, r);
        kt_record_free(r);
        found++;
    }
    if (!st && sel && step != KT_STMT_ROW && step != KT_STMT_DONE)
        st = kt_store_fail(kt_ws_store(ws), err, "searching");
    kt_stmt_free(sel);
    kt_free(ids);
    kt_buf_free(&q);
    return st;
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
