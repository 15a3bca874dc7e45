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
#include "kartoteka/config.h"
#include "kartoteka/dedupe.h"
#include "kartoteka/ext.h"
#include "kartoteka/host.h"
#include "kartoteka/query.h"
#include "kartoteka/stage_clock.h"
#include "record/history.h"
#include "script/import_map_script.h"

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
    kt_import_map *map; /* the script's, the plugin's or the built-in one */
    kt_host *host;
    imp_matcher *m;
    imp_rejects *rej;
    imp_log *log;
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
    return r->map->on_match;
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

/* KT_DENIED here is a workspace access rule refusing this row: the actor's role was allowed to
 * import before the first row. */
static int rejectable(kt_status st)
{
    return st == KT_INVALID || st == KT_CONSTRAINT || st == KT_NOTFOUND || st == KT_DENIED;
}

/* The database may roll a whole transaction back by itself after some failures (out of memory,
 * I/O); a row that went on would then write in autocommit mode, piece by piece. */
static kt_status still_in_transaction(kt_store *s, kt_error *err)
{
    return kt_store_still_open(s, "the import", err);
}

/* A refusal of the write door becomes the row's failures (its message when it listed none). */
static kt_status refused(run_state *r, kt_status st, size_t nf, int *ok, kt_error *err)
{
    if (!rejectable(st)) return st;
    if (r->fails.n == nf)
        kt_failures_add(&r->fails, KT_SEVERITY_ERROR, NULL, NULL, "save", err->message);
    *ok = 0;
    return KT_OK;
}

