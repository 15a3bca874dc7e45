/* kt_record's statements, in one place: creating a row, stamping it, its state; and the
 * statements on each entity's row, which lives and dies with its kt_record row. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "kartoteka/query.h"
#include "record/field_value.h"
#include "record/insert_sql.h"
#include "record/record_sql.h"
#include "record/record_table.h"

kt_status kt_record_row_insert(kt_store *s, const char *entity, const char *now, long long batch,
                               kt_id *id, kt_error *err)
{
    kt_status rc = kt_store_run(s,
                                "INSERT INTO kt_record(entity, state, created_at, updated_at, "
                                "batch) VALUES (?1, 'active', ?2, ?2, ?3)",
                                "creating a record", err, "ttz", entity, now, batch);
    if (!rc) *id = kt_store_last_id(s);
    return rc;
}

kt_status kt_record_row_touch(kt_store *s, kt_id id, const char *now, kt_error *err)
{
    return kt_store_run(s, "UPDATE kt_record SET updated_at = ?2 WHERE id = ?1",
                        "updating a record", err, "it", (long long)id, now);
}

kt_status kt_record_state_get(kt_store *s, kt_id id, char state[16], kt_id *merged_into,
                              kt_error *err)
{
    kt_stmt *st;
    kt_status rc =
        kt_store_prepare(s, "SELECT state, merged_into FROM kt_record WHERE id = ?1", &st, err);
    if (rc) return rc;
    kt_stmt_bind_int(st, 1, id);
    int step = kt_stmt_step(st);
    if (step != KT_STMT_ROW) {
        kt_stmt_reset(st);
        return step == KT_STMT_DONE ? kt_error_set(err, KT_NOTFOUND, "no record with id %lld", id)
                                    : kt_store_fail(s, err, "reading a record's state");
    }
    snprintf(state, 16, "%s", kt_stmt_text(st, 0));
    *merged_into = kt_stmt_int(st, 1);
    kt_stmt_reset(st);
    return KT_OK;
}

kt_status kt_record_state_set(kt_store *s, kt_id id, const char *state, kt_id merged_into,
                              kt_error *err)
{
    char now[32];
    kt_store_now(now);
    return kt_store_run(s,
                        "UPDATE kt_record SET state = ?2, merged_into = ?3, updated_at = ?4 "
                        "WHERE id = ?1",
                        "changing a record's state", err, "itzt", (long long)id, state,
                        (long long)merged_into, now);
}

kt_status kt_ws_entity_of(kt_ws *ws, kt_id id, char *out, size_t size, kt_error *err)
{
    kt_stmt *st;
    kt_status rc =
        kt_store_prepare(kt_ws_store(ws), "SELECT entity FROM kt_record WHERE id = ?1", &st, err);
    if (rc) return rc;
    kt_stmt_bind_int(st, 1, id);
    int step = kt_stmt_step(st);
    if (step == KT_STMT_ROW)
        snprintf(out, size, "%s", kt_stmt_text(st, 0));
    else if (step == KT_STMT_DONE)
        rc = kt_error_set(err, KT_NOTFOUND, "no record with id %lld", id);
    else
        rc = kt_store_fail(kt_ws_store(ws), err, "reading a record");
    kt_stmt_reset(st); /* a statement left on its row keeps a read transaction open */
    return rc;
}

kt_status kt_record_active_from(kt_buf *sql, const char *entity, kt_error *err)
{
    return kt_record_active_from_as(sql, entity, "t", "r", err);
}

kt_status kt_record_active_from_as(kt_buf *sql, const char *entity, const char *t, const char *r,
                                   kt_error *err)
{
    char q[80];
    kt_sql_ident(entity, q, sizeof q);
    return kt_buf_printf(sql, err,
                         " FROM %s %s JOIN kt_record %s ON %s.id = %s.id WHERE %s.state = 'active'",
                         q, t, r, r, t, r);
}

const char *kt_record_state_where(int archived)
{
    return archived == 2   ? " WHERE r.state IN ('active', 'archived', 'merged')"
           : archived == 1 ? " WHERE r.state = 'archived'"
                           : " WHERE r.state = 'active'";
}

