/* Internal: the one write to an entity's row that does not pass the write door: erasure puts
 * tombstones where values were, and a tombstone answers to no validation rule. */
#ifndef KT_RECORD_FIELD_ERASE_H
#define KT_RECORD_FIELD_ERASE_H

#include "kartoteka/record.h"
#include "kartoteka/workspace.h"

/* Writes the values change names (by change->id; an empty value as NULL) into the stored row
 * and stamps updated_at. History, search and keys are the caller's. */
kt_status kt_record_overwrite(kt_ws *ws, const kt_record *change, kt_error *err);

#endif
