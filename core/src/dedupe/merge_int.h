/* Shared by merge and unmerge. */
#ifndef KT_DEDUPE_MERGE_INT_H
#define KT_DEDUPE_MERGE_INT_H

#include "kartoteka/dedupe.h"
#include "kartoteka/registry.h"

/* Does the ref field f point at records of entity? */
int dd_ref_targets(const kt_field *f, const char *entity);
/* Sets rec's field from the canonical text kt_value_to_text gave (a set as a JSON array);
 * NULL clears it. */
kt_status dd_set_text(kt_record *rec, const kt_field *f, const char *text, kt_error *err);
/* Saves a change through the write door with the merge's source; failures become err. */
kt_status dd_save_change(kt_ws *ws, kt_record *rec, const char *source, kt_error *err);
/* Sets a record's lifecycle state (and merged_into, 0 = none). */
kt_status dd_set_state(kt_ws *ws, kt_id id, const char *state, kt_id merged_into, kt_error *err);
/* kt field rename: the merge log's items of entity's field name name new_name (inside the
 * caller's transaction), so unmerge puts values back where they now live. */
kt_status dd_merge_rename_field(kt_ws *ws, const char *entity, const char *name,
                                const char *new_name, kt_error *err);

#endif