kt_status kt_record_max_id(kt_store *s, kt_id *out, kt_error *err)
{
    return kt_store_int(s, "SELECT coalesce(max(id), 0) FROM kt_record", "reading records", out,
                        err);
}

kt_status kt_record_batch_ids(kt_store *s, long long batch, kt_id **ids, size_t *n, kt_error *err)
{
    *ids = NULL;
    *n = 0;
    kt_stmt *st;
    kt_status rc =
        kt_store_prepare(s, "SELECT id FROM kt_record WHERE batch = ?1 ORDER BY id", &st, err);
    if (rc) return rc;
    kt_stmt_bind_int(st, 1, batch);
    size_t cap = 0;
    while (kt_stmt_step(st) == KT_STMT_ROW) {
        if (*n == cap) {
            kt_id *g = kt_realloc(*ids, (cap = cap ? cap * 2 : 256) * sizeof *g);
            if (!g) {
                kt_stmt_reset(st);
                kt_free(*ids);
                *ids = NULL;
                *n = 0;
                return kt_error_set(err, KT_NOMEM, "out of memory");
            }
            *ids = g;
        }
        (*ids)[(*n)++] = kt_stmt_int(st, 0);
    }
    kt_stmt_reset(st);
    return KT_OK;
}

kt_status kt_record_field_text(kt_store *s, const char *entity, kt_id id, const char *field,
                               char **out, kt_error *err)
{
    char sql[240], qt[80], qf[80];
    kt_sql_ident(entity, qt, sizeof qt);
    kt_sql_ident(field, qf, sizeof qf);
    snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE id = ?1", qf, qt);
    *out = NULL;
    kt_stmt *st;
    kt_status rc = kt_store_prepare(s, sql, &st, err);
    if (rc) return rc;
    kt_stmt_bind_int(st, 1, id);
    int step = kt_stmt_step(st);
    const char *v = step == KT_STMT_ROW ? kt_stmt_text(st, 0) : NULL;
    int had = v && *v;
    *out = had ? kt_strdup(v) : NULL;
    kt_stmt_reset(st);
    if (had && !*out) return kt_error_set(err, KT_NOMEM, "out of memory");
    if (step != KT_STMT_ROW && step != KT_STMT_DONE)
        return kt_store_fail(s, err, "reading a record");
    return KT_OK;
}

kt_status kt_record_referrers(kt_store *s, const char *entity, const char *field, kt_id target,
                              kt_record_id_fn fn, void *ud, kt_error *err)
{
    char sql[512], qt[80], qf[80];
    kt_sql_ident(entity, qt, sizeof qt);
    kt_sql_ident(field, qf, sizeof qf);
    snprintf(sql, sizeof sql,
             "SELECT t.id FROM %s t JOIN kt_record r ON r.id = t.id "
             "WHERE t.%s = ?1 AND r.state != 'merged' ORDER BY t.id",
             qt, qf);
    kt_stmt *q;
    kt_status rc = kt_store_prepare_new(s, sql, "finding references", &q, err);
    if (rc) return rc;
    kt_stmt_bind_int(q, 1, target);
    while (!rc && kt_stmt_step(q) == KT_STMT_ROW)
        rc = fn(ud, kt_stmt_int(q, 0), err);
    kt_stmt_free(q);
    return rc;
}

/* "SELECT <head>, t.<field>...", then from with the entity's table where its %s stands (NULL:
 * the entity's active records), then extra and tail (either may be NULL). */
static kt_status fields_sql(const char *entity, const char *const *fields, size_t n,
                            const char *head, const char *from, const char *extra, const char *tail,
                            char **sql, kt_error *err)
{
    kt_buf b = KT_BUF_INIT;
    char q[80];
    kt_status st = kt_buf_printf(&b, err, "SELECT %s", head);
    for (size_t f = 0; !st && f < n; f++) {
        kt_sql_ident(fields[f], q, sizeof q);
        st = kt_buf_printf(&b, err, ", t.%s", q);
    }
    kt_sql_ident(entity, q, sizeof q);
    const char *at = from ? strstr(from, "%s") : NULL;
    if (!st && at) st = kt_buf_append(&b, from, (size_t)(at - from), err);
    if (!st && at) st = kt_buf_printf(&b, err, "%s%s", q, at + 2);
    if (!st && !at) st = kt_record_active_from(&b, entity, err);
    if (!st) st = kt_buf_printf(&b, err, "%s%s", extra ? extra : "", tail ? tail : "");
    if (!st && !(*sql = kt_strdup(kt_buf_str(&b))))
        st = kt_error_set(err, KT_NOMEM, "out of memory");
    kt_buf_free(&b);
    return st;
}

