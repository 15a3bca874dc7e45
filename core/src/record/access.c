/* The door's access check: the actor's role against what a change needs, the history source
 * that names the actor, and personal data masked for those who may not see it. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"

#include "record/access.h"

kt_status kt_access_write(kt_ws *ws, kt_act act, const char *entity, kt_save_opts *o,
                          char source[KT_ACCESS_SOURCE_MAX], kt_error *err)
{
    /* an import's rows come with their batch: importing is the manager's, not each save's */
    if (act == KT_ACT_WRITE && o->batch) act = KT_ACT_IMPORT;
    kt_status st = kt_auth_allow(ws, act, entity, err);
    if (st) return st;
    o->source = kt_auth_source(ws, o->source, source, KT_ACCESS_SOURCE_MAX);
    return KT_OK;
}

static int is_pii(kt_ws *ws, const char *entity, const char *field)
{
    const kt_field *f = field ? kt_registry_field(kt_ws_registry(ws), entity, field) : NULL;
    return f && f->pii;
}

kt_status kt_access_mask(kt_ws *ws, kt_record *r, kt_error *err)
{
    if (kt_auth_sees_pii(ws)) return KT_OK;
    kt_status st = KT_OK;
    for (size_t i = 0; !st && i < r->n; i++) {
        kt_value *v = &r->values[i];
        if (kt_value_empty(v) || !is_pii(ws, r->entity, r->names[i])) continue;
        if (v->is_set) {
            const char *one = KT_ACCESS_MASK;
            st = kt_record_set_list(r, r->names[i], &one, 1, err);
        } else {
            st = kt_record_set(r, r->names[i], KT_ACCESS_MASK, err);
        }
    }
    return st;
}

static int masked_change(void *ud, const kt_change *c)
{
    kt_access_history *m = ud;
    if (!is_pii(m->ws, m->entity, c->field)) return m->cb(m->ud, c);
    kt_change copy = *c;
    if (copy.old) copy.old = KT_ACCESS_MASK;
    if (copy.new_) copy.new_ = KT_ACCESS_MASK;
    return m->cb(m->ud, &copy);
}

/* A change shown in clear inside a request: its pii values go into the access log. */
static int noted_change(void *ud, const kt_change *c)
{
    kt_access_history *m = ud;
    if (c->field && (c->old || c->new_)) kt_pii_access_note(m->ws, m->entity, c->record, c->field);
    return m->cb(m->ud, c);
}

kt_change_cb kt_access_history_cb(kt_ws *ws, const char *entity, kt_change_cb cb, void *ud,
                                  kt_access_history *mask, void **ud_out)
{
    int sees = kt_auth_sees_pii(ws);
    if (sees && !kt_pii_access_on(ws)) {
        *ud_out = ud;
        return cb;
    }
    *mask = (kt_access_history){ws, entity, cb, ud};
    *ud_out = mask;
    return sees ? noted_change : masked_change;
}

typedef struct access_rule {
    char entity[64];
    int write;
    kt_access_fn fn;
    void *ud;
} access_rule;

typedef struct access_rules {
    access_rule *v;
    size_t n;
    int any[2]; /* rules on reads, on changes */
} access_rules;

static void rules_free(void *p)
{
    access_rules *r = p;
    if (r) kt_free(r->v);
    kt_free(r);
}

kt_status kt_ws_add_access_rule(kt_ws *ws, const char *entity, int write, kt_access_fn fn, void *ud,
                                kt_error *err)
{
    void *p;
    kt_status st = kt_ws_attachment_make(ws, "access", sizeof(access_rules), rules_free, &p, err);
    if (st) return st;
    access_rules *r = p;
    access_rule *v = kt_realloc(r->v, (r->n + 1) * sizeof *v);
    if (!v) return kt_error_set(err, KT_NOMEM, "out of memory");
    r->v = v;
    v = &r->v[r->n++];
    snprintf(v->entity, sizeof v->entity, "%s", entity);
    v->write = write != 0;
    v->fn = fn;
    v->ud = ud;
    r->any[v->write] = 1;
    return KT_OK;
}

int kt_access_ruled(const kt_ws *ws, int write)
{
    const access_rules *r = kt_ws_attachment(ws, "access");
    return r && r->any[write != 0];
}

static kt_status ask(kt_ws *ws, const kt_record *rec, int write, kt_error *err)
{
    const access_rules *r = kt_ws_attachment(ws, "access");
    if (!rec || !r || !r->any[write]) return KT_OK;
    const kt_actor *user = kt_auth_actor(ws);
    for (size_t i = 0; i < r->n; i++) {
        const access_rule *a = &r->v[i];
        if (a->write != write || strcmp(a->entity, rec->entity) != 0) continue;
        int allowed = 1;
        kt_status st = a->fn(a->ud, ws, user, rec, &allowed, err);
        if (st) return st;
        if (allowed) continue;
        if (rec->id)
            return kt_error_set(err, KT_DENIED,
                                "%s may not %s %s %lld (access \"%s\" in "
                                "kartoteka.lua)",
                                user->name, write ? "change" : "read", rec->entity, rec->id,
                                rec->entity);
        return kt_error_set(err, KT_DENIED,
                            "%s may not create this %s (access \"%s\" in "
                            "kartoteka.lua)",
                            user->name, rec->entity, rec->entity);
    }
    return KT_OK;
}

kt_status kt_access_read(kt_ws *ws, const kt_record *rec, kt_error *err)
{
    return ask(ws, rec, 0, err);
}

kt_status kt_access_change(kt_ws *ws, const kt_record *rec, kt_error *err)
{
    return ask(ws, rec, 1, err);
}

kt_status kt_access_change_id(kt_ws *ws, kt_id id, kt_error *err)
{
    if (!kt_access_ruled(ws, 1)) return KT_OK;
    kt_record *rec = NULL;
    kt_status st = kt_get(ws, id, &rec, err);
    if (!st) st = kt_access_change(ws, rec, err);
    kt_record_free(rec);
    return st;
}
