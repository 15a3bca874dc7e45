/* `kt person erase|anonymise`: a person's values leave every store of the workspace — their
 * row, history, the merge log, duplicate keys, aliases, the outbox and ledger keys, the search
 * index, the texts of records about them and the files under imports/ — and the database is
 * rewritten so no free page or WAL frame keeps a copy. What stays says who erased, when and
 * why. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/consent.h"
#include "kartoteka/auth.h"
#include "kartoteka/campaign.h"
#include "kartoteka/dedupe.h"
#include "kartoteka/query.h"
#include "kartoteka/store.h"
#include "privacy/privacy_int.h"
#include "record/access.h"
#include "record/alias.h"
#include "record/field_erase.h"
#include "record/history.h"

#define MAX_IDS 4096 /* the person and the records merged into them */

int kt_person_keeps(const kt_field *f)
{
    switch (f->kind) {
    case KT_TYPE_DATE:
        return 2; /* its year: an age group, not a birthday */
    case KT_TYPE_ENUM:
    case KT_TYPE_SET:
    case KT_TYPE_BOOL:
    case KT_TYPE_INTEGER:
    case KT_TYPE_DECIMAL:
        return !f->pii;
    case KT_TYPE_TEXT:
        /* a place or a title is a statistic; free text and identifiers are not */
        return !f->pii && !f->no_trim && !f->unique && !f->indexed;
    default:
        return 0; /* e-mail, phone, url, references, plugin types */
    }
}

/* 0: the field keeps its value, 1: erased, 2: reduced to its year. The external id goes too:
 * it is what ties the record to the person in another system, and kt_alias keeps the others. */
static int fate(const kt_field *f, kt_erase_mode mode)
{
    if (!strcmp(f->name, "external_id")) return 1;
    if (mode == KT_ERASE_ALL) return f->pii ? 1 : 0;
    int keeps = kt_person_keeps(f);
    return keeps == 1 ? 0 : keeps == 2 ? 2 : 1;
}

typedef struct erasure {
    kt_ws *ws;
    kt_erase_mode mode;
    const kt_entity *e;
    kt_erase_values vals;
    kt_id ids[MAX_IDS];
    size_t nids;
    kt_status st;
    kt_error *err;
} erasure;

static int has_id(const erasure *x, kt_id id)
{
    for (size_t i = 0; i < x->nids; i++)
        if (x->ids[i] == id) return 1;
    return 0;
}

static int add_loser(void *ud, const kt_merge_row *m)
{
    erasure *x = ud;
    if (m->undone_at || !has_id(x, m->winner) || has_id(x, m->loser)) return 0;
    if (x->nids == MAX_IDS) {
        x->st = kt_error_set(x->err, KT_LIMIT, "more than %d records merged into one", MAX_IDS);
        return 1;
    }
    x->ids[x->nids++] = m->loser;
    return 0;
}

/* The person, then every record merged into them, and into those, ... */
static kt_status collect_ids(erasure *x, kt_id id)
{
    x->ids[0] = id;
    x->nids = 1;
    for (size_t i = 0; !x->st && i < x->nids; i++) {
        kt_status st = kt_merge_each(x->ws, x->ids[i], add_loser, x, x->err);
        if (st) return st;
    }
    return x->st;
}

static int history_value(void *ud, const kt_change *c)
{
    erasure *x = ud;
    const kt_field *f =
        c->field ? kt_registry_field(kt_ws_registry(x->ws), x->e->name, c->field) : NULL;
    if (!f || !fate(f, x->mode)) return 0;
    if (!x->st) x->st = kt_erase_values_add(&x->vals, c->old, x->err);
    if (!x->st) x->st = kt_erase_values_add(&x->vals, c->new_, x->err);
    return x->st != KT_OK;
}

