/* The write door. Every write of a record goes through kt_save; see save.h for the order. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/consent.h"
#include "kartoteka/buf.h"
#include "kartoteka/query.h"
#include "record/access.h"
#include "kartoteka/save.h"
#include "kartoteka/stage_clock.h"
#include "record/door.h"
#include "record/field_value.h"
#include "record/record_table.h"
#include "record/rollup_table.h"
#include "record/validate.h"
#include "text/json_string.h"
#include "workspace/ws_internal.h"

/* A static default; a set's default is kept in the registry as a JSON array. */
static kt_status set_default(kt_record *in, const kt_field *f, kt_error *err)
{
    int is_json_set = f->kind == KT_TYPE_SET && f->default_value[0] == '[';
    return kt_record_set_from_text(in, f->name, is_json_set, f->default_value, err);
}

/* The input to validate: the stored record with the given values laid over it, plus defaults
 * for a new record's fields the caller did not mention. */
static kt_status merge_input(kt_ws *ws, const kt_entity *e, const kt_record *old,
                             const kt_record *rec, kt_record *in, kt_error *err)
{
    kt_status st = KT_OK;
    for (size_t i = 0; old && i < old->n && !st; i++) {
        kt_value *v = &old->values[i];
        st = v->is_set ? kt_record_set_list(in, old->names[i], (const char *const *)v->items,
                                            v->nitems, err)
                       : kt_record_set(in, old->names[i], v->text, err);
    }
    for (size_t i = 0; i < rec->n && !st; i++) {
        kt_value *v = &rec->values[i];
        st = v->is_set ? kt_record_set_list(in, rec->names[i], (const char *const *)v->items,
                                            v->nitems, err)
                       : kt_record_set(in, rec->names[i], v->text, err);
    }
    if (old) return st;
    for (size_t i = 0; i < e->nfields && !st; i++) {
        const kt_field *f = &e->fields[i];
        if (kt_record_get(rec, f->name)) continue;
        if (f->default_fn) {
            char *val = NULL;
            st = f->default_fn(f->default_ud, in, &val, err);
            if (!st && val)
                st = f->kind == KT_TYPE_SET ? kt_record_set_csv(in, f->name, val, err)
                                            : kt_record_set(in, f->name, val, err);
            kt_free(val);
            if (st) kt_error_prefix(err, "default of %s.%s: ", f->entity, f->name);
        } else if (f->default_value) {
            st = set_default(in, f, err);
        }
    }
    return st;
}

/* A new record's values as {"field": "canonical text", ...} in the entity's field order,
 * empty fields left out; *exact is 0 when some text is not UTF-8 and JSON cannot carry it. */
static kt_status created_json(const kt_entity *e, const kt_record *full, kt_buf *out, int *exact,
                              kt_error *err)
{
    size_t replaced = 0;
    kt_status rc = kt_buf_putc(out, '{', err);
    for (size_t i = 0; !rc && i < e->nfields; i++) {
        const kt_value *v = kt_record_get(full, e->fields[i].name);
        if (kt_value_empty(v)) continue;
        char *set = v->is_set ? kt_value_to_text(v) : NULL;
        if (v->is_set && !set) return kt_error_set(err, KT_NOMEM, "out of memory");
        if (out->len > 1) rc = kt_buf_putc(out, ',', err);
        if (!rc) rc = kt_text_put_json_string(out, e->fields[i].name, &replaced, err);
        if (!rc) rc = kt_buf_putc(out, ':', err);
        if (!rc) rc = kt_text_put_json_string(out, set ? set : v->text, &replaced, err);
        kt_free(set);
    }
    *exact = replaced == 0;
    return rc ? rc : kt_buf_putc(out, '}', err);
}

/* A create is one history row, its fields in new as JSON (kt_history shows one entry per
 * field); text JSON would alter is kept the older way, one row per field. */
static kt_status history_created(kt_ws *ws, const kt_entity *e, const kt_record *full,
                                 const kt_save_opts *o, kt_error *err)
{
    kt_buf json = KT_BUF_INIT;
    int exact = 1;
    kt_status rc = created_json(e, full, &json, &exact, err);
    if (!rc)
        rc = kt_history_add(ws, full->id, "create", NULL, NULL, exact ? kt_buf_str(&json) : NULL,
                            o->source, o->batch, err);
    kt_buf_free(&json);
    for (size_t i = 0; !rc && !exact && i < e->nfields; i++) {
        const kt_value *v = kt_record_get(full, e->fields[i].name);
        if (kt_value_empty(v)) continue;
        char *text = kt_value_to_text(v);
        if (!text) return kt_error_set(err, KT_NOMEM, "out of memory");
        rc = kt_history_add(ws, full->id, "create", e->fields[i].name, NULL, text, o->source,
                            o->batch, err);
        kt_free(text);
    }
    return rc;
}

