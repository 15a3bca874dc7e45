/* kt_import_run: the row loop. Each row is mapped, each record it yields matched and saved
 * through the write door in a savepoint of the row's own, so a rejected row leaves nothing
 * behind and the row's fate is one of created/updated/merged/skipped/rejected. The whole file
 * is one transaction: a malformed file or a failing script rolls everything back. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dedupe/overlay.h"
#include "import/import_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/auth.h"
#include "kartoteka/buf.h"
#include "kartoteka/query.h"
#include "query/history.h"

#define MAX_ROW_RECORDS 64

typedef struct pending_diff {
    const char *action;
    kt_id id;
    long long from, to;
    char entity[64];
} pending_diff;

typedef struct run_state {
    kt_ws *ws;
    const kt_import_opts *o;
    imp_script scr;
    imp_matcher *m;
    imp_rejects *rej;
    kt_reader *rd;
    kt_import_summary *sum;
    kt_failures fails;
    kt_buf reasons;
    kt_save_opts save;
    int want_marks;
    int no_dedupe;
    pending_diff diffs[MAX_ROW_RECORDS];
    size_t ndiffs;
} run_state;

enum { F_SKIPPED, F_MERGED, F_UPDATED, F_CREATED }; /* stronger wins for a row */

static kt_on_match mode_of(const run_state *r, const imp_out *o)
{
    if (o->on_match != KT_ON_MATCH_SCRIPT) return o->on_match; /* a record's own wins */
    if (r->o->on_match != KT_ON_MATCH_SCRIPT) return r->o->on_match;
    return r->scr.on_match;
}

/* Merge keeps only the fields the stored record has empty. */
static kt_status keep_empty_only(kt_ws *ws, kt_record *rec, kt_id id, kt_error *err)
{
    kt_record *old = NULL;
    kt_status st = kt_get(ws, id, &old, err);
    if (st) return st;
    for (size_t i = 0; i < rec->n;) {
        if (!kt_value_empty(kt_record_get(old, rec->names[i])))
            kt_record_unset(rec, rec->names[i]);
        else
            i++;
    }
    kt_record_free(old);
    return KT_OK;
}

static int rejectable(kt_status st)
{
    return st == KT_INVALID || st == KT_CONSTRAINT || st == KT_NOTFOUND;
}

/* SQLite rolls a whole transaction back by itself after some failures (out of memory, I/O); a
 * row that went on would then write in autocommit mode, piece by piece. */
static kt_status still_in_transaction(kt_store *s, kt_error *err)
{
    if (!sqlite3_get_autocommit(kt_store_db(s))) return KT_OK;
    return kt_error_set(err, KT_IO, "the database rolled the import back (%s); nothing was written",
                        sqlite3_errmsg(kt_store_db(s)));
}

