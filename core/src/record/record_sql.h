/* Internal: the SELECT that reads whole records of an entity, shared by get, list and find. */
#ifndef KT_RECORD_RECORD_SQL_H
#define KT_RECORD_RECORD_SQL_H

#include "kartoteka/buf.h"
#include "kartoteka/query.h"

/* Appends "SELECT r.id, r.state, ..., t.<field>... FROM kt_record r JOIN <entity> t ..." */
kt_status kt_record_select_sql(const kt_entity *e, kt_buf *sql, kt_error *err);
/* Builds a record from the current row of a statement made from kt_record_select_sql. */
kt_status kt_record_from_row(kt_stmt *st, const kt_entity *e, kt_record **out, kt_error *err);

#endif
