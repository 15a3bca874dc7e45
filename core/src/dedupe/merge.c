/* kt merge: the winner keeps its values and takes the losers' where it has none; what does
 * not fit goes to history; refs follow the winner; losers stay readable, state merged. Every
 * change is logged in kt_merge_item so unmerge can put it back. One transaction. */
#include <stdio.h>
#include <string.h>

#include "dedupe/merge_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/auth.h"
#include "kartoteka/consent.h"
#include "kartoteka/query.h"
#include "kartoteka/store.h"
#include "record/access.h"
#include "record/record_table.h"

static kt_status log_item(kt_ws *ws, long long merge, const char *kind, kt_id record,
                          const char *field, const char *old, const char *new_, kt_error *err)
{
    return dd_merge_item_add(kt_ws_store(ws), merge, kind, record, field, old, new_, err);
}

/* A second e-mail or phone goes to an empty field of the same type when there is one. */
static const kt_field *spare_room(const kt_entity *e, const kt_record *w, const kt_field *f,
                                  const kt_value *v)
{
    if (f->kind != KT_TYPE_EMAIL && f->kind != KT_TYPE_PHONE) return NULL;
    for (size_t i = 0; i < e->nfields; i++) /* already held elsewhere: nothing to keep */
        if (e->fields[i].kind == f->kind && kt_value_equal(kt_record_get(w, e->fields[i].name), v))
            return &e->fields[i];
    for (size_t i = 0; i < e->nfields; i++)
        if (e->fields[i].kind == f->kind && kt_value_empty(kt_record_get(w, e->fields[i].name)))
            return &e->fields[i];
    return NULL;
}

/* A set takes the loser's items it lacks. */
static kt_status set_union(kt_record *w, const kt_field *f, const kt_value *lv, kt_error *err)
{
    kt_value copy = {0};
    kt_status st = kt_value_copy(&copy, kt_record_get(w, f->name), err);
    const char *items[256];
    size_t n = 0;
    for (size_t i = 0; i < copy.nitems && n < 256; i++)
        items[n++] = copy.items[i];
    for (size_t i = 0; i < lv->nitems && n < 256; i++) {
        int have = 0;
        for (size_t j = 0; j < n && !have; j++)
            have = !strcmp(items[j], lv->items[i]);
        if (!have) items[n++] = lv->items[i];
    }
    if (!st && n != copy.nitems) st = kt_record_set_list(w, f->name, items, n, err);
    kt_value_clear(&copy);
    return st;
}

/* Lays the loser's values over the winner's gaps (in change, saved later) and logs them. */
static kt_status fill(kt_ws *ws, long long merge, const kt_entity *e, kt_record *w,
                      const kt_record *l, kt_record *change, const char *source, kt_error *err)
{
    kt_status st = KT_OK;
    /* pass 0 fills the winner's empty fields, pass 1 places what conflicts: so a loser's
     * work phone lands in work_phone before its second mobile looks for room */
    for (size_t k = 0; !st && k < 2 * e->nfields; k++) {
        const kt_field *f = &e->fields[k % e->nfields];
        const kt_value *lv = kt_record_get(l, f->name), *wv = kt_record_get(w, f->name);
        if (kt_value_empty(lv) || kt_value_equal(lv, wv)) continue;
        if (kt_value_empty(wv) != (k < e->nfields)) continue;
        const kt_field *to = kt_value_empty(wv) ? f : spare_room(e, w, f, lv);
        if (to && kt_value_equal(kt_record_get(w, to->name), lv)) continue; /* kept already */
        char *old = NULL, *new_ = NULL, *lt = kt_value_to_text(lv);
        if (!lt) return kt_error_set(err, KT_NOMEM, "out of memory");
        if (!to && f->kind == KT_TYPE_SET) {
            old = kt_value_to_text(wv);
            st = set_union(w, f, lv, err);
            new_ = kt_value_to_text(kt_record_get(w, f->name));
            if (!st && old && new_ && strcmp(old, new_) != 0) {
                st = dd_set_text(change, f, new_, err);
                if (!st) st = log_item(ws, merge, "fill", w->id, f->name, old, new_, err);
            }
        } else if (to) {
            st = dd_set_text(w, to, lt, err);
            if (!st) st = dd_set_text(change, to, lt, err);
            if (!st) st = log_item(ws, merge, "fill", w->id, to->name, NULL, lt, err);
        } else { /* a conflict: the winner's value stays, the loser's is kept in history */
            char *wt = kt_value_to_text(wv);
            st = kt_history_add(ws, w->id, "merge", f->name, lt, wt, source, 0, err);
            kt_free(wt);
        }
        kt_free(old);
        kt_free(new_);
        kt_free(lt);
    }
    return st;
}

/* One record pointing at the loser: its ref now names the winner. */
typedef struct repointing {
    kt_ws *ws;
    long long merge;
    const kt_entity *x;
    const kt_field *f;
    const char *wid, *lid, *source;
} repointing;

static kt_status repoint_one(void *ud, kt_id id, kt_error *err)
{
    repointing *p = ud;
    kt_status st = KT_OK;
    kt_record *c = kt_record_new(p->x->name);
    if (!c) st = kt_error_set(err, KT_NOMEM, "out of memory");
    if (!st) {
        c->id = id;
        st = kt_record_set(c, p->f->name, p->wid, err);
    }
    if (!st) st = dd_save_change(p->ws, c, p->source, err);
    if (!st) st = log_item(p->ws, p->merge, "repoint", c->id, p->f->name, p->lid, p->wid, err);
    kt_record_free(c);
    return st;
}