/* Matches and saves one record; *fate is set, *ok cleared when the write door refused it. */
static kt_status save_one(run_state *r, imp_out *o, int *fate, int *ok, kt_error *err)
{
    kt_on_match mode = mode_of(r, o);
    kt_id id = 0;
    kt_status st = KT_OK;
    kt_record *rec = o->rec;
    if (mode != KT_ON_MATCH_CREATE)
        st = imp_match(r->m, rec, o->has_keys ? &o->keys : &r->scr.keys, o->nth,
                       !r->no_dedupe && !o->no_dedupe, &id, err);
    if (st) return st;
    /* A record found only by similarity is probably, not certainly, this one: it gains the
     * row's values for its empty fields and loses nothing (and keeps its own keys, so a re-run
     * finds the same pair again instead of a record whose id was overwritten). */
    if (id && mode == KT_ON_MATCH_UPDATE && imp_matcher_similar(r->m)) mode = KT_ON_MATCH_MERGE;
    const char *action = id ? (mode == KT_ON_MATCH_MERGE ? "merge" : "update") : "create";
    *fate = F_SKIPPED;
    if (id && mode == KT_ON_MATCH_SKIP) {
        rec->id = id;
        return KT_OK;
    }
    if (id && mode == KT_ON_MATCH_MERGE && (st = keep_empty_only(r->ws, rec, id, err))) return st;
    rec->id = id;
    if (id && rec->n == 0) return KT_OK;
    long long before = 0, after = 0;
    if (r->want_marks && (st = kt_history_top(r->ws, &before, err))) return st;
    kt_save_opts so = r->save;
    /* create means create; and a new record's duplicate question is settled by the matcher */
    so.allow_duplicate = mode == KT_ON_MATCH_CREATE || r->no_dedupe || o->no_dedupe ||
                         (!id && imp_matcher_settled(r->m));
    size_t nf = r->fails.n;
    if ((st = still_in_transaction(kt_ws_store(r->ws), err))) return st;
    st = kt_save(r->ws, rec, &so, &r->fails, err);
    if (st && rejectable(st)) {
        if (r->fails.n == nf)
            kt_failures_add(&r->fails, KT_SEVERITY_ERROR, NULL, NULL, "save", err->message);
        *ok = 0;
        return KT_OK;
    }
    if (st) return st;
    if (r->want_marks && (st = kt_history_top(r->ws, &after, err))) return st;
    if (!id)
        *fate = F_CREATED;
    else if (!r->want_marks || after > before)
        *fate = mode == KT_ON_MATCH_MERGE ? F_MERGED : F_UPDATED;
    if (r->o->diff && after > before && r->ndiffs < MAX_ROW_RECORDS) {
        pending_diff *d = &r->diffs[r->ndiffs++];
        *d = (pending_diff){action, rec->id, before, after, ""};
        snprintf(d->entity, sizeof d->entity, "%s", rec->entity);
    }
    return KT_OK;
}

#define MAX_DIFF_FIELDS 256

typedef struct diff_fields {
    kt_import_change ch[MAX_DIFF_FIELDS];
    size_t n;
} diff_fields;

/* The field entries of the history, as kt_history shows them (a create one per field). */
static int collect_field(void *ud, const kt_change *c)
{
    diff_fields *d = ud;
    if (!c->field) return 0;
    kt_import_change *x = &d->ch[d->n++];
    x->field = kt_strdup(c->field);
    x->old = kt_strdup(c->old);
    x->new_ = kt_strdup(c->new_);
    return d->n == MAX_DIFF_FIELDS;
}

static kt_status emit_diffs(run_state *r, long line, kt_error *err)
{
    diff_fields f;
    kt_status rc = KT_OK;
    for (size_t i = 0; i < r->ndiffs && !rc; i++) {
        pending_diff *d = &r->diffs[i];
        f.n = 0;
        rc = kt_history_range(r->ws, d->id, d->from, d->to, collect_field, &f, err);
        if (!rc) r->o->diff(r->o->diff_ud, line, d->action, d->entity, d->id, f.ch, f.n);
        for (size_t j = 0; j < f.n; j++) {
            kt_free((char *)f.ch[j].field);
            kt_free((char *)f.ch[j].old);
            kt_free((char *)f.ch[j].new_);
        }
    }
    r->ndiffs = 0;
    return rc;
}

static kt_status reject(run_state *r, const kt_read_row *row, kt_error *err)
{
    r->sum->rejected++;
    if (!r->rej) return KT_OK;
    kt_buf_reset(&r->reasons);
    kt_status st = KT_OK;
    for (size_t i = 0; i < r->fails.n && !st; i++) {
        const kt_failure *f = &r->fails.items[i];
        if (f->severity != KT_SEVERITY_ERROR) continue;
        st = kt_buf_printf(&r->reasons, err, "%s%s%s%s", r->reasons.len ? "; " : "",
                           f->field ? f->field : "", f->field ? ": " : "", f->message);
    }
    size_t nh = 0;
    const char *const *h = kt_reader_header(r->rd, &nh);
    if (!h) h = row->keys, nh = row->count;
    return st ? st : imp_rejects_write(r->rej, h, nh, row, kt_buf_str(&r->reasons), err);
}

