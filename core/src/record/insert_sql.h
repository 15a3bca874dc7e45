/* The INSERT statement text of an entity's table, built once per open workspace. */
#ifndef KT_RECORD_INSERT_SQL_H
#define KT_RECORD_INSERT_SQL_H

#include "kartoteka/registry.h"
#include "kartoteka/workspace.h"

/* *sql is borrowed: owned by the workspace, valid while it is open and e keeps its fields. Binds
 * ?1 to the id and ?N+2 to e->fields[N]. */
kt_status kt_insert_sql(kt_ws *ws, const kt_entity *e, const char **sql, kt_error *err);

#endif