static kt_status insert_record(kt_ws *ws, const kt_entity *e, kt_record *full,
                               const kt_save_opts *o, const char *now, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_status rc = kt_record_row_insert(s, e->name, now, o->batch, &full->id, err);
    if (rc) return rc;
    if ((rc = kt_entity_row_insert(ws, e, full, err))) return rc;
    if ((rc = history_created(ws, e, full, o, err))) return rc;
    if ((rc = kt_rollup_sale(ws, e->name, full->id, 1, err))) return rc;
    kt_stage was = kt_stage_switch(KT_STAGE_INDEX);
    rc = kt_door_written(ws, NULL, full, err);
    kt_stage_switch(was);
    return rc;
}

static kt_status update_record(kt_ws *ws, const kt_entity *e, const kt_record *old, kt_record *full,
                               const kt_save_opts *o, const char *now, int *changed, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_status rc = KT_OK;
    int nchanged = 0, rolls = 0;
    for (size_t i = 0; i < e->nfields; i++) {
        const kt_field *f = &e->fields[i];
        if (kt_value_equal(kt_record_get(old, f->name), kt_record_get(full, f->name))) continue;
        nchanged++;
        rolls |= kt_rollup_watches(e->name, f->name);
    }
    *changed = nchanged > 0;
    if (nchanged == 0) return KT_OK;
    /* an active sale line counts out of the rollup with its old values and in with its new */
    rolls = rolls && strcmp(old->state, "active") == 0;
    if (rolls && (rc = kt_rollup_sale(ws, e->name, full->id, -1, err))) return rc;
    if ((rc = kt_entity_row_update(s, e, old, full, err))) return rc;
    if (rolls && (rc = kt_rollup_sale(ws, e->name, full->id, 1, err))) return rc;
    for (size_t i = 0; i < e->nfields; i++) {
        const kt_field *f = &e->fields[i];
        const kt_value *a = kt_record_get(old, f->name), *b = kt_record_get(full, f->name);
        if (kt_value_equal(a, b)) continue;
        char *ta = kt_value_to_text(a), *tb = kt_value_to_text(b);
        rc = kt_history_add(ws, full->id, "update", f->name, ta, tb, o->source, o->batch, err);
        kt_free(ta);
        kt_free(tb);
        if (rc) return rc;
    }
    if ((rc = kt_record_row_touch(s, full->id, now, err))) return rc;
    kt_stage was = kt_stage_switch(KT_STAGE_INDEX);
    rc = kt_door_written(ws, old, full, err);
    kt_stage_switch(was);
    return rc;
}

static kt_status summarise(const kt_failures *f, size_t first, kt_error *err)
{
    size_t n = 0;
    for (size_t i = first; i < f->n; i++)
        n += f->items[i].severity == KT_SEVERITY_ERROR;
    if (n == 0) return KT_OK;
    return kt_error_set(err, KT_INVALID, "not saved: %zu problem%s", n, n == 1 ? "" : "s");
}

/* What the write door decides before it writes: the input (stored values, the given ones over
 * them, defaults for a new record) normalised and validated; KT_INVALID when an error blocks it. */
static kt_status judge(kt_ws *ws, const kt_entity *e, const kt_record *old, const kt_record *rec,
                       kt_record *in, kt_record *full, int rules, kt_failures *fails, kt_error *err)
{
    size_t first = fails->n;
    kt_status st = merge_input(ws, e, old, rec, in, err);
    if (!st) st = kt_validate_full(ws, e, in, full, rules, fails, err);
    return st ? st : summarise(fails, first, err);
}

/* The caller's failures, or the write door's own scratch list (emptied) when it gave none. */
static kt_status failures_of(kt_ws *ws, kt_failures *given, kt_failures **out, kt_error *err)
{
    kt_door *door;
    *out = given;
    if (given) return KT_OK;
    kt_status made = kt_door_of(ws, &door, err);
    if (made) return made;
    *out = &door->scratch;
    kt_failures_clear(*out);
    return KT_OK;
}