kt_status kt_record_rows_sql(const char *entity, const char *const *fields, size_t n,
                             kt_record_rows_kind kind, char **sql, kt_error *err)
{
    *sql = NULL;
    if (kind == KT_ROWS_BATCHES)
        return fields_sql(entity, fields, n, "r.id, r.batch", NULL, " AND r.batch IN (?1, ?2)",
                          " ORDER BY r.id", sql, err);
    if (kind == KT_ROWS_CHANGED)
        /* active: an active record that has its entity's row, the rest have no keys; the
         * changes since ?1 by kt_change's own key (never its record index), a few rows; no
         * DISTINCT, whose temporary b-tree would cost a zeroed page per call */
        return fields_sql(entity, fields, n, "r.id, r.state = 'active' AND t.id IS NOT NULL",
                          " FROM kt_change c NOT INDEXED CROSS JOIN kt_record r ON r.id = "
                          "c.record LEFT JOIN %s t ON t.id = r.id WHERE c.id > ?1 AND +r.entity "
                          "= ?2",
                          NULL, NULL, sql, err);
    if (kind != KT_ROWS_IDS)
        return fields_sql(entity, fields, n, "r.id", NULL, NULL, " ORDER BY r.id", sql, err);
    kt_buf in = KT_BUF_INIT;
    kt_status st = kt_buf_puts(&in, " AND r.id IN (?", err);
    for (int i = 1; !st && i < KT_ROWS_FETCH; i++)
        st = kt_buf_puts(&in, ", ?", err);
    if (!st) st = kt_buf_puts(&in, ")", err);
    if (!st)
        st = fields_sql(entity, fields, n, "r.id", NULL, kt_buf_str(&in), " ORDER BY r.id", sql,
                        err);
    kt_buf_free(&in);
    return st;
}

kt_status kt_record_match_sql(const char *entity, const char *const *fields, size_t n, int nth,
                              char **sql, kt_error *err)
{
    kt_buf q = KT_BUF_INIT;
    char ident[80];
    kt_status st = kt_buf_printf(&q, err, "SELECT %s", nth ? "t.id" : "min(t.id)");
    if (!st) st = kt_record_active_from(&q, entity, err);
    for (size_t i = 0; !st && i < n; i++) {
        kt_sql_ident(fields[i], ident, sizeof ident);
        st = kt_buf_printf(&q, err, " AND t.%s = ?%zu", ident, i + 1);
    }
    if (!st && nth) st = kt_buf_printf(&q, err, " ORDER BY t.id LIMIT 1 OFFSET ?%zu", n + 1);
    *sql = st ? NULL : kt_buf_take(&q);
    kt_buf_free(&q);
    return st;
}

kt_status kt_record_rows_prepare(kt_store *s, const char *sql, const char *doing, kt_stmt **q,
                                 kt_error *err)
{
    return doing ? kt_store_prepare_new(s, sql, doing, q, err) : kt_store_prepare(s, sql, q, err);
}

kt_status kt_record_external_holder(kt_store *s, const char *entity, const char *value,
                                    const char *state, kt_id *id, kt_error *err)
{
    char q[80], sql[256];
    kt_sql_ident(entity, q, sizeof q);
    snprintf(sql, sizeof sql,
             "SELECT min(t.id) FROM %s t JOIN kt_record r ON r.id = t.id "
             "WHERE t.external_id = ?1 AND r.state = '%s'",
             q, state);
    kt_stmt *st;
    kt_status rc = kt_store_prepare(s, sql, &st, err);
    if (rc) return rc;
    kt_stmt_bind_text(st, 1, value);
    int step = kt_stmt_step(st);
    *id = step == KT_STMT_ROW ? kt_stmt_int(st, 0) : 0;
    kt_stmt_reset(st);
    if (step != KT_STMT_ROW && step != KT_STMT_DONE) return kt_store_fail(s, err, "external ids");
    return KT_OK;
}

