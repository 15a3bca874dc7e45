/* Every identity is kept: a row absorbed into a stored record (updated it, filled its gaps, or
 * was skipped as its duplicate) brings its external id, and an update may replace the record's
 * own. Whichever of the two the record does not carry afterwards stays attached to it as an
 * alias, so the sales and deals of either id find it (record/alias.c). */
#include <stdio.h>
#include <string.h>

#include "import/import_int.h"
#include "kartoteka/alloc.h"
#include "record/alias.h"
#include "record/field_value.h"
#include "record/record_table.h"

void imp_ids_clear(imp_ids *ids)
{
    kt_free(ids->row);
    kt_free(ids->before);
    memset(ids, 0, sizeof *ids);
}

/* The record's stored external id (owned copy, NULL when empty). */
static kt_status stored(kt_ws *ws, const char *entity, kt_id id, char **out, kt_error *err)
{
    return kt_record_field_text(kt_ws_store(ws), entity, id, "external_id", out, err);
}

kt_status imp_ids_before(kt_ws *ws, const kt_record *rec, kt_id id, imp_ids *ids, kt_error *err)
{
    memset(ids, 0, sizeof *ids);
    const kt_field *f = kt_registry_field(kt_ws_registry(ws), rec->entity, "external_id");
    const kt_value *v = f ? kt_record_get(rec, "external_id") : NULL;
    if (!id || kt_value_empty(v)) return KT_OK;
    kt_value norm = {0};
    kt_failures scratch;
    kt_failures_init(&scratch);
    int ok = 1;
    kt_status rc = kt_field_normalise(ws, f, rec, v, &norm, &scratch, &ok, err);
    kt_failures_free(&scratch);
    if (!rc && ok && !kt_value_empty(&norm)) {
        ids->row = norm.text;
        norm.text = NULL;
        rc = stored(ws, rec->entity, id, &ids->before, err);
    }
    kt_value_clear(&norm);
    return rc;
}

kt_status imp_ids_keep(kt_ws *ws, const char *entity, kt_id id, const imp_ids *ids, long long batch,
                       kt_failures *fails, kt_error *err)
{
    if (!ids->row) return KT_OK;
    char *now = NULL;
    kt_status rc = stored(ws, entity, id, &now, err);
    const char *both[2] = {ids->row, ids->before};
    for (size_t i = 0; i < 2 && !rc; i++)
        if (both[i] && (!now || strcmp(both[i], now) != 0))
            rc = kt_alias_add(ws, entity, both[i], id, batch, fails, err);
    kt_free(now);
    return rc;
}
