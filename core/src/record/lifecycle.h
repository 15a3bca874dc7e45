/* Internal: a record's moves between states that are not an archive or a restore. */
#ifndef KT_RECORD_LIFECYCLE_H
#define KT_RECORD_LIFECYCLE_H

#include "kartoteka/query.h"

/* Merge (from "active" to "merged", merged_into the winner) and unmerge (back, merged_into 0):
 * the record must be in state from (KT_CONSTRAINT names where it is), its sales rollup follows.
 * Inside the caller's transaction; the history rows are the caller's. */
kt_status kt_record_merge_state(kt_ws *ws, kt_id id, const char *from, const char *to,
                                kt_id merged_into, kt_error *err);

#endif