static int alias_value(void *ud, const char *entity, const char *value, long long batch)
{
    (void)entity, (void)batch;
    erasure *x = ud;
    x->st = kt_erase_values_add(&x->vals, value, x->err);
    return x->st != KT_OK;
}

/* Every value the erased fields of rec hold or ever held, and the ids it is known by. */
static kt_status collect_values(erasure *x, const kt_record *rec)
{
    for (size_t i = 0; i < x->e->nfields; i++) {
        const kt_field *f = &x->e->fields[i];
        const kt_value *v = kt_record_get(rec, f->name);
        if (!v || !fate(f, x->mode)) continue;
        kt_status st = kt_erase_values_add(&x->vals, v->text, x->err);
        for (size_t k = 0; !st && k < v->nitems; k++)
            st = kt_erase_values_add(&x->vals, v->items[k], x->err);
        if (st) return st;
    }
    kt_status st = kt_history_range(x->ws, rec->id, 0, 0, history_value, x, x->err);
    if (!st) st = x->st;
    if (!st) st = kt_alias_each(x->ws, rec->id, alias_value, x, x->err);
    return st ? st : x->st;
}

/* A digest standing for value in a campaign key: distinct values stay distinct keys. */
static void digest(const char *value, char out[32])
{
    unsigned long long h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)value; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    snprintf(out, 32, "erased-%016llx", h);
}

/* One record of the person: its row, history, merge log, keys, aliases and messages. */
static kt_status erase_record(erasure *x, const kt_record *rec, const char *reason,
                              const char *source, kt_erase_result *res)
{
    kt_ws *ws = x->ws;
    kt_record *change = kt_record_new(rec->entity);
    if (!change) return kt_error_set(x->err, KT_NOMEM, "out of memory");
    change->id = rec->id;
    kt_status st = KT_OK;
    for (size_t i = 0; !st && i < x->e->nfields; i++) {
        const kt_field *f = &x->e->fields[i];
        int what = fate(f, x->mode);
        if (!what) continue;
        const char *text = kt_record_text(rec, f->name);
        char year[16] = "";
        if (what == 2 && text && strlen(text) >= 4) snprintf(year, sizeof year, "%.4s-01-01", text);
        if (!kt_value_empty(kt_record_get(rec, f->name))) {
            st = kt_record_set(change, f->name, year[0] ? year : NULL, x->err);
            res->fields++;
        }
        if (!st) st = kt_history_erase_field(ws, rec->id, f->name, x->err);
        if (!st) st = kt_merge_erase_field(ws, rec->id, f->name, x->err);
    }
    if (!st) st = kt_record_overwrite(ws, change, x->err);
    kt_record_free(change);
    long n = 0;
    if (!st) st = kt_outbox_erase_record(ws, rec->id, &n, x->err);
    res->messages += (size_t)n;
    for (size_t i = 0; !st && i < x->vals.n; i++) {
        char d[32];
        digest(x->vals.v[i], d);
        st = kt_history_scrub(ws, rec->id, x->vals.v[i], KT_ERASED, x->err);
        if (!st) st = kt_outbox_rekey(ws, rec->id, x->vals.v[i], d, x->err);
        if (!st) st = kt_ledger_rekey(ws, rec->id, x->vals.v[i], d, x->err);
        if (!st) st = kt_consent_scrub(ws, rec->id, x->vals.v[i], KT_ERASED, x->err);
    }
    if (!st) st = kt_alias_drop_record(ws, rec->id, x->err);
    if (!st) st = kt_dedupe_forget(ws, rec->id, x->err);
    if (!st)
        st = kt_history_add(ws, rec->id, x->mode == KT_ERASE_ALL ? "erase" : "anonymise", NULL,
                            NULL, reason, source, 0, x->err);
    kt_record *now = NULL;
    if (!st) st = kt_get(ws, rec->id, &now, x->err);
    if (!st) st = kt_search_index(ws, now, x->err);
    kt_record_free(now);
    return st;
}