/* Every ref of every entity that points at the loser points at the winner. */
static kt_status repoint(kt_ws *ws, long long merge, const char *entity, kt_id winner, kt_id loser,
                         const char *source, kt_error *err)
{
    const kt_registry *reg = kt_ws_registry(ws);
    kt_status st = KT_OK;
    char wid[32], lid[32];
    snprintf(wid, sizeof wid, "%lld", winner);
    snprintf(lid, sizeof lid, "%lld", loser);
    for (size_t i = 0; !st && i < kt_registry_entity_count(reg); i++) {
        const kt_entity *x = kt_registry_entity_at(reg, i);
        for (size_t j = 0; !st && j < x->nfields; j++) {
            const kt_field *f = &x->fields[j];
            if (!dd_ref_targets(f, entity)) continue;
            repointing p = {ws, merge, x, f, wid, lid, source};
            st =
                kt_record_referrers(kt_ws_store(ws), x->name, f->name, loser, repoint_one, &p, err);
        }
    }
    return st;
}

/* The loser's newer consents go to the winner, and marketing_consent (their view, already
 * brought in line) is left out of the fill: w and l take the winner's stored value. */
static kt_status carry_consents(kt_ws *ws, kt_record *w, kt_record *l, kt_error *err)
{
    kt_record *now = NULL;
    kt_status st = kt_consent_carry(ws, w->id, l->id, err);
    if (!st) st = kt_get(ws, w->id, &now, err);
    const char *v = now ? kt_record_text(now, "marketing_consent") : NULL;
    if (!st && kt_record_get(l, "marketing_consent"))
        st = kt_record_set(l, "marketing_consent", v, err);
    if (!st && kt_record_get(w, "marketing_consent"))
        st = kt_record_set(w, "marketing_consent", v, err);
    kt_record_free(now);
    return st;
}

static kt_status merge_one(kt_ws *ws, kt_record *w, kt_id loser, const char *source, kt_error *err)
{
    kt_record *l = NULL, *change = NULL;
    kt_status st = kt_get(ws, loser, &l, err);
    if (st) return st;
    if (strcmp(l->entity, w->entity) != 0)
        st = kt_error_set(err, KT_USAGE, "record %lld is a %s, not a %s", loser, l->entity,
                          w->entity);
    else if (strcmp(l->state, "active") != 0)
        st = kt_error_set(err, KT_CONSTRAINT, "record %lld is %s, not active", loser, l->state);
    long long merge = 0;
    char now[32];
    kt_store_now(now);
    if (!st) st = dd_merge_add(kt_ws_store(ws), w->id, loser, now, source, &merge, err);
    const kt_entity *e = kt_registry_entity(kt_ws_registry(ws), w->entity);
    if (!st && !(change = kt_record_new(w->entity)))
        st = kt_error_set(err, KT_NOMEM, "out of memory");
    /* consents first: marketing_consent is their view, so the fill must not write it anew */
    if (!st && !strcmp(w->entity, "person")) st = carry_consents(ws, w, l, err);
    if (!st) {
        change->id = w->id;
        st = fill(ws, merge, e, w, l, change, source, err);
    }
    if (!st && change->n) st = dd_save_change(ws, change, source, err);
    char wid[32];
    snprintf(wid, sizeof wid, "%lld", w->id);
    if (!st) st = dd_set_state(ws, loser, "merged", w->id, err);
    if (!st) st = kt_history_add(ws, loser, "merge", "state", "active", "merged", source, 0, err);
    if (!st) st = kt_history_add(ws, loser, "merge", "merged_into", NULL, wid, source, 0, err);
    char what[64];
    snprintf(what, sizeof what, "record %lld merged in", loser);
    if (!st) st = kt_history_add(ws, w->id, "merge", NULL, NULL, what, source, 0, err);
    if (!st) st = repoint(ws, merge, w->entity, w->id, loser, source, err);
    kt_record_free(change);
    kt_record_free(l);
    return st;
}

kt_status kt_merge(kt_ws *ws, kt_id winner, const kt_id *losers, size_t nlosers, const char *source,
                   kt_error *err)
{
    if (!source) source = "merge";
    kt_status denied = kt_auth_allow(ws, KT_ACT_MERGE, NULL, err);
    if (denied) return denied;
    if (!nlosers) return kt_error_set(err, KT_USAGE, "nothing to merge");
    for (size_t i = 0; i < nlosers; i++) {
        if (losers[i] == winner)
            return kt_error_set(err, KT_USAGE, "record %lld cannot be merged into itself", winner);
        for (size_t j = 0; j < i; j++)
            if (losers[j] == losers[i])
                return kt_error_set(err, KT_USAGE, "record %lld is named twice", losers[i]);
    }
    kt_store *s = kt_ws_store(ws);
    kt_status st = kt_store_begin(s, err);
    if (st) return st;
    kt_record *w = NULL;
    if (!(st = kt_get(ws, winner, &w, err)) && strcmp(w->state, "active") != 0)
        st = kt_error_set(err, KT_CONSTRAINT, "record %lld is %s, not active", winner, w->state);
    if (!st) st = kt_access_change(ws, w, err);
    for (size_t i = 0; !st && i < nlosers; i++)
        if (!(st = kt_access_change_id(ws, losers[i], err)))
            st = merge_one(ws, w, losers[i], source, err);
    if (!st) {
        kt_event ev = {w->entity, winner, "merged", NULL, NULL};
        st = kt_ws_event(ws, &ev, err);
    }
    kt_record_free(w);
    if (st) {
        kt_store_rollback(s);
        return st;
    }
    return kt_store_commit(s, err);
}