static kt_status process_row(run_state *r, const kt_read_row *row, kt_error *err)
{
    lua_State *L = r->scr.L;
    int top = lua_gettop(L), idx;
    size_t count;
    r->sum->rows++;
    kt_status st = imp_script_map(&r->scr, row, &idx, &count, err);
    if (st) return st;
    if (count == 0) {
        lua_settop(L, top);
        r->sum->skipped++;
        return KT_OK;
    }
    if (count > MAX_ROW_RECORDS) count = MAX_ROW_RECORDS;
    kt_store *s = kt_ws_store(r->ws);
    if ((st = still_in_transaction(s, err)) || (st = kt_store_begin(s, err))) {
        lua_settop(L, top);
        return st;
    }
    kt_failures_clear(&r->fails);
    r->ndiffs = 0;
    char *refs[MAX_ROW_RECORDS];
    kt_id ids[MAX_ROW_RECORDS];
    size_t nrefs = 0;
    int ok = 1, fate = F_SKIPPED;
    for (size_t i = 1; i <= count && !st; i++) {
        imp_out o;
        int rec_ok = 1, f = F_SKIPPED;
        st = imp_script_record(&r->scr, idx, i, refs, ids, nrefs, &o, &r->fails, &rec_ok, err);
        if (!st && rec_ok) st = save_one(r, &o, &f, &rec_ok, err);
        if (!st) st = still_in_transaction(s, err);
        if (!st && o.ref) {
            refs[nrefs] = o.ref;
            ids[nrefs++] = rec_ok && o.rec ? o.rec->id : 0;
            o.ref = NULL;
        }
        ok &= rec_ok;
        if (f > fate) fate = f;
        imp_out_clear(&o);
    }
    for (size_t i = 0; i < nrefs; i++)
        kt_free(refs[i]);
    lua_settop(L, top);
    if (st || !ok) {
        kt_store_rollback(s);
        dd_overlay_row_undone(r->ws);
        if (st) {
            kt_error_prefix(err, "line %ld: ", row->line);
            return st;
        }
        return reject(r, row, err);
    }
    if ((st = kt_store_commit(s, err))) {
        kt_store_rollback(s); /* a failed commit leaves the savepoint open */
        return st;
    }
    dd_overlay_row_done(r->ws);
    if (fate == F_CREATED)
        r->sum->created++;
    else if (fate == F_UPDATED)
        r->sum->updated++;
    else if (fate == F_MERGED)
        r->sum->merged++;
    else
        r->sum->skipped++;
    return r->o->diff ? emit_diffs(r, row->line, err) : KT_OK;
}

typedef struct row_call {
    run_state *r;
    const kt_read_row *row;
    kt_error *err;
    kt_status st;
} row_call;

static int row_trampoline(lua_State *L)
{
    row_call *c = lua_touserdata(L, 1);
    c->st = process_row(c->r, c->row, c->err);
    return 0;
}

/* A row — map and the rules the write door runs — is one budgeted call of the Lua host: the
 * calls inside it nest, so the host's watchdog is armed once per row instead of once per Lua
 * call (each arming wakes a thread). */
static kt_status budgeted_row(run_state *r, const kt_read_row *row, kt_error *err)
{
    lua_State *L = r->scr.L;
    row_call c = {r, row, err, KT_OK};
    lua_pushcfunction(L, row_trampoline);
    lua_pushlightuserdata(L, &c);
    /* named for messages: the trampoline itself would be "[C]" */
    kt_status st =
        kt_host_call_named(r->scr.host, 1, 0, r->o->script ? r->o->script : "(import)", err);
    return st ? st : c.st;
}

