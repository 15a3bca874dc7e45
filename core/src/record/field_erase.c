/* Tombstones into an entity's row (see field_erase.h). */
#include "record/field_erase.h"
#include "kartoteka/store.h"
#include "record/record_table.h"

kt_status kt_record_overwrite(kt_ws *ws, const kt_record *change, kt_error *err)
{
    const kt_entity *e = kt_registry_entity(kt_ws_registry(ws), change->entity);
    if (!e) return kt_error_set(err, KT_NOTFOUND, "no entity \"%s\"", change->entity);
    if (!change->n) return KT_OK;
    kt_store *s = kt_ws_store(ws);
    kt_status rc = kt_entity_row_overwrite(s, e, change, err);
    char now[32];
    kt_store_now(now);
    return rc ? rc : kt_record_row_touch(s, change->id, now, err);
}
