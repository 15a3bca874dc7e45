/* The door's access check: the actor's role against what a change needs, the history source
 * that names the actor, and personal data masked for those who may not see it. */
#include <stdio.h>
#include <string.h>

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

kt_change_cb kt_access_history_cb(kt_ws *ws, const char *entity, kt_change_cb cb, void *ud,
                                  kt_access_history *mask, void **ud_out)
{
    if (kt_auth_sees_pii(ws)) {
        *ud_out = ud;
        return cb;
    }
    *mask = (kt_access_history){ws, entity, cb, ud};
    *ud_out = mask;
    return masked_change;
}