kt_status kt_save_check(kt_ws *ws, const kt_record *rec, kt_id self, kt_failures *failures,
                        kt_error *err)
{
    const kt_entity *e = kt_registry_entity(kt_ws_registry(ws), rec->entity);
    if (!e) return kt_error_set(err, KT_NOTFOUND, "there is no entity '%s'", rec->entity);
    kt_failures *fails;
    kt_status made = failures_of(ws, failures, &fails, err);
    if (made) return made;
    kt_record *in = kt_record_new(e->name), *full = kt_record_new(e->name);
    kt_status st = in && full ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
    if (!st) {
        in->id = full->id = self; /* its own stored values do not count against unique */
        st = judge(ws, e, NULL, rec, in, full, 1, fails, err);
    }
    kt_record_free(in);
    kt_record_free(full);
    return st;
}

kt_status kt_save(kt_ws *ws, kt_record *rec, const kt_save_opts *opts, kt_failures *failures,
                  kt_error *err)
{
    kt_save_opts o = opts ? *opts : (kt_save_opts){0};
    if (!o.source) o.source = "api";
    char source[KT_ACCESS_SOURCE_MAX];
    kt_status denied = kt_access_write(ws, KT_ACT_WRITE, rec->entity, &o, source, err);
    if (denied) return denied;
    kt_failures *fails;
    kt_status made = failures_of(ws, failures, &fails, err);
    if (made) return made;
    const kt_entity *e = kt_registry_entity(kt_ws_registry(ws), rec->entity);
    if (!e) return kt_error_set(err, KT_NOTFOUND, "there is no entity '%s'", rec->entity);
    kt_record *old = NULL, *in = NULL, *full = NULL;
    kt_store *s = kt_ws_store(ws);
    /* a savepoint costs two statements and a copy of every page it touches */
    int own = !o.covered || o.dry_run || kt_store_depth(s) == 0;
    kt_status st = own ? kt_store_begin(s, err) : KT_OK;
    if (st) return st;
    if (rec->id) {
        if ((st = kt_get(ws, rec->id, &old, err))) goto out;
        if (strcmp(old->entity, rec->entity) != 0) {
            st = kt_error_set(err, KT_INVALID, "record %lld is a %s, not a %s", rec->id,
                              old->entity, rec->entity);
            goto out;
        }
        if (strcmp(old->state, "merged") == 0) {
            st = kt_error_set(err, KT_CONSTRAINT,
                              "record %lld was merged into %lld: change that record instead",
                              rec->id, old->merged_into);
            goto out;
        }
    }
    in = kt_record_new(e->name);
    full = kt_record_new(e->name);
    if (!in || !full) {
        st = kt_error_set(err, KT_NOMEM, "out of memory");
        goto out;
    }
    in->id = full->id = rec->id;
    if ((st = judge(ws, e, old, rec, in, full, !o.skip_rules, fails, err))) goto out;
    if ((st = kt_consent_door_judge(ws, old, full, err))) goto out;
    /* the record as stored (may the actor touch it?) and as it would be (may it become that?) */
    if ((st = kt_access_change(ws, old, err)) || (st = kt_access_change(ws, full, err))) goto out;
    const kt_door *door = kt_door_peek(ws);
    if (!rec->id && !o.allow_duplicate && door && door->dupe_fn) {
        size_t before = fails->n;
        kt_stage was = kt_stage_switch(KT_STAGE_DEDUPE);
        st = door->dupe_fn(door->dupe_ud, ws, full, fails, err);
        kt_stage_switch(was);
        if (st) goto out;
        if (fails->n > before) {
            st = kt_error_set(err, KT_CONSTRAINT, "not saved: probably a duplicate");
            goto out;
        }
    }
    if (o.dry_run) goto out;
    char now[32];
    kt_store_now(now);
    int changed = 1;
    st = old ? update_record(ws, e, old, full, &o, now, &changed, err)
             : insert_record(ws, e, full, &o, now, err);
    if (!st) st = kt_consent_door_written(ws, old, full, &o, err);
    if (!st && changed) {
        kt_event ev = {e->name, full->id, old ? "updated" : "created", old, full};
        st = kt_ws_event(ws, &ev, err);
    }
out:
    if (own && (st || o.dry_run))
        kt_store_rollback(s);
    else if (own)
        st = kt_store_commit(s, err);
    if (st == KT_OK && !o.dry_run) rec->id = full->id;
    kt_record_free(old);
    kt_record_free(in);
    kt_record_free(full);
    return st;
}
