/* Full-text search: an FTS5 table over a folded copy of each record's searchable fields. The
 * folding is the text module's, the same that duplicate matching uses. */
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "kartoteka/external.h"
#include "kartoteka/text.h"
#include "kartoteka/save.h"
#include "query/search_table.h"
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

kt_status kt_search_index(kt_ws *ws, const kt_record *rec, kt_error *err)
{
    return index_record(ws, rec, 0, err);
}

kt_status kt_search_index_new(kt_ws *ws, const kt_record *rec, kt_error *err)
{
    return index_record(ws, rec, 1, err);
}

/* The write door's observer: a new record gets its entry, a changed one a new entry when a
 * searchable field changed. */
static kt_status on_written(void *ud, kt_ws *ws, const kt_record *old, const kt_record *full,
                            kt_error *err)
{
    (void)ud;
    if (!old) return index_record(ws, full, 1, err);
    const kt_entity *e = kt_registry_entity(kt_ws_registry(ws), full->entity);
    for (size_t i = 0; e && i < e->nfields; i++)
        if (e->fields[i].searchable && !kt_value_equal(kt_record_get(old, e->fields[i].name),
                                                       kt_record_get(full, e->fields[i].name)))
            return index_record(ws, full, 0, err);
    return KT_OK;
}

kt_status kt_search_install(kt_ws *ws, kt_error *err)
{
    return kt_ws_observe_writes(ws, on_written, NULL, err);
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
    if (!st && (body.len || !fresh))
        st = kt_search_row_put(s, rec->id, body.len ? kt_buf_str(&body) : NULL, fresh, err);
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

/* Code points in a UTF-8 word. */
static size_t letters(const char *w)
{
    size_t n = 0;
    for (; *w; w++)
        n += ((unsigned char)*w & 0xC0) != 0x80;
    return n;
}

/* The FTS5 query: every folded word as a quoted prefix, all required. *short_only: every word
 * has one or two letters (see SHORT_CANDIDATES). */
static kt_status match_expr(kt_ws *ws, const char *text, kt_buf *q, int *short_only, kt_error *err)
{
    *short_only = 0;
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
    size_t longest = 0;
    for (char *tok = strtok(folded, " "); !st && tok; tok = strtok(NULL, " ")) {
        if (letters(tok) > longest) longest = letters(tok);
        st = kt_buf_puts(q, words++ ? " \"" : "\"", err);
        for (const char *p = tok; !st && *p; p++)
            st = *p == '"' ? kt_buf_puts(q, "\"\"", err) : kt_buf_putc(q, *p, err);
        if (!st) st = kt_buf_puts(q, "\"*", err);
    }
    kt_free(folded);
    if (!st && words == 0) st = kt_error_set(err, KT_USAGE, "nothing to search for");
    *short_only = longest <= 2;
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

typedef struct window_ctx {
    kt_store *s;
    long limit, rows;
    kt_id *front, *back;
    size_t nfront, nback;
    kt_status st;
    kt_error *err;
} window_ctx;

static int window_hit(void *ud, kt_id id)
{
    window_ctx *w = ud;
    char state[16];
    kt_id into;
    w->rows++;
    if ((w->st = kt_record_state_get(w->s, id, state, &into, w->err)) == KT_NOTFOUND)
        w->st = KT_OK; /* an entry whose record is gone: the joined order never saw it */
    else if (!w->st && !strcmp(state, "archived"))
        w->back[w->nback++] = id;
    else if (!w->st && strcmp(state, "merged") != 0)
        w->front[w->nfront++] = id;
    return w->st || w->nfront >= (size_t)w->limit;
}

static kt_status ranked_window(kt_ws *ws, const char *match, int short_only, long limit,
                               kt_id **ids, size_t *n, kt_error *err)
{
    *ids = NULL;
    *n = 0;
    if (limit > WINDOW_MAX) return KT_OK;
    long window = limit + limit / 4 + WINDOW_SLACK;
    window_ctx w = {kt_ws_store(ws), limit, 0, NULL, NULL, 0, 0, KT_OK, err};
    w.front = kt_calloc((size_t)window, sizeof *w.front);
    w.back = kt_calloc((size_t)window, sizeof *w.back);
    kt_status st = w.front && w.back ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
    int exhausted = 0;
    if (!st) st = kt_search_ranked(w.s, match, short_only, window, window_hit, &w, &exhausted, err);
    if (!st) st = w.st;
    int all_seen = exhausted && w.rows < window; /* the LIMIT did not stop it */
    if (!st && (w.nfront >= (size_t)limit || all_seen)) {
        for (size_t i = 0; i < w.nback && w.nfront < (size_t)limit; i++)
            w.front[w.nfront++] = w.back[i];
        *ids = w.front;
        *n = w.nfront;
        w.front = NULL;
    }
    kt_free(w.front);
    kt_free(w.back);
    return st;
}

typedef struct find_ctx {
    kt_ws *ws;
    long limit, found;
    kt_id known;
    kt_record_cb cb;
    void *ud;
    int stop;
    kt_status st;
    kt_error *err;
} find_ctx;

/* Hands record id to the caller; non-zero when the search is over. */
static int find_hit(void *ud, kt_id id)
{
    find_ctx *f = ud;
    if (id == f->known) return 0;
    kt_record *r = NULL;
    if ((f->st = kt_get(f->ws, id, &r, f->err)) == KT_DENIED) {
        f->st = KT_OK; /* hidden by the workspace's access rules */
        return 0;
    }
    if (f->st) return 1;
    f->stop = f->cb(f->ud, r);
    kt_record_free(r);
    f->found++;
    return f->stop || (f->limit > 0 && f->found >= f->limit);
}

kt_status kt_find(kt_ws *ws, const char *text, long limit, kt_record_cb cb, void *ud, kt_error *err)
{
    kt_buf q = KT_BUF_INIT;
    /* a script that saved and now searches, inside its one transaction, finds what it saved */
    kt_status st = kt_store_depth(kt_ws_store(ws)) > 0 ? kt_search_flush(ws, err) : KT_OK;
    int short_only = 0;
    if (!st) st = match_expr(ws, text, &q, &short_only, err);
    kt_id *ids = NULL;
    size_t nids = 0;
    if (!st && limit > 0)
        st = ranked_window(ws, kt_buf_str(&q), short_only, limit, &ids, &nids, err);
    /* an external id finds its record first, also one it only answers to (an alias, the id of
     * a record merged into it), which the text index does not hold */
    find_ctx f = {ws, limit, 0, 0, cb, ud, 0, KT_OK, err};
    if (!st) st = kt_external_find(ws, NULL, text, &f.known, err);
    if (!st && f.known) {
        kt_record *r = NULL;
        if (!(st = kt_get(ws, f.known, &r, err))) f.stop = cb(ud, r);
        kt_record_free(r);
        if (st == KT_DENIED)
            st = KT_OK; /* hidden by the workspace's access rules */
        else
            f.found++;
    }
    int over = st || f.stop || (limit > 0 && f.found >= limit);
    for (size_t at = 0; !over && ids && at < nids; at++)
        over = find_hit(&f, ids[at]);
    if (!over && !ids)
        st = kt_search_ordered(kt_ws_store(ws), kt_buf_str(&q), short_only, limit, find_hit, &f, err);
    if (!st) st = f.st;
    kt_free(ids);
    kt_buf_free(&q);
    return st;
}
