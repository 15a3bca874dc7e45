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

static kt_status batch_status(kt_store *s, long long batch, char *out, size_t size, kt_error *err)
{
    kt_stmt *st;
    kt_status rc = kt_store_prepare(s, "SELECT status FROM kt_batch WHERE id = ?1", &st, err);
    if (rc) return rc;
    kt_stmt_bind_int(st, 1, batch);
    if (kt_stmt_step(st) != KT_STMT_ROW) {
        kt_stmt_reset(st);
        return kt_error_set(err, KT_NOTFOUND, "there is no batch %lld (kt import list)", batch);
    }
    snprintf(out, size, "%s", kt_stmt_text(st, 0));
    kt_stmt_reset(st);
    return KT_OK;
}

/* A change to the record after the batch, by something else: names it in err. */
static kt_status later_change(kt_store *s, long long batch, kt_id record, const char *field,
                              long long after, int force, kt_error *err)
{
    kt_stmt *st;
    kt_status rc = kt_store_prepare(
        s,
        "SELECT field, source, at FROM kt_change WHERE record = ?1 AND id > ?2 AND action = "
        "'update' AND (batch IS NULL OR batch <> ?3) AND (?4 IS NULL OR field = ?4) LIMIT 1",
        &st, err);
    if (rc) return rc;
    kt_stmt_bind_int(st, 1, record);
    kt_stmt_bind_int(st, 2, after);
    kt_stmt_bind_int(st, 3, batch);
    if (field) kt_stmt_bind_text_copy(st, 4, field, (size_t)-1);
    if (kt_stmt_step(st) == KT_STMT_ROW && !force)
        rc = kt_error_set(err, KT_CONSTRAINT,
                          "record %lld, field %s was changed after batch %lld (by %s at %s); "
                          "undo would overwrite it: use --force to undo anyway",
                          record, kt_stmt_text(st, 0), batch, kt_stmt_text(st, 1),
                          kt_stmt_text(st, 2));
    kt_stmt_reset(st);
    return rc;
}

static kt_status archive_created(kt_ws *ws, long long batch, int force, const kt_save_opts *so,
                                 kt_undo_result *res, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *st;
    kt_status rc =
        kt_store_prepare(s, "SELECT id FROM kt_record WHERE batch = ?1 ORDER BY id", &st, err);
    if (rc) return rc;
    kt_stmt_bind_int(st, 1, batch);
    size_t n = 0, cap = 0;
    kt_id *ids = NULL;
    while (kt_stmt_step(st) == KT_STMT_ROW) {
        if (n == cap) {
            kt_id *g = kt_realloc(ids, (cap = cap ? cap * 2 : 256) * sizeof *g);
            if (!g) {
                kt_stmt_reset(st);
                kt_free(ids);
                return kt_error_set(err, KT_NOMEM, "out of memory");
            }
            ids = g;
        }
        ids[n++] = kt_stmt_int(st, 0);
    }
    kt_stmt_reset(st);
    for (size_t i = 0; i < n && !rc; i++) {
        rc = later_change(s, batch, ids[i], NULL, 0, force, err);
        if (!rc) rc = kt_archive(ws, ids[i], so, err);
        if (!rc) rc = kt_history_add(ws, ids[i], "undo", NULL, NULL, NULL, so->source, 0, err);
        if (!rc) res->archived++;
    }
    kt_free(ids);
    return rc;
}

static kt_status collect_updates(kt_store *s, long long batch, undo_list *l, kt_error *err)
{
    kt_stmt *st;
    kt_status rc = kt_store_prepare(
        s,
        "SELECT c.record, c.field, c.old, c.id FROM kt_change c JOIN kt_record r ON r.id = "
        "c.record WHERE c.batch = ?1 AND c.action = 'update' AND c.field IS NOT NULL AND "
        "(r.batch IS NULL OR r.batch <> ?1) ORDER BY c.record, c.field, c.id",
        &st, err);
    if (rc) return rc;
    kt_stmt_bind_int(st, 1, batch);
    while (!rc && kt_stmt_step(st) == KT_STMT_ROW) {
        kt_id rec = kt_stmt_int(st, 0);
        const char *field = kt_stmt_text(st, 1);
        field_undo *last = l->n ? &l->items[l->n - 1] : NULL;
        if (last && last->record == rec && !strcmp(last->field, field)) {
            last->last = kt_stmt_int(st, 3); /* the first change's old value stays */
            continue;
        }
        if (l->n == l->cap) {
            field_undo *g = kt_realloc(l->items, (l->cap = l->cap ? l->cap * 2 : 64) * sizeof *g);
            if (!g) {
                rc = kt_error_set(err, KT_NOMEM, "out of memory");
                break;
            }
            l->items = g;
        }
        field_undo *u = &l->items[l->n++];
        u->record = rec;
        u->field = kt_strdup(field);
        u->old = kt_strdup(kt_stmt_text(st, 2));
        u->last = kt_stmt_int(st, 3);
    }
    kt_stmt_reset(st);
    return rc;
}

static kt_status restore_updated(kt_ws *ws, long long batch, int force, const kt_save_opts *so,
                                 kt_undo_result *res, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    undo_list l = {0};
    kt_status rc = collect_updates(s, batch, &l, err);
    for (size_t i = 0; i < l.n && !rc; i++)
        rc = later_change(s, batch, l.items[i].record, l.items[i].field, l.items[i].last, force,
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
    kt_status rc = batch_status(s, batch, status, sizeof status, err);
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
    kt_stmt *st;
    if (!rc)
        rc = kt_store_prepare(s, "UPDATE kt_batch SET status = 'undone' WHERE id = ?1", &st, err);
    if (!rc) {
        kt_stmt_bind_int(st, 1, batch);
        if (kt_stmt_step(st) != KT_STMT_DONE)
            rc = kt_store_fail(s, err, "marking the batch undone");
    }
    if (rc || (rc = kt_store_commit(s, err))) kt_store_rollback(s); /* a failed commit too */
    return rc;
}