/* A record about the person (a deal, a sale, an activity, a task): its texts lose the
 * person's values, in its row and its history. */
static kt_status scrub_related(erasure *x, const kt_record *rec, size_t *count)
{
    const kt_entity *e = kt_registry_entity(kt_ws_registry(x->ws), rec->entity);
    kt_record *change = e ? kt_record_new(rec->entity) : NULL;
    if (!change) return e ? kt_error_set(x->err, KT_NOMEM, "out of memory") : KT_OK;
    change->id = rec->id;
    kt_status st = KT_OK;
    for (size_t i = 0; !st && i < e->nfields; i++) {
        const kt_field *f = &e->fields[i];
        const char *text = kt_record_text(rec, f->name);
        if (!text || f->kind == KT_TYPE_REF) continue;
        kt_buf out = KT_BUF_INIT;
        int hit = 0;
        for (const char *p = text; !st && *p;) {
            size_t k, len = 0;
            for (k = 0; k < x->vals.n; k++) {
                len = strlen(x->vals.v[k]);
                if (!strncmp(p, x->vals.v[k], len)) break;
            }
            if (k < x->vals.n) {
                st = kt_buf_puts(&out, KT_ERASED, x->err);
                p += len;
                hit = 1;
            } else {
                st = kt_buf_putc(&out, *p++, x->err);
            }
        }
        /* a typed value (an e-mail, a phone) cannot hold a tombstone inside: it goes whole */
        if (!st && hit)
            st = kt_record_set(change, f->name, f->kind == KT_TYPE_TEXT ? kt_buf_str(&out) : NULL,
                               x->err);
        kt_buf_free(&out);
    }
    if (!st && change->n) {
        (*count)++;
        st = kt_record_overwrite(x->ws, change, x->err);
        kt_record *now = NULL;
        if (!st) st = kt_get(x->ws, rec->id, &now, x->err);
        if (!st) st = kt_search_index(x->ws, now, x->err);
        kt_record_free(now);
    }
    for (size_t k = 0; !st && k < x->vals.n; k++)
        st = kt_history_scrub(x->ws, rec->id, x->vals.v[k], KT_ERASED, x->err);
    kt_record_free(change);
    return st;
}

typedef struct related_walk {
    erasure *x;
    kt_id *ids;
    size_t n, cap;
} related_walk;

static int add_related(void *ud, const kt_record *rec)
{
    related_walk *w = ud;
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        kt_id *v = kt_realloc(w->ids, cap * sizeof *v);
        if (!v) {
            w->x->st = kt_error_set(w->x->err, KT_NOMEM, "out of memory");
            return 1;
        }
        w->ids = v;
        w->cap = cap;
    }
    w->ids[w->n++] = rec->id;
    return 0;
}

/* Every record whose ref fields name one of the erased records. */
static kt_status collect_related(erasure *x, related_walk *w)
{
    kt_status st = kt_privacy_referrers(x->ws, x->e->name, x->ids, x->nids, add_related, w, x->err);
    return st ? st : x->st;
}

static int by_id(const void *a, const void *b)
{
    kt_id x = *(const kt_id *)a, y = *(const kt_id *)b;
    return (x > y) - (x < y);
}

