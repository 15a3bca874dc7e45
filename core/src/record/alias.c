/* Every identity is kept: the external ids a record is also known by. An import row absorbed
 * into a stored record leaves its external id here (kt_alias); a record merged into another
 * keeps its own, and lookups follow merged_into to the survivor. One resolution serves import
 * match keys, ctx.lookup, `kt get --external`, kt.get and kt.find. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/store.h"
#include "record/alias_table.h"
#include "record/field_value.h"
#include "record/record_table.h"

#define MAX_MERGE_HOPS 64

/* Follows merged_into from id to the record that is not merged; 0 unless it is active. */
static kt_status survivor(kt_store *s, kt_id *id, kt_error *err)
{
    kt_status rc = KT_OK;
    for (int hop = 0; !rc && *id && hop < MAX_MERGE_HOPS; hop++) {
        char state[16];
        kt_id next = 0;
        if ((rc = kt_record_state_get(s, *id, state, &next, err)) == KT_NOTFOUND) {
            state[0] = '\0';
            rc = KT_OK;
        }
        if (rc) return rc;
        if (strcmp(state, "merged") != 0) {
            if (strcmp(state, "active") != 0) *id = 0;
            return KT_OK;
        }
        *id = next;
    }
    if (!rc) *id = 0; /* a chain that long is broken */
    return rc;
}

/* The record holding value in kt_alias, followed to its survivor, or 0. */
static kt_status alias_row(kt_ws *ws, const char *entity, const char *value, kt_id *id,
                           kt_error *err)
{
    kt_status rc = kt_alias_row_get(kt_ws_store(ws), entity, value, id, err);
    return rc ? rc : survivor(kt_ws_store(ws), id, err);
}

kt_status kt_alias_holder(kt_ws *ws, const char *entity, const char *value, kt_id *id,
                          kt_error *err)
{
    kt_status rc = alias_row(ws, entity, value, id, err);
    if (rc || *id) return rc;
    if ((rc = kt_record_external_holder(kt_ws_store(ws), entity, value, "merged", id, err)))
        return rc;
    return survivor(kt_ws_store(ws), id, err);
}

/* The active record whose own external_id is value, or 0. */
static kt_status field_holder(kt_ws *ws, const char *entity, const char *value, kt_id *id,
                              kt_error *err)
{
    return kt_record_external_holder(kt_ws_store(ws), entity, value, "active", id, err);
}

kt_status kt_alias_add(kt_ws *ws, const char *entity, const char *value, kt_id record,
                       long long batch, kt_failures *fails, kt_error *err)
{
    kt_id owner = 0;
    kt_status rc = field_holder(ws, entity, value, &owner, err);
    if (rc || owner) return rc; /* its own id, or another record's: nothing to keep */
    if ((rc = kt_alias_check(ws, entity, record, value, fails, err))) return rc;
    if ((rc = kt_alias_holder(ws, entity, value, &owner, err)) || owner) return rc;
    return kt_alias_row_put(kt_ws_store(ws), entity, value, record, batch, err);
}

kt_status kt_alias_check(kt_ws *ws, const char *entity, kt_id self, const char *value,
                         kt_failures *fails, kt_error *err)
{
    kt_id holder = 0;
    kt_status rc = alias_row(ws, entity, value, &holder, err);
    if (rc || !holder || holder == self) return rc;
    char msg[512];
    snprintf(msg, sizeof msg,
             "\"%s\" is already an external id of record %lld (an id it was also known by)", value,
             (long long)holder);
    if (kt_failures_add(fails, KT_SEVERITY_ERROR, "external_id", value, "unique", msg))
        return kt_error_set(err, KT_NOMEM, "out of memory");
    return KT_OK;
}

/* value as the entity's external_id field stores it (trimmed text); NULL when it is empty. */
static kt_status normalised(kt_ws *ws, const kt_field *f, const char *value, char **out,
                            kt_error *err)
{
    *out = NULL;
    kt_record *rec = kt_record_new(f->entity);
    if (!rec) return kt_error_set(err, KT_NOMEM, "out of memory");
    kt_value in = {(char *)value, NULL, 0, 0}, norm = {0};
    kt_failures fails;
    kt_failures_init(&fails);
    int ok = 1;
    kt_status rc = kt_field_normalise(ws, f, rec, &in, &norm, &fails, &ok, err);
    if (!rc && ok && !kt_value_empty(&norm)) *out = norm.text, norm.text = NULL;
    kt_value_clear(&norm);
    kt_failures_free(&fails);
    kt_record_free(rec);
    return rc;
}

static kt_status find_in(kt_ws *ws, const kt_field *f, const char *value, kt_id *id, kt_error *err)
{
    char *norm = NULL;
    kt_status rc = normalised(ws, f, value, &norm, err);
    if (!rc && norm) rc = field_holder(ws, f->entity, norm, id, err);
    if (!rc && norm && !*id) rc = kt_alias_holder(ws, f->entity, norm, id, err);
    kt_free(norm);
    return rc;
}

kt_status kt_external_find(kt_ws *ws, const char *entity, const char *value, kt_id *id,
                           kt_error *err)
{
    const kt_registry *reg = kt_ws_registry(ws);
    *id = 0;
    if (entity) {
        const kt_field *f = kt_registry_field(reg, entity, "external_id");
        if (!f) return kt_error_set(err, KT_NOTFOUND, "%s has no external_id field", entity);
        return find_in(ws, f, value, id, err);
    }
    kt_status rc = KT_OK;
    for (size_t i = 0; !rc && !*id && i < kt_registry_entity_count(reg); i++) {
        const kt_field *f =
            kt_registry_field(reg, kt_registry_entity_at(reg, i)->name, "external_id");
        if (f) rc = find_in(ws, f, value, id, err);
    }
    return rc;
}
