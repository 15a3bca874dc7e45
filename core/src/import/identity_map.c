/* The identity mapping: a row's keys that name fields of its entity (the row's own `entity`
 * cell, else the import's) become the record's fields; the keys a record carries about itself
 * (id, state, dates) are left out. How `kt export --format ndjson` reads back. */
#include <string.h>

#include "import/import_int.h"

int imp_not_a_field(const char *k)
{
    static const char *const keys[] = {"id",         "state",  "merged_into", "created_at",
                                       "updated_at", "entity", "ref",         "match",
                                       "on_match",   "nth",    "dedupe",      "allow_duplicate"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strcmp(k, keys[i])) return 1;
    return 0;
}

kt_status imp_identity_record(kt_ws *ws, const char *entity, const kt_read_row *row,
                              kt_record **out, kt_error *err)
{
    for (size_t i = 0; i < row->count; i++)
        if (!strcmp(row->keys[i], "entity") && row->values[i]) entity = row->values[i];
    const kt_registry *reg = kt_ws_registry(ws);
    kt_record *rec = kt_record_new(entity);
    if (!rec) return kt_error_set(err, KT_NOMEM, "out of memory");
    kt_status st = KT_OK;
    for (size_t i = 0; i < row->count && !st; i++) {
        if (!row->values[i] || imp_not_a_field(row->keys[i])) continue;
        if (!kt_registry_field(reg, entity, row->keys[i])) continue;
        st = kt_record_set(rec, row->keys[i], row->values[i], err);
    }
    if (st) {
        kt_record_free(rec);
        return st;
    }
    *out = rec;
    return KT_OK;
}
