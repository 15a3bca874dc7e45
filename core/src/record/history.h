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

/* Erasure: field's values leave record id's history (old and new of its rows, its key in a
 * one-row create); the rows stay, saying when the field changed and by whom. */
kt_status kt_history_erase_field(kt_ws *ws, kt_id id, const char *field, kt_error *err);
/* Erasure: every occurrence of value in record id's history texts becomes with. */
kt_status kt_history_scrub(kt_ws *ws, kt_id id, const char *value, const char *with, kt_error *err);
/* Whether record id's history has a row of action ("erase", "anonymise"). */
kt_status kt_history_has_action(kt_ws *ws, kt_id id, const char *action, int *has, kt_error *err);

/* Import's check of its summary: the records batch created and the field changes it made. */
kt_status kt_history_batch_counts(kt_ws *ws, long long batch, long long *created,
                                  long long *updates, kt_error *err);
/* Undo's conflicts: the first update of record after change seq after that batch did not make
 * (of field, or of any when NULL) is given to cb (its field, source and at); none, no call. */
kt_status kt_history_update_after(kt_ws *ws, kt_id record, long long after, long long batch,
                                  const char *field, kt_change_cb cb, void *ud, kt_error *err);
/* Undo's work: the field updates batch made to records it did not create, by record, field,
 * then seq (record, field, old and seq set); cb returning non-zero stops the reading. */
kt_status kt_history_batch_updates(kt_ws *ws, long long batch, kt_change_cb cb, void *ud,
                                   kt_error *err);

#endif
