/* Undoing a batch: records it created are archived (nothing is deleted); fields it changed get
 * back the value they had before the batch, read from the batch's own history rows. A field
 * changed again after the batch is a conflict: undo refuses, naming record and field, unless
 * forced; records of later batches that refer to what it created stop it too (undo_dependants.c).
 * Everything in one transaction; the undo leaves its own history (source "undo batch
 * N", an "undo" row per record). */
#include <stdio.h>
#include <string.h>

#include "import/import_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/auth.h"
#include "kartoteka/query.h"
#include "record/alias.h"
#include "record/history.h"
#include "record/record_table.h"

typedef struct field_undo {
    kt_id record;
    char *field, *old;
    long long last; /* the batch's last change of this field */
} field_undo;

typedef struct undo_list {
    field_undo *items;
    size_t n, cap;
} undo_list;

static void list_free(undo_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        kt_free(l->items[i].field);
        kt_free(l->items[i].old);
    }
    kt_free(l->items);
}

typedef struct later {
    long long batch;
    kt_id record;
    int force;
    kt_error *err;
    kt_status rc;
} later;

static int refuse(void *ud, const kt_change *c)
{
    later *l = ud;
    if (!l->force)
        l->rc = kt_error_set(l->err, KT_CONSTRAINT,
                             "record %lld, field %s was changed after batch %lld (by %s at %s); "
                             "undo would overwrite it: use --force to undo anyway",
                             l->record, c->field, l->batch, c->source, c->at);
    return 1;
}

/* A change to the record after the batch, by something else: names it in err. */
static kt_status later_change(kt_ws *ws, long long batch, kt_id record, const char *field,
                              long long after, int force, kt_error *err)
{
    later l = {batch, record, force, err, KT_OK};
    kt_status rc = kt_history_update_after(ws, record, after, batch, field, refuse, &l, err);
    return rc ? rc : l.rc;
}

static kt_status archive_created(kt_ws *ws, long long batch, int force, const kt_save_opts *so,
                                 kt_undo_result *res, kt_error *err)
{
    size_t n = 0;
    kt_id *ids = NULL;
    kt_status rc = kt_record_batch_ids(kt_ws_store(ws), batch, &ids, &n, err);
    for (size_t i = 0; i < n && !rc; i++) {
        rc = later_change(ws, batch, ids[i], NULL, 0, force, err);
        if (!rc) rc = kt_archive(ws, ids[i], so, err);
        if (!rc) rc = kt_history_add(ws, ids[i], "undo", NULL, NULL, NULL, so->source, 0, err);
        if (!rc) res->archived++;
    }
    kt_free(ids);
    return rc;
}

typedef struct collecting {
    undo_list *l;
    kt_error *err;
    kt_status rc;
} collecting;

static int collect_one(void *ud, const kt_change *c)
{
    collecting *x = ud;
    undo_list *l = x->l;
    field_undo *last = l->n ? &l->items[l->n - 1] : NULL;
    if (last && last->record == c->record && !strcmp(last->field, c->field)) {
        last->last = c->seq; /* the first change's old value stays */
        return 0;
    }
    if (l->n == l->cap) {
        field_undo *g = kt_realloc(l->items, (l->cap = l->cap ? l->cap * 2 : 64) * sizeof *g);
        if (!g) {
            x->rc = kt_error_set(x->err, KT_NOMEM, "out of memory");
            return 1;
        }
        l->items = g;
    }
    field_undo *u = &l->items[l->n++];
    u->record = c->record;
    u->field = kt_strdup(c->field);
    u->old = kt_strdup(c->old);
    u->last = c->seq;
    return 0;
}

static kt_status collect_updates(kt_ws *ws, long long batch, undo_list *l, kt_error *err)
{
    collecting x = {l, err, KT_OK};
    kt_status rc = kt_history_batch_updates(ws, batch, collect_one, &x, err);
    return rc ? rc : x.rc;
}

static kt_status restore_updated(kt_ws *ws, long long batch, int force, const kt_save_opts *so,
                                 kt_undo_result *res, kt_error *err)
{
    undo_list l = {0};
    kt_status rc = collect_updates(ws, batch, &l, err);
    for (size_t i = 0; i < l.n && !rc; i++)
        rc = later_change(ws, batch, l.items[i].record, l.items[i].field, l.items[i].last, force,
                          err);
    for (size_t i = 0; i < l.n && !rc;) {
        char entity[64];
        kt_id id = l.items[i].record;
        rc = kt_ws_entity_of(ws, id, entity, sizeof entity, err);
        kt_record *rec = rc ? NULL : kt_record_new(entity);
        if (!rc && !rec) rc = kt_error_set(err, KT_NOMEM, "out of memory");
        size_t j = i;
        for (; j < l.n && l.items[j].record == id; j++)
            if (!rc) rc = kt_record_set(rec, l.items[j].field, l.items[j].old, err);
        res->fields += (long)(j - i);
        i = j;
        if (!rc) rc = imp_coerce_sets(ws, rec, err);
        if (!rc) {
            rec->id = id;
            kt_failures f;
            kt_failures_init(&f);
            rc = kt_save(ws, rec, so, &f, err);
            if (rc == KT_INVALID && f.n)
                kt_error_prefix(err, "record %lld: %s%s%s: ", id,
                                f.items[0].field ? f.items[0].field : "",
                                f.items[0].field ? " " : "", f.items[0].message);
            kt_failures_free(&f);
        }
        if (!rc) rc = kt_history_add(ws, id, "undo", NULL, NULL, NULL, so->source, 0, err);
        if (!rc) res->restored++;
        kt_record_free(rec);
    }
    list_free(&l);
    return rc;
}

kt_status kt_import_undo(kt_ws *ws, long long batch, int flags, kt_undo_result *res, kt_error *err)
{
    int force = (flags & KT_UNDO_FORCE) != 0;
    kt_undo_result none;
    if (!res) res = &none;
    memset(res, 0, sizeof *res);
    kt_status denied = kt_auth_allow(ws, KT_ACT_IMPORT, NULL, err);
    if (denied) return denied;
    kt_store *s = kt_ws_store(ws);
    char status[32], source[64];
    kt_status rc = imp_batch_row_status(s, batch, status, sizeof status, err);
    if (rc) return rc;
    if (!strcmp(status, "undone"))
        return kt_error_set(err, KT_INVALID, "batch %lld is already undone", batch);
    snprintf(source, sizeof source, "undo batch %lld", batch);
    kt_save_opts so = {.source = source};
    if ((rc = kt_store_begin(s, err))) return rc;
    rc = imp_undo_dependants(ws, batch, flags, &so, &res->dependants, err);
    if (!rc) rc = archive_created(ws, batch, force, &so, res, err);
    if (!rc) rc = kt_alias_drop_batch(ws, batch, err);
    if (!rc) rc = restore_updated(ws, batch, force, &so, res, err);
    if (!rc) rc = imp_batch_row_undone(s, batch, err);
    if (rc || (rc = kt_store_commit(s, err))) kt_store_rollback(s); /* a failed commit too */
    return rc;
}