/* The write itself, through the door; *fate from what the history says changed. */
static kt_status write_record(run_state *r, kt_record *rec, kt_on_match mode, kt_id id,
                              int allow_duplicate, const char *action, int *fate, int *ok,
                              size_t nf, kt_error *err)
{
    long long before = 0, after = 0;
    kt_status st;
    if (r->want_marks && (st = kt_history_top(r->ws, &before, err))) return st;
    kt_save_opts so = r->save;
    so.allow_duplicate = allow_duplicate;
    st = kt_save(r->ws, rec, &so, &r->fails, err);
    if (st) return refused(r, st, nf, ok, err);
    if (r->map->saved && (st = r->map->saved(r->map, rec->id, !id, &so, err))) return st;
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

/* Matches and saves one record; *fate is set, *ok cleared when the write door refused it.
 * *about is the stored record it matched (or created), *how what matched it. */
static kt_status save_one(run_state *r, imp_out *o, int *fate, int *ok, kt_id *about,
                          const char **how, kt_error *err)
{
    kt_on_match mode = mode_of(r, o);
    kt_id id = 0;
    kt_status st = KT_OK;
    kt_record *rec = o->rec;
    *fate = F_SKIPPED;
    *how = "";
    int asked = mode != KT_ON_MATCH_CREATE && !(id = r->map->known ? r->map->known(r->map) : 0);
    if (asked) {
        kt_stage was = kt_stage_switch(KT_STAGE_DEDUPE);
        st = imp_match(r->m, rec, o->has_keys ? &o->keys : &r->map->keys, o->nth,
                       !r->no_dedupe && !o->no_dedupe, &id, err);
        kt_stage_switch(was);
    }
    if (st) return st;
    *about = id;
    if (id) *how = imp_matcher_how(r->m);
    /* A record found only by similarity (or by an id of a row absorbed before) is probably, not
     * certainly, this one: it gains the row's values for its empty fields and loses nothing
     * (and keeps its own keys, so a re-run finds the same pair again instead of a record whose
     * id was overwritten). */
    if (id && mode == KT_ON_MATCH_UPDATE && (imp_matcher_similar(r->m) || imp_matcher_alias(r->m)))
        mode = KT_ON_MATCH_MERGE;
    const char *action = id ? (mode == KT_ON_MATCH_MERGE ? "merge" : "update") : "create";
    size_t nf = r->fails.n;
    if ((st = still_in_transaction(kt_ws_store(r->ws), err))) return st;
    /* Every row is judged as a new record would be, whatever the match decides: a bad value is
     * never absorbed into, or skipped as a copy of, a stored record (a create's own save
     * judges it the same way). */
    if (id && (st = kt_save_check(r->ws, rec, id, &r->fails, err)))
        return refused(r, st, nf, ok, err);
    imp_ids ids;
    if ((st = imp_ids_before(r->ws, rec, id, &ids, err))) return st;
    if (id && mode == KT_ON_MATCH_SKIP) {
        rec->id = id;
    } else if (!(id && mode == KT_ON_MATCH_MERGE && (st = keep_empty_only(r->ws, rec, id, err)))) {
        rec->id = id;
        /* create means create; and a new record's duplicate question is settled by the matcher */
        int dup_ok = mode == KT_ON_MATCH_CREATE || r->no_dedupe || o->no_dedupe ||
                     (!id && imp_matcher_settled(r->m));
        if (!id || rec->n) st = write_record(r, rec, mode, id, dup_ok, action, fate, ok, nf, err);
    }
    size_t nerr = kt_failures_errors(&r->fails);
    if (!st && *ok && id)
        st = imp_ids_keep(r->ws, rec->entity, id, &ids, r->save.batch, &r->fails, err);
    if (kt_failures_errors(&r->fails) > nerr) *ok = 0; /* an id another record answers to */
    if (!id) *about = rec->id;
    double similar = 0; /* a similar record too little agrees with: proposed, never merged */
    kt_id maybe = asked && !id ? imp_matcher_review(r->m, &similar) : 0;
    if (!st && *ok && maybe && rec->id)
        st = kt_dupes_queue(r->ws, maybe, rec->id, similar, "import", err);
    imp_ids_clear(&ids);
    return st;
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

static const char *const fate_names[] = {"skipped", "merged", "updated", "created"};

/* Every error of the row, "field: message; ...", in r->reasons. */
static kt_status reasons(run_state *r, kt_error *err)
{
    kt_buf_reset(&r->reasons);
    kt_status st = KT_OK;
    for (size_t i = 0; i < r->fails.n && !st; i++) {
        if (r->fails.items[i].severity != KT_SEVERITY_ERROR) continue;
        if (r->reasons.len) st = kt_buf_puts(&r->reasons, "; ", err);
        if (!st) st = imp_reason_put(&r->reasons, &r->fails.items[i], err);
    }
    return st;
}

static kt_status log_row(run_state *r, long line, const char *fate, kt_id record, const char *how,
                         kt_error *err)
{
    if (!r->log) return KT_OK;
    int rejected = !strcmp(fate, "rejected");
    imp_log_entry e = {line, fate, record, how ? how : "", rejected ? &r->fails : NULL};
    return imp_log_row(r->log, &e, err);
}

static kt_status reject(run_state *r, const kt_read_row *row, kt_id about, const char *how,
                        kt_error *err)
{
    r->sum->rejected++;
    kt_status st = log_row(r, row->line, "rejected", about, how, err);
    if (st || !r->rej || (st = reasons(r, err))) return st;
    size_t nh = 0;
    const char *const *h = kt_reader_header(r->rd, &nh);
    if (!h) h = row->keys, nh = row->count;
    return imp_rejects_write(r->rej, h, nh, row, kt_buf_str(&r->reasons), err);
}

/* One record of the row from the map, its sets split and empty cells dropped. */
static kt_status take_record(run_state *r, size_t i, const kt_import_refs *refs, imp_out *o,
                             int *ok, kt_error *err)
{
    kt_stage was = kt_stage_switch(KT_STAGE_READ_MAP);
    kt_status st = r->map->record(r->map, i, refs, o, &r->fails, ok, err);
    if (!st && o->rec && (st = imp_coerce_sets(r->ws, o->rec, err))) kt_import_out_clear(o);
    kt_stage_switch(was);
    return st;
}

static kt_status process_row(run_state *r, const kt_read_row *row, kt_error *err)
{
    size_t count = 0;
    r->sum->rows++;
    int refused_row = 0;
    kt_failures_clear(&r->fails);
    kt_status st = r->map->map(r->map, row, &count, &r->fails, &refused_row, err);
    kt_stage_switch(KT_STAGE_WRITE);
    if (st) return st;
    if (refused_row) return reject(r, row, 0, NULL, err);
    if (count == 0) {
        r->map->row_done(r->map);
        r->sum->skipped++;
        return log_row(r, row->line, "skipped", 0, NULL, err);
    }
    if (count > MAX_ROW_RECORDS) count = MAX_ROW_RECORDS;
    kt_store *s = kt_ws_store(r->ws);
    if ((st = still_in_transaction(s, err)) || (st = kt_store_begin(s, err))) {
        r->map->row_done(r->map);
        return st;
    }
    kt_failures_clear(&r->fails);
    r->ndiffs = 0;
    char *refs[MAX_ROW_RECORDS];
    kt_id ids[MAX_ROW_RECORDS];
    size_t nrefs = 0;
    int ok = 1, fate = F_SKIPPED;
    kt_id about = 0; /* the record the row is about: of its strongest fate, the last one */
    char how[96] = "";
    for (size_t i = 1; i <= count && !st; i++) {
        imp_out o;
        int rec_ok = 1, f = F_SKIPPED;
        kt_id its = 0;
        const char *by = "";
        kt_import_refs known = {refs, ids, nrefs};
        st = take_record(r, i - 1, &known, &o, &rec_ok, err);
        if (!st && rec_ok) st = save_one(r, &o, &f, &rec_ok, &its, &by, err);
        if (!st && f >= fate && (its || !about)) {
            about = its;
            snprintf(how, sizeof how, "%s", by);
        }
        if (!st) st = still_in_transaction(s, err);
        if (!st && o.ref) {
            refs[nrefs] = o.ref;
            ids[nrefs++] = rec_ok && o.rec ? o.rec->id : 0;
            o.ref = NULL;
        }
        ok &= rec_ok;
        if (f > fate) fate = f;
        kt_import_out_clear(&o);
    }
    for (size_t i = 0; i < nrefs; i++)
        kt_free(refs[i]);
    r->map->row_done(r->map);
    if (st || !ok) {
        kt_store_rollback(s);
        if (st) {
            kt_error_prefix(err, "line %ld: ", row->line);
            return st;
        }
        return reject(r, row, about, how, err);
    }
    if ((st = kt_store_commit(s, err))) {
        kt_store_rollback(s); /* a failed commit leaves the savepoint open */
        return st;
    }
    if (fate == F_CREATED)
        r->sum->created++;
    else if (fate == F_UPDATED)
        r->sum->updated++;
    else if (fate == F_MERGED)
        r->sum->merged++;
    else
        r->sum->skipped++;
    if ((st = log_row(r, row->line, fate_names[fate], about, how, err))) return st;
    return r->o->diff ? emit_diffs(r, row->line, err) : KT_OK;
}

typedef struct row_call {
    run_state *r;
    const kt_read_row *row;
} row_call;

static kt_status row_in_host(void *ud, kt_error *err)
{
    row_call *c = ud;
    return process_row(c->r, c->row, err);
}

/* A row — map and the rules the write door runs — is one budgeted call of the Lua host: the
 * calls inside it nest, so the host's watchdog is armed once per row instead of once per Lua
 * call (each arming wakes a thread). */
static kt_status budgeted_row(run_state *r, const kt_read_row *row, kt_error *err)
{
    row_call c = {r, row};
    return kt_host_call_c(r->host, r->o->script ? r->o->script : "(import)", row_in_host, &c, err);
}

static kt_status loop(run_state *r, const char *path, kt_error *err)
{
    const kt_import_opts *o = r->o;
    long total = o->progress ? imp_count_lines(path) : 0;
    const kt_read_row *row;
    kt_status st;
    long line = 0;
    kt_stage_switch(KT_STAGE_READ_MAP);
    while ((st = kt_reader_next(r->rd, &row, err)) == KT_OK) {
        line = row->line;
        if ((st = budgeted_row(r, row, err))) return st;
        kt_stage_switch(KT_STAGE_DEDUPE);
        if ((st = dd_overlay_spill(r->ws, err))) return st;
        if (o->progress && r->sum->rows % 100 == 0)
            o->progress(o->progress_ud, r->sum->rows, line, total);
        kt_stage_switch(KT_STAGE_READ_MAP);
    }
    kt_stage_switch(KT_STAGE_COMMIT);
    if (o->progress) o->progress(o->progress_ud, r->sum->rows, total ? total : line, total);
    return st == KT_NOTFOUND ? KT_OK : st;
}

/* A row's savepoints need statement journals: in memory they cost nothing, as temp files they
 * cost an open, a stat and an unlink each (the store's bulk mode, restored afterwards). */
static void tune(kt_store *s, int on)
{
    kt_store_bulk(s, on);
}

static kt_status lookup(void *ud, const char *entity, const char *field, const char *value,
                        kt_id *id, kt_error *err)
{
    return imp_lookup(ud, entity, field, value, id, err);
}

/* The script's map or the registered one --map names, opened before the file is (they may say
 * how to read it). None: the built-in map, chosen afterwards by the file's format. */
static kt_status open_map(run_state *r, const char *path, kt_error *err)
{
    if (!(r->host = kt_config_host(r->ws)))
        return kt_error_set(err, KT_USAGE, "the workspace's configuration is not applied");
    kt_import_map_env env = {r->o->entity, path, lookup, r->m};
    if (r->o->script) return kt_script_import_map_open(r->ws, r->o->script, &env, &r->map, err);
    if (!r->o->map) return KT_OK;
    const kt_ext_import_map *x = kt_ext_find(kt_ws_ext(r->ws), KT_EXT_IMPORT_MAP, r->o->map);
    if (!x)
        return kt_error_set(err, KT_NOTFOUND,
                            "no import map is named %s (kt plugin list shows the plugins' maps)",
                            r->o->map);
    return x->open(x->ud, r->ws, &env, &r->map, err);
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
    if (!st) st = open_map(&r, path, err);
    r.no_dedupe = r.o->no_dedupe || (r.map && r.map->no_dedupe);
    if (!st && !r.no_dedupe) imp_matcher_use_dedupe(r.m);
    kt_read_opts plain = {0};
    const char *format = r.o->format ? r.o->format : r.map ? r.map->format : NULL;
    if (!st)
        st = kt_reader_open(kt_ws_ext(ws), path, format, r.map ? &r.map->read : &plain, &r.rd, err);
    if (!st && !r.map) st = imp_builtin_new(ws, r.o->entity, kt_reader_format(r.rd), &r.map, err);
    if (!st && r.o->rejects)
        st = imp_rejects_open(ws, r.o->rejects, r.o->rejects_replace, &r.rej, err);
    if (!st && r.o->log) st = imp_log_open(ws, r.o->log, r.o->rejects_replace, &r.log, err);
    if (!st && !r.o->dry_run) st = imp_batch_start(ws, r.save.source, &sum->batch, err);
    long long held = sum->batch; /* the batch's lock, dropped once the import is over */
    r.save.batch = sum->batch;
    if (!st) tune(s, 1);
    if (!st && !(st = kt_store_begin(s, err))) outer = 1;
    /* the duplicate keys of what the rows change wait in memory, written once at the end */
    int overlay = !st && !r.no_dedupe && !(st = dd_overlay_begin(ws, err));
    if (overlay) st = dd_overlay_prime_rules(ws, err);
    if (!st) st = loop(&r, path, err);
    if (!st && r.map->finish) st = r.map->finish(r.map, &r.save, err);
    if (!st) st = imp_verify_counts(ws, sum, err);
    if (!st && sum->batch) st = imp_batch_finish(ws, sum->batch, "done", sum, err);
    /* the rejects are on disk before the commit: an import that cannot write them commits
     * nothing, instead of committing and then failing */
    if (!st) st = imp_rejects_sync(r.rej, err);
    if (!st) st = imp_log_sync(r.log, err);
    if (outer) { /* the overlay writes its keys as the import's level commits */
        if (st || r.o->dry_run || (st = kt_store_commit(s, err))) kt_store_rollback(s);
    }
    if (overlay) dd_overlay_end(ws);
    kt_stage_switch(KT_STAGE_OTHER);
    tune(s, 0);
    if (st && sum->batch) {
        kt_error e2;
        imp_batch_forget(ws, sum->batch, &e2);
        sum->batch = 0;
    }
    kt_error e3;
    kt_status cst = imp_rejects_close(r.rej, !st, st ? &e3 : err);
    if (!st && cst && sum->batch) /* only the rename is left to fail: rare, and said plainly */
        kt_error_prefix(err,
                        "batch %lld was imported, but its rejects were not saved: ", sum->batch);
    if (!st) st = cst;
    imp_batch_release(ws, held);
    if (r.rd && kt_reader_encoding(r.rd)) {
        snprintf(sum->encoding, sizeof sum->encoding, "%s", kt_reader_encoding(r.rd));
        sum->encoding_confidence = kt_reader_encoding_confidence(r.rd, &sum->encoding_detected);
    }
    cst = imp_log_close(r.log, !st, st ? &e3 : err);
    if (!st) st = cst;
    kt_reader_close(r.rd);
    if (r.map) r.map->free(r.map);
    imp_matcher_free(r.m);
    kt_failures_free(&r.fails);
    kt_buf_free(&r.reasons);
    return st;
}
