/* The records about a person: every record whose ref fields name them (their activities,
 * deals, sales, tasks, and whatever a workspace adds), in every state. Export lists them;
 * erasure scrubs their texts. */
#include <stdio.h>
#include <string.h>

#include "privacy/privacy_int.h"

/* Does the ref field f point at records of entity ("person", or one of "person|company")? */
static int refers_to(const kt_field *f, const char *entity)
{
    if (f->kind != KT_TYPE_REF || !f->ref) return 0;
    size_t len = strlen(entity);
    for (const char *p = f->ref; p; p = strchr(p, '|'), p = p ? p + 1 : NULL)
        if (!strncmp(p, entity, len) && (p[len] == '|' || !p[len])) return 1;
    return 0;
}

kt_status kt_privacy_referrers(kt_ws *ws, const char *entity, const kt_id *ids, size_t n,
                               kt_record_cb cb, void *ud, kt_error *err)
{
    const kt_registry *reg = kt_ws_registry(ws);
    kt_status st = KT_OK;
    for (size_t i = 0; !st && i < kt_registry_entity_count(reg); i++) {
        const kt_entity *e = kt_registry_entity_at(reg, i);
        for (size_t j = 0; !st && j < e->nfields; j++) {
            if (!refers_to(&e->fields[j], entity)) continue;
            for (size_t k = 0; !st && k < n; k++) {
                char id[32];
                snprintf(id, sizeof id, "%lld", ids[k]);
                kt_filter f = {e->fields[j].name, KT_OP_EQ, id, NULL, 0};
                kt_list_opts o = {&f, 1, 2, 0, 0};
                st = kt_list(ws, e->name, &o, cb, ud, err);
            }
        }
    }
    return st;
}