kt_status kt_record_row_read(kt_store *s, const kt_entity *e, kt_id id, kt_record **out,
                             kt_error *err)
{
    kt_buf sql = KT_BUF_INIT;
    kt_status rc = kt_record_select_sql(e, &sql, err);
    if (!rc) rc = kt_buf_puts(&sql, " WHERE r.id = ?1", err);
    kt_stmt *st = NULL;
    if (!rc) rc = kt_store_prepare(s, kt_buf_str(&sql), &st, err);
    kt_buf_free(&sql);
    if (rc) return rc;
    kt_stmt_bind_int(st, 1, id);
    int step = kt_stmt_step(st);
    if (step == KT_STMT_ROW)
        rc = kt_record_from_row(st, e, out, err);
    else if (step == KT_STMT_DONE)
        rc = kt_error_set(err, KT_NOTFOUND, "no record with id %lld", id);
    else
        rc = kt_store_fail(s, err, "reading a record");
    kt_stmt_reset(st);
    return rc;
}

kt_status kt_entity_row_insert(kt_ws *ws, const kt_entity *e, const kt_record *full, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *st;
    const char *sql;
    kt_status rc;
    if ((rc = kt_insert_sql(ws, e, &sql, err)) || (rc = kt_store_prepare(s, sql, &st, err)))
        return rc;
    kt_stmt_bind_int(st, 1, full->id);
    for (size_t i = 0; i < e->nfields; i++) {
        const kt_value *v = kt_record_get(full, e->fields[i].name);
        if (v && (rc = kt_field_bind(st, (int)i + 2, &e->fields[i], v, err))) return rc;
    }
    if (kt_stmt_step(st) != KT_STMT_DONE) return kt_store_fail(s, err, "writing a record");
    return KT_OK;
}

/* UPDATE of e's row id setting the fields given by index (n of them) to values, each bound
 * through its field (an empty value binds null). fresh: text built for this write, so
 * kept out of the statement cache. */
static kt_status update_fields(kt_store *s, const kt_entity *e, kt_id id, const size_t *index,
                               const kt_value *const *values, size_t n, int fresh,
                               const char *doing, kt_error *err)
{
    kt_buf sql = KT_BUF_INIT;
    char q[80];
    kt_sql_ident(e->name, q, sizeof q);
    kt_status rc = kt_buf_printf(&sql, err, "UPDATE %s SET ", q);
    for (size_t k = 0; !rc && k < n; k++) {
        kt_sql_ident(e->fields[index[k]].name, q, sizeof q);
        rc = kt_buf_printf(&sql, err, "%s%s = ?%zu", k ? ", " : "", q, index[k] + 2);
    }
    if (!rc) rc = kt_buf_puts(&sql, " WHERE id = ?1", err);
    kt_stmt *st = NULL;
    if (!rc)
        rc = fresh ? kt_store_prepare_new(s, kt_buf_str(&sql), doing, &st, err)
                   : kt_store_prepare(s, kt_buf_str(&sql), &st, err);
    kt_buf_free(&sql);
    if (rc) return rc;
    kt_stmt_bind_int(st, 1, id);
    for (size_t k = 0; !rc && k < n; k++)
        rc = kt_field_bind(st, (int)index[k] + 2, &e->fields[index[k]], values[k], err);
    if (!rc && kt_stmt_step(st) != KT_STMT_DONE) rc = kt_store_fail(s, err, doing);
    if (fresh)
        kt_stmt_free(st);
    else
        kt_stmt_reset(st);
    return rc;
}

/* The indexes of e's fields whose values differ between old and full, with full's values. */
static kt_status changed_fields(const kt_entity *e, const kt_record *old, const kt_record *full,
                                size_t **index, const kt_value ***values, size_t *n, kt_error *err)
{
    *n = 0;
    *index = kt_calloc(e->nfields + 1, sizeof **index);
    *values = kt_calloc(e->nfields + 1, sizeof **values);
    if (!*index || !*values) return kt_error_set(err, KT_NOMEM, "out of memory");
    for (size_t i = 0; i < e->nfields; i++) {
        const kt_value *a = kt_record_get(old, e->fields[i].name);
        const kt_value *b = kt_record_get(full, e->fields[i].name);
        if (kt_value_equal(a, b)) continue;
        (*index)[*n] = i;
        (*values)[(*n)++] = b;
    }
    return KT_OK;
}

