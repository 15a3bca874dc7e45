/* Shared by merge and unmerge. */
#ifndef KT_DEDUPE_MERGE_INT_H
#define KT_DEDUPE_MERGE_INT_H

#include "kartoteka/dedupe.h"
#include "kartoteka/registry.h"
#include "kartoteka/store.h"

/* Does the ref field f point at records of entity? */
int dd_ref_targets(const kt_field *f, const char *entity);
/* Sets rec's field from the canonical text kt_value_to_text gave (a set as a JSON array);
 * NULL clears it. */
kt_status dd_set_text(kt_record *rec, const kt_field *f, const char *text, kt_error *err);
/* Saves a change through the write door with the merge's source; failures become err. */
kt_status dd_save_change(kt_ws *ws, kt_record *rec, const char *source, kt_error *err);
/* Merges (state "merged", merged_into the winner) or unmerges ("active", 0) a record, through
 * the record module's lifecycle (which checks where it stands). */
kt_status dd_set_state(kt_ws *ws, kt_id id, const char *state, kt_id merged_into, kt_error *err);
/* ---- merge_table.c: owns kt_merge and kt_merge_item ---- */

/* Logs a merge of loser into winner; *id the merge's. */
kt_status dd_merge_add(kt_store *s, kt_id winner, kt_id loser, const char *at, const char *source,
                       long long *id, kt_error *err);
/* Logs one change of a merge: kind "fill" or "repoint", the field of record, old and new text
 * (NULL: empty). */
kt_status dd_merge_item_add(kt_store *s, long long merge, const char *kind, kt_id record,
                            const char *field, const char *old, const char *new_, kt_error *err);
/* Calls fn with each change of a merge, in the order made; strings borrowed for the call. */
typedef kt_status (*dd_merge_item_fn)(void *ud, const char *kind, kt_id record, const char *field,
                                      const char *old, const char *new_, kt_error *err);
kt_status dd_merge_items_each(kt_store *s, long long merge, dd_merge_item_fn fn, void *ud,
                              kt_error *err);
/* The last merge of loser not undone (*merge 0 when none) and its winner. */
kt_status dd_merge_last(kt_store *s, kt_id loser, long long *merge, kt_id *winner, kt_error *err);
/* Marks a merge undone. */
kt_status dd_merge_undone(kt_store *s, long long merge, const char *at, kt_error *err);
/* kt field rename: the merge log's items of entity's field name name new_name (inside the
 * caller's transaction), so unmerge puts values back where they now live. */
kt_status dd_merge_rename_field(kt_ws *ws, const char *entity, const char *name,
                                const char *new_name, kt_error *err);

#endif