static kt_status erase_all(erasure *x, const char *reason, kt_erase_result *res)
{
    char source[KT_ACCESS_SOURCE_MAX];
    const char *src =
        kt_auth_source(x->ws, x->mode == KT_ERASE_ALL ? "person erase" : "person anonymise", source,
                       sizeof source);
    kt_record **recs = kt_calloc(x->nids, sizeof *recs);
    if (!recs) return kt_error_set(x->err, KT_NOMEM, "out of memory");
    kt_status st = KT_OK;
    for (size_t i = 0; !st && i < x->nids; i++)
        if (!(st = kt_get(x->ws, x->ids[i], &recs[i], x->err))) st = collect_values(x, recs[i]);
    for (size_t i = 0; !st && i < x->nids; i++, res->records++)
        st = erase_record(x, recs[i], reason, src, res);
    /* what is left of them (notes, a kept field) may still quote an erased value */
    for (size_t i = 0; !st && i < x->nids; i++) {
        kt_record *rec = NULL;
        size_t ignored = 0;
        if (!(st = kt_get(x->ws, x->ids[i], &rec, x->err))) st = scrub_related(x, rec, &ignored);
        kt_record_free(rec);
    }
    related_walk w = {x, NULL, 0, 0};
    if (!st) st = collect_related(x, &w);
    if (w.n) qsort(w.ids, w.n, sizeof *w.ids, by_id);
    for (size_t i = 0; !st && i < w.n; i++) {
        kt_record *rec = NULL;
        if (i && w.ids[i] == w.ids[i - 1]) continue;
        if (!(st = kt_get(x->ws, w.ids[i], &rec, x->err)))
            st = scrub_related(x, rec, &res->related);
        kt_record_free(rec);
    }
    kt_free(w.ids);
    for (size_t i = 0; i < x->nids; i++)
        kt_record_free(recs[i]);
    kt_free(recs);
    return st;
}

kt_status kt_person_erase(kt_ws *ws, kt_id id, kt_erase_mode mode, const char *reason,
                          kt_erase_result *res, kt_error *err)
{
    return kt_erase_one(ws, id, mode, reason, 1, res, err);
}

kt_status kt_erase_one(kt_ws *ws, kt_id id, kt_erase_mode mode, const char *reason, int compact,
                       kt_erase_result *res, kt_error *err)
{
    memset(res, 0, sizeof *res);
    if (!reason || !*reason)
        return kt_error_set(err, KT_USAGE, "say why (--reason): the history keeps it");
    kt_status st = kt_auth_allow(ws, KT_ACT_ERASE, NULL, err);
    if (st) return st;
    erasure *x = kt_calloc(1, sizeof *x);
    if (!x) return kt_error_set(err, KT_NOMEM, "out of memory");
    x->ws = ws;
    x->mode = mode;
    x->err = err;
    kt_store *s = kt_ws_store(ws);
    kt_record *rec = NULL;
    if (!(st = kt_get(ws, id, &rec, err)) && !strcmp(rec->state, "merged"))
        st = kt_error_set(err, KT_INVALID,
                          "record %lld was merged into %lld: erase that one (it erases this too)",
                          id, rec->merged_into);
    if (!st) st = kt_access_change(ws, rec, err);
    if (!st) x->e = kt_registry_entity(kt_ws_registry(ws), rec->entity);
    kt_record_free(rec);
    if (!st) st = kt_store_secure_delete(s, 1, err);
    if (!st && !(st = kt_store_begin(s, err))) {
        st = collect_ids(x, id);
        /* inside a savepoint the search entries are staged and reach the index in one step
         * before the purge, the path every nested write takes */
        if (!st && !(st = kt_store_begin(s, err))) {
            if ((st = erase_all(x, reason, res)))
                kt_store_rollback(s);
            else
                st = kt_store_commit(s, err);
        }
        if (!st && compact) st = kt_search_purge(ws, err);
        if (st)
            kt_store_rollback(s);
        else
            st = kt_store_commit(s, err);
        /* a failure inside the index's writes leaves this connection's FTS5 unable to write
         * again (a retry read "malformed"): it prepares its statements anew */
        kt_error ignored;
        if (st && !kt_store_depth(s)) kt_store_refresh(s, &ignored);
    }
    if (!st) st = kt_erase_files(ws, &x->vals, &res->files, &res->kept, err);
    if (!st && compact) st = kt_store_compact(s, &res->checkpointed, err);
    kt_error ignored;
    kt_store_secure_delete(s, 0, &ignored);
    kt_erase_values_free(&x->vals);
    kt_free(x);
    return st;
}