kt_status kt_entity_row_update(kt_store *s, const kt_entity *e, const kt_record *old,
                               const kt_record *full, kt_error *err)
{
    size_t *index = NULL, n = 0;
    const kt_value **values = NULL;
    kt_status rc = changed_fields(e, old, full, &index, &values, &n, err);
    if (!rc && n) rc = update_fields(s, e, full->id, index, values, n, 0, "updating a record", err);
    kt_free(index);
    kt_free(values);
    return rc;
}

kt_status kt_entity_row_overwrite(kt_store *s, const kt_entity *e, const kt_record *change,
                                  kt_error *err)
{
    size_t *index = kt_calloc(change->n + 1, sizeof *index);
    const kt_value **values = kt_calloc(change->n + 1, sizeof *values);
    kt_status rc = index && values ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
    for (size_t k = 0; !rc && k < change->n; k++) {
        size_t i = 0;
        while (i < e->nfields && strcmp(e->fields[i].name, change->names[k]) != 0)
            i++;
        if (i == e->nfields)
            rc =
                kt_error_set(err, KT_NOTFOUND, "%s has no field \"%s\"", e->name, change->names[k]);
        index[k] = i;
        values[k] = &change->values[k];
    }
    if (!rc)
        rc = update_fields(s, e, change->id, index, values, change->n, 1, "erasing values", err);
    kt_free(index);
    kt_free(values);
    return rc;
}

kt_status kt_entity_row_unique(kt_store *s, const kt_field *f, const kt_value *v, kt_id self,
                               kt_id *other, kt_error *err)
{
    char qt[80], qc[80], sql[256];
    kt_sql_ident(f->entity, qt, sizeof qt);
    kt_sql_ident(f->name, qc, sizeof qc);
    snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE %s = ?1 AND id <> ?2 LIMIT 1", qt, qc);
    kt_stmt *st;
    *other = 0;
    kt_status rc = kt_store_prepare(s, sql, &st, err);
    if (rc) return rc;
    if ((rc = kt_field_bind(st, 1, f, v, err))) return rc;
    kt_stmt_bind_int(st, 2, self);
    int step = kt_stmt_step(st);
    if (step == KT_STMT_ROW) *other = kt_stmt_int(st, 0);
    kt_stmt_reset(st);
    if (step != KT_STMT_ROW && step != KT_STMT_DONE)
        return kt_store_fail(s, err, "checking a unique field");
    return KT_OK;
}

kt_status kt_record_rows(kt_ws *ws, const kt_entity *e, int archived, const char *tail,
                         const kt_record_params *params, kt_record_row_fn cb, void *ud,
                         kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_buf sql = KT_BUF_INIT;
    kt_status rc = kt_record_select_sql(e, &sql, err);
    if (!rc) rc = kt_buf_puts(&sql, kt_record_state_where(archived), err);
    if (!rc) rc = kt_buf_puts(&sql, tail, err);
    kt_stmt *st = NULL;
    /* Not the cache: a callback may list again while this one is being read. Borrowed: a
     * listing repeated per record (consent's address lookups) is parsed once. */
    if (!rc) rc = kt_store_borrow(s, kt_buf_str(&sql), "listing records", &st, err);
    for (int i = 0; !rc && params && i < params->n; i++) {
        if (params->fields[i])
            rc = kt_field_bind(st, i + 1, params->fields[i], &params->values[i], err);
        else
            kt_stmt_bind_text(st, i + 1, params->values[i].text);
    }
    int step = KT_STMT_DONE, stop = 0;
    while (!rc && !stop && (step = kt_stmt_step(st)) == KT_STMT_ROW) {
        kt_record *r = NULL;
        if (!(rc = kt_record_from_row(st, e, &r, err))) rc = cb(ud, r, &stop, err);
    }
    if (!rc && !stop && step != KT_STMT_DONE) rc = kt_store_fail(s, err, "listing records");
    kt_store_give_back(s, kt_buf_str(&sql), st);
    kt_buf_free(&sql);
    return rc;
}
