/* kt unmerge: the loser is active again with its own values (it kept them), the winner's
 * filled-in fields go back to what they were, re-pointed refs point at the loser again — unless
 * something changed since in a way that conflicts; then nothing changes and the fields are
 * named. */
#include <stdio.h>
#include <string.h>

#include "dedupe/merge_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/auth.h"
#include "kartoteka/buf.h"
#include "kartoteka/query.h"
#include "kartoteka/store.h"
#include "record/record_table.h"

typedef struct item {
    int repoint;
    kt_id record;
    char *field, *old, *new_;
} item;

static void items_free(item *it, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        kt_free(it[i].field);
        kt_free(it[i].old);
        kt_free(it[i].new_);
    }
    kt_free(it);
}

typedef struct items {
    item **out;
    size_t *n, cap;
} items;

static kt_status add_item(void *ud, const char *kind, kt_id record, const char *field,
                          const char *old, const char *new_, kt_error *err)
{
    items *x = ud;
    if (*x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 16;
        item *ni = kt_realloc(*x->out, x->cap * sizeof *ni);
        if (!ni) return kt_error_set(err, KT_NOMEM, "out of memory");
        *x->out = ni;
    }
    item *it = &(*x->out)[(*x->n)++];
    it->repoint = !strcmp(kind, "repoint");
    it->record = record;
    it->field = kt_strdup(field);
    it->old = kt_strdup(old);
    it->new_ = kt_strdup(new_);
    return KT_OK;
}

static kt_status load_items(kt_ws *ws, long long merge, item **out, size_t *n, kt_error *err)
{
    *out = NULL;
    *n = 0;
    items x = {out, n, 0};
    return dd_merge_items_each(kt_ws_store(ws), merge, add_item, &x, err);
}

/* Is the field still as the merge left it? */
static kt_status unchanged(kt_ws *ws, const item *it, int *same, kt_error *err)
{
    kt_record *r = NULL;
    kt_status st = kt_get(ws, it->record, &r, err);
    if (st == KT_NOTFOUND) {
        *same = 0;
        return KT_OK;
    }
    if (st) return st;
    char *now = kt_value_to_text(kt_record_get(r, it->field));
    /* as the merge left it, or already back where unmerge would put it */
    *same = strcmp(r->state, "merged") != 0 &&
            ((!now && !it->new_) || (now && it->new_ && !strcmp(now, it->new_)) ||
             (!now && !it->old) || (now && it->old && !strcmp(now, it->old)));
    kt_free(now);
    kt_record_free(r);
    return KT_OK;
}

/* The loser's last merge not undone, while the loser is still merged. */
static kt_status find_merge(kt_ws *ws, kt_id loser, long long *merge, kt_id *winner, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_status st = dd_merge_last(s, loser, merge, winner, err);
    char state[16] = "";
    kt_id into = 0;
    if (!st && *merge) {
        st = kt_record_state_get(s, loser, state, &into, err);
        if (st == KT_NOTFOUND) st = KT_OK;
    }
    if (!st && strcmp(state, "merged") != 0)
        st = kt_error_set(err, KT_NOTFOUND, "record %lld was not merged into another", loser);
    return st;
}

static kt_status conflicts(kt_ws *ws, kt_id winner, const item *it, size_t n, kt_error *err)
{
    kt_buf b = KT_BUF_INIT;
    kt_status st = KT_OK;
    for (size_t i = 0; !st && i < n; i++) {
        int same = 0;
        if ((st = unchanged(ws, &it[i], &same, err)) || same) continue;
        if (it[i].record == winner)
            st = kt_buf_printf(&b, err, "%s%s", b.len ? ", " : "", it[i].field);
        else
            st = kt_buf_printf(&b, err, "%s%lld.%s", b.len ? ", " : "", it[i].record, it[i].field);
    }
    if (!st && b.len)
        st = kt_error_set(err, KT_CONSTRAINT, "cannot unmerge: changed since the merge: %s",
                          kt_buf_str(&b));
    kt_buf_free(&b);
    return st;
}

static kt_status restore(kt_ws *ws, kt_id winner, kt_id loser, const item *it, size_t n,
                         const char *source, kt_error *err)
{
    char wid[32];
    snprintf(wid, sizeof wid, "%lld", winner);
    char ent[64];
    kt_status st = kt_ws_entity_of(ws, winner, ent, sizeof ent, err);
    if (!st) st = dd_set_state(ws, loser, "active", 0, err);
    if (!st) st = kt_history_add(ws, loser, "unmerge", "state", "merged", "active", source, 0, err);
    if (!st) st = kt_history_add(ws, loser, "unmerge", "merged_into", wid, NULL, source, 0, err);
    kt_record *w = kt_record_new(ent);
    if (!w) return kt_error_set(err, KT_NOMEM, "out of memory");
    w->id = winner;
    for (size_t i = n; !st && i-- > 0;) { /* last change first: a set filled twice unwinds */
        char e2[64];
        if ((st = kt_ws_entity_of(ws, it[i].record, e2, sizeof e2, err))) break;
        const kt_field *f = kt_registry_field(kt_ws_registry(ws), e2, it[i].field);
        if (!f) continue; /* the field was dropped since: nothing to put back */
        if (it[i].record == winner) {
            st = dd_set_text(w, f, it[i].old, err);
            continue;
        }
        kt_record *c = kt_record_new(e2);
        if (!c) st = kt_error_set(err, KT_NOMEM, "out of memory");
        if (!st) {
            c->id = it[i].record;
            st = dd_set_text(c, f, it[i].old, err);
        }
        if (!st) st = dd_save_change(ws, c, source, err);
        kt_record_free(c);
    }
    if (!st && w->n) st = dd_save_change(ws, w, source, err);
    char what[64];
    snprintf(what, sizeof what, "record %lld split off again", loser);
    if (!st) st = kt_history_add(ws, winner, "unmerge", NULL, NULL, what, source, 0, err);
    kt_record_free(w);
    return st;
}

kt_status kt_unmerge(kt_ws *ws, kt_id loser, const char *source, kt_error *err)
{
    if (!source) source = "unmerge";
    kt_store *s = kt_ws_store(ws);
    kt_status st = kt_auth_allow(ws, KT_ACT_MERGE, NULL, err);
    if (st || (st = kt_store_begin(s, err))) return st;
    if (st) return st;
    long long merge = 0;
    kt_id winner = 0;
    item *it = NULL;
    size_t n = 0;
    if (!(st = find_merge(ws, loser, &merge, &winner, err)) &&
        !(st = load_items(ws, merge, &it, &n, err)) && !(st = conflicts(ws, winner, it, n, err)))
        st = restore(ws, winner, loser, it, n, source, err);
    if (!st) {
        char now[32];
        kt_store_now(now);
        st = dd_merge_undone(s, merge, now, err);
    }
    items_free(it, n);
    if (st) {
        kt_store_rollback(s);
        return st;
    }
    return kt_store_commit(s, err);
}
