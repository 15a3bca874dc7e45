/* Internal: reading history rows the way kt_history presents them, for the readers that want a
 * stretch of it (an import's --diff). */
#ifndef KT_RECORD_HISTORY_H
#define KT_RECORD_HISTORY_H

#include "kartoteka/query.h"

/* Record id's changes with after < seq <= upto (upto 0: no end), oldest first. A create
 * written as one row (its fields as a JSON object in new) comes out as it always did: the
 * create with no field, then one create entry per field, all with the row's seq, at, source
 * and batch. cb returning non-zero stops the reading. */
kt_status kt_history_range(kt_ws *ws, kt_id id, long long after, long long upto, kt_change_cb cb,
                           void *ud, kt_error *err);
/* The seq of the newest change of any record (0 when none): a mark to read or sync after. */
kt_status kt_history_top(kt_ws *ws, long long *top, kt_error *err);
/* kt field rename: entity's history of field name becomes new_name's (rows of the field and
 * the keys of one-row creates), inside the caller's transaction. */
kt_status kt_history_rename_field(kt_ws *ws, const char *entity, const char *name,
                                  const char *new_name, kt_error *err);

#endif
