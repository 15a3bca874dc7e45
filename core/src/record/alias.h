/* Internal: the external ids a record is also known by (kt_alias, schema/007_alias.sql). */
#ifndef KT_RECORD_ALIAS_H
#define KT_RECORD_ALIAS_H

#include "kartoteka/external.h"
#include "kartoteka/save.h"

/* The record that holds value as an alias, or that absorbed (by kt merge) a record whose
 * external_id is value — followed along merged_into to the record that is not merged. value is
 * stored (normalised) text. *id = 0 when none. */
kt_status kt_alias_holder(kt_ws *ws, const char *entity, const char *value, kt_id *id,
                          kt_error *err);

/* Attaches value to record as an alias (batch: the import doing it, 0 none). Nothing happens
 * when the record already answers to it or an active record carries it as its own external id;
 * when another record holds it as an alias, a failure naming that record is added to fails. */
kt_status kt_alias_add(kt_ws *ws, const char *entity, const char *value, kt_id record,
                       long long batch, kt_failures *fails, kt_error *err);

/* The write door's check for an external_id field: value may not be another record's alias. */
kt_status kt_alias_check(kt_ws *ws, const char *entity, kt_id self, const char *value,
                         kt_failures *fails, kt_error *err);

/* Detaches the aliases an import batch attached (its undo). */
kt_status kt_alias_drop_batch(kt_ws *ws, long long batch, kt_error *err);

/* The aliases record holds, by value; strings borrowed for the call, non-zero stops. */
typedef int (*kt_alias_cb)(void *ud, const char *entity, const char *value, long long batch);
kt_status kt_alias_each(kt_ws *ws, kt_id record, kt_alias_cb cb, void *ud, kt_error *err);
/* Erasure: record is known by no external id any more. */
kt_status kt_alias_drop_record(kt_ws *ws, kt_id record, kt_error *err);

#endif
