/* What merge and unmerge both need: refs that can point at an entity, values from their
 * stored text, saves through the write door, state changes. */
#include <string.h>

#include "dedupe/merge_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/query.h"
#include "kartoteka/store.h"
#include "record/lifecycle.h"

int dd_ref_targets(const kt_field *f, const char *entity)
{
    if (f->kind != KT_TYPE_REF || !f->ref) return 0;
    size_t len = strlen(entity);
    for (const char *p = f->ref; p && *p;) {
        const char *bar = strchr(p, '|');
        size_t seg = bar ? (size_t)(bar - p) : strlen(p);
        if (seg == len && strncmp(p, entity, len) == 0) return 1;
        p = bar ? bar + 1 : NULL;
    }
    return 0;
}

kt_status dd_set_text(kt_record *rec, const kt_field *f, const char *text, kt_error *err)
{
    return kt_record_set_from_text(rec, f->name, f->kind == KT_TYPE_SET, text, err);
}

kt_status dd_save_change(kt_ws *ws, kt_record *rec, const char *source, kt_error *err)
{
    kt_failures fails;
    kt_failures_init(&fails);
    kt_save_opts o = {.source = source, .allow_duplicate = 1};
    kt_status st = kt_save(ws, rec, &o, &fails, err);
    if (st == KT_INVALID && fails.n) {
        const kt_failure *f = &fails.items[0];
        kt_error_set(err, KT_INVALID, "record %lld: %s%s%s", rec->id, f->field ? f->field : "",
                     f->field ? ": " : "", f->message);
    }
    kt_failures_free(&fails);
    return st;
}

kt_status dd_set_state(kt_ws *ws, kt_id id, const char *state, kt_id merged_into, kt_error *err)
{
    /* a merge takes an active record out, an unmerge brings a merged one back */
    const char *from = strcmp(state, "active") != 0 ? "active" : "merged";
    return kt_record_merge_state(ws, id, from, state, merged_into, err);
}
