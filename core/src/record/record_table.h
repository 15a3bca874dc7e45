/* Internal: the owner of kt_record's statements and of each entity's row (record_table.c).
 * Every row of kt_record is created, stamped and moved between states here, entity rows are
 * read, listed and written here, and every "active records of an entity" query is built from
 * here, so a second storage engine has one file to speak for these tables. */
#ifndef KT_RECORD_RECORD_TABLE_H
#define KT_RECORD_RECORD_TABLE_H

#include "kartoteka/buf.h"
#include "kartoteka/record.h"
#include "kartoteka/store.h"
#include "kartoteka/workspace.h"

/* A new active record of entity (batch: the import creating it, 0 none); *id its id. */
kt_status kt_record_row_insert(kt_store *s, const char *entity, const char *now, long long batch,
                               kt_id *id, kt_error *err);
/* Stamps the record's updated_at. */
kt_status kt_record_row_touch(kt_store *s, kt_id id, const char *now, kt_error *err);
/* The record's state ("active", "archived", "merged") and, when merged, the record it went into.
 * KT_NOTFOUND names the id. */
kt_status kt_record_state_get(kt_store *s, kt_id id, char state[16], kt_id *merged_into,
                              kt_error *err);
/* Moves the record to state, stamping updated_at (merged_into 0: none). The caller has checked
 * that the move is allowed (lifecycle.c for archive and restore, dedupe for merge). */
kt_status kt_record_state_set(kt_store *s, kt_id id, const char *state, kt_id merged_into,
                              kt_error *err);

/* Appends " FROM <entity> t JOIN kt_record r ON r.id = t.id WHERE r.state = 'active'": the rows
 * of an entity's active records, as t (its fields) and r (kt_record). */
kt_status kt_record_active_from(kt_buf *sql, const char *entity, kt_error *err);
/* The same with the aliases t (the entity's row) and r (kt_record) named: a subquery inside a
 * query that already uses t and r. */
kt_status kt_record_active_from_as(kt_buf *sql, const char *entity, const char *t, const char *r,
                                   kt_error *err);
/* The WHERE clause on r.state of a listing: archived 0 active records, 1 archived, 2 every
 * state. */
const char *kt_record_state_where(int archived);

/* The highest record id (0 when none): what was stored before new rows. */
kt_status kt_record_max_id(kt_store *s, kt_id *out, kt_error *err);
/* The records an import batch created, ascending; *ids allocated (kt_free), NULL when none. */
kt_status kt_record_batch_ids(kt_store *s, long long batch, kt_id **ids, size_t *n, kt_error *err);
/* The stored text of one field of record id (of entity): *out allocated (kt_free), NULL when
 * empty or when there is no such row. */
kt_status kt_record_field_text(kt_store *s, const char *entity, kt_id id, const char *field,
                               char **out, kt_error *err);
/* Calls fn, in id order, with each record of entity not merged whose ref field points at target;
 * a failure of fn stops the reading. fn may save records meanwhile. */
typedef kt_status (*kt_record_id_fn)(void *ud, kt_id id, kt_error *err);
kt_status kt_record_referrers(kt_store *s, const char *entity, const char *field, kt_id target,
                              kt_record_id_fn fn, void *ud, kt_error *err);

/* Readings of some fields of an entity's records for dedupe and import: the SQL over kt_record
 * and the entity's table is built here (the caller keeps the text and prepares it again through
 * kt_record_rows_prepare) and the caller binds and steps. Rows give the record's id, the kind's
 * own columns, then the fields' stored text. */
typedef enum kt_record_rows_kind {
    KT_ROWS_ACTIVE,  /* the active records, by id */
    KT_ROWS_BATCHES, /* the active records batches ?1 and ?2 created, by id: then the batch */
    KT_ROWS_IDS,     /* the active ones among KT_ROWS_FETCH ids (?1..; unbound ones match none) */
    KT_ROWS_CHANGED, /* a row per kt_change row after ?1 of a record of entity ?2, in their order
                      * (a record may come again): then 1 when it is active with its row */
} kt_record_rows_kind;
#define KT_ROWS_FETCH 32
/* *sql allocated (kt_free). */
kt_status kt_record_rows_sql(const char *entity, const char *const *fields, size_t n,
                             kt_record_rows_kind kind, char **sql, kt_error *err);
/* The import's match lookup: the lowest id of the active records whose fields (n) equal ?1..?n,
 * or (nth) the id at offset ?n+1 among them by id. *sql allocated (kt_free). */
kt_status kt_record_match_sql(const char *entity, const char *const *fields, size_t n, int nth,
                              char **sql, kt_error *err);
/* A statement of sql (from the two above): from the store's cache when doing is NULL, else the
 * caller's own (kt_stmt_free), doing naming the work in the error. */
kt_status kt_record_rows_prepare(kt_store *s, const char *sql, const char *doing, kt_stmt **q,
                                 kt_error *err);
/* The record of entity holding value as its own external_id in state ("active", "merged"), the
 * lowest id when several do; 0 when none. */
kt_status kt_record_external_holder(kt_store *s, const char *entity, const char *value,
                                    const char *state, kt_id *id, kt_error *err);

/* Record id of e, read whole (kt_record_select_sql): *out freed by the caller. KT_NOTFOUND names
 * the id. Access rules are the caller's (kt_get). */
kt_status kt_record_row_read(kt_store *s, const kt_entity *e, kt_id id, kt_record **out,
                             kt_error *err);
/* The entity row of a record just made by kt_record_row_insert: every field of full. */
kt_status kt_entity_row_insert(kt_ws *ws, const kt_entity *e, const kt_record *full, kt_error *err);
/* Writes the fields whose values differ between old and full (none: nothing is written). */
kt_status kt_entity_row_update(kt_store *s, const kt_entity *e, const kt_record *old,
                               const kt_record *full, kt_error *err);
/* Writes the values change names into record change->id's row, bypassing every rule (erasure's
 * tombstones); KT_NOTFOUND for a name e has no field of. */
kt_status kt_entity_row_overwrite(kt_store *s, const kt_entity *e, const kt_record *change,
                                  kt_error *err);
/* Another record of f's entity (not self) whose f holds v, or 0: a unique field's check. */
kt_status kt_entity_row_unique(kt_store *s, const kt_field *f, const kt_value *v, kt_id self,
                               kt_id *other, kt_error *err);

/* The parameters ?1..?n of a listing: values[i] bound through fields[i] (NULL: as text). */
typedef struct kt_record_params {
    const kt_value *values;
    const kt_field *const *fields;
    int n;
} kt_record_params;
/* A listed record, taken by the callee (kt_record_free); *stop set ends the listing. */
typedef kt_status (*kt_record_row_fn)(void *ud, kt_record *r, int *stop, kt_error *err);
/* The records of e in the state archived picks (kt_record_state_where) for which tail holds:
 * " AND <conditions on t (the entity's row) and r (kt_record)>", then an ORDER BY and LIMIT,
 * with the parameters params gives (may be NULL). Read with a statement of their own, so cb
 * may list again. */
kt_status kt_record_rows(kt_ws *ws, const kt_entity *e, int archived, const char *tail,
                         const kt_record_params *params, kt_record_row_fn cb, void *ud,
                         kt_error *err);

#endif
