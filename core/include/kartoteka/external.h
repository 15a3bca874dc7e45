/* Finding a record by an external id (the id a source system gave it). A record keeps every
 * external id it has been known by: its external_id field, the ids of import rows absorbed into
 * it (aliases), and the external ids of records merged into it. */
#ifndef KARTOTEKA_EXTERNAL_H
#define KARTOTEKA_EXTERNAL_H

#include "kartoteka/error.h"
#include "kartoteka/record.h"
#include "kartoteka/workspace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The record of entity (NULL: any entity with an external_id field, in registry order) known by
 * value: the active record whose external_id it is, else the holder of that alias, else the
 * record a record carrying it was merged into. *id = 0 when none; KT_NOTFOUND for an entity
 * without an external_id field. */
kt_status kt_external_find(kt_ws *ws, const char *entity, const char *value, kt_id *id,
                           kt_error *err);

#ifdef __cplusplus
}
#endif
#endif
