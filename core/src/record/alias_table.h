/* Internal: the owner of kt_alias's statements (alias_table.c, schema/007_alias.sql); the
 * resolution that follows merges to the survivor is alias.c's. */
#ifndef KT_RECORD_ALIAS_TABLE_H
#define KT_RECORD_ALIAS_TABLE_H

#include "kartoteka/store.h"
#include "record/alias.h"

/* The record kt_alias gives for entity's value, not followed to a survivor; 0 when none. */
kt_status kt_alias_row_get(kt_store *s, const char *entity, const char *value, kt_id *id,
                           kt_error *err);
/* Keeps value as an alias of record (batch: the import doing it, 0 none), replacing the row a
 * record that no longer answers to it left. */
kt_status kt_alias_row_put(kt_store *s, const char *entity, const char *value, kt_id record,
                           long long batch, kt_error *err);

#endif