static kt_status loop(run_state *r, const char *path, kt_error *err)
{
    const kt_import_opts *o = r->o;
    long total = o->progress ? imp_count_lines(path) : 0;
    const kt_read_row *row;
    kt_status st;
    long line = 0;
    while ((st = kt_reader_next(r->rd, &row, err)) == KT_OK) {
        line = row->line;
        if ((st = budgeted_row(r, row, err)) || (st = dd_overlay_spill(r->ws, err))) return st;
        if (o->progress && r->sum->rows % 100 == 0)
            o->progress(o->progress_ud, r->sum->rows, line, total);
    }
    if (o->progress) o->progress(o->progress_ud, r->sum->rows, total ? total : line, total);
    return st == KT_NOTFOUND ? KT_OK : st;
}

/* A row's savepoints need statement journals: in memory they cost nothing, as temp files they
 * cost an open, a stat and an unlink each. A bigger page cache keeps the batch's pages from
 * spilling to the WAL row by row. Both are restored afterwards. */
static void tune(kt_store *s, int on)
{
    static const char *const sql[2] = {"PRAGMA temp_store = DEFAULT; PRAGMA cache_size = -2000",
                                       "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536"};
    sqlite3_exec(kt_store_db(s), sql[on], NULL, NULL, NULL);
}

kt_status kt_import_run(kt_ws *ws, const char *path, const kt_import_opts *opts,
                        kt_import_summary *sum, kt_error *err)
{
    kt_status denied = kt_auth_allow(ws, KT_ACT_IMPORT, NULL, err);
    if (denied) return denied;
    kt_import_opts none = {0};
    run_state r = {.ws = ws, .o = opts ? opts : &none, .sum = sum};
    memset(sum, 0, sizeof *sum);
    kt_failures_init(&r.fails);
    char source[600];
    snprintf(source, sizeof source, "import %s", path);
    r.save.source = r.o->source ? r.o->source : source;
    r.save.covered = 1; /* each row's savepoint covers its saves */
    r.want_marks = 1;
    kt_store *s = kt_ws_store(ws);
    int outer = 0;
    kt_status st = imp_matcher_new(ws, &r.m, err);
    if (!st) st = imp_script_load(&r.scr, ws, r.o->script, r.o->entity, path, r.m, err);
    r.no_dedupe = r.o->no_dedupe || r.scr.no_dedupe;
    if (!st && !r.no_dedupe) imp_matcher_use_dedupe(r.m);
    if (!st)
        st = kt_reader_open(kt_ws_ext(ws), path, r.o->format ? r.o->format : r.scr.format,
                            &r.scr.read, &r.rd, err);
    if (!st && r.o->rejects) st = imp_rejects_open(r.o->rejects, &r.rej, err);
    if (!st && !r.o->dry_run) st = imp_batch_start(ws, source, &sum->batch, err);
    r.save.batch = sum->batch;
    if (!st) tune(s, 1);
    if (!st && !(st = kt_store_begin(s, err))) outer = 1;
    /* the duplicate keys of what the rows change wait in memory, written once at the end */
    int overlay = !st && !r.no_dedupe && !(st = dd_overlay_begin(ws, err));
    if (overlay) st = dd_overlay_prime_rules(ws, err);
    if (!st) st = loop(&r, path, err);
    if (!st && overlay && !r.o->dry_run) st = dd_overlay_flush(ws, err);
    if (overlay) dd_overlay_end(ws);
    if (!st && sum->batch) st = imp_batch_finish(ws, sum->batch, "done", sum, err);
    if (outer) {
        if (st || r.o->dry_run || (st = kt_store_commit(s, err))) kt_store_rollback(s);
    }
    tune(s, 0);
    if (st && sum->batch) {
        kt_error e2;
        imp_batch_forget(ws, sum->batch, &e2);
        sum->batch = 0;
    }
    kt_error e3;
    kt_status cst = imp_rejects_close(r.rej, st ? &e3 : err);
    if (!st) st = cst;
    if (st && r.o->rejects && r.rej) unlink(r.o->rejects);
    kt_reader_close(r.rd);
    imp_script_free(&r.scr);
    imp_matcher_free(r.m);
    kt_failures_free(&r.fails);
    kt_buf_free(&r.reasons);
    return st;
}
