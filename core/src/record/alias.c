/* Every identity is kept: the external ids a record is also known by. An import row absorbed
 * into a stored record leaves its external id here (kt_alias); a record merged into another
 * keeps its own, and lookups follow merged_into to the survivor. One resolution serves import
 * match keys, ctx.lookup, `kt get --external`, kt.get and kt.find. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/store.h"
#include "record/alias.h"
#include "record/field_value.h"

#define MAX_MERGE_HOPS 64

/* The first id (or 0) the statement yields for one text parameter. */
static kt_status first_id(kt_store *s, const char *sql, const char *value, kt_id *id, kt_error *err)
{
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

/* SQL selecting records of entity by external_id in the given state. */
static void field_sql(const char *entity, const char *state, char *out, size_t size)
{
    char q[80];
    kt_sql_ident(entity, q, sizeof q);
    snprintf(out, size,
             "SELECT min(t.id) FROM %s t JOIN kt_record r ON r.id = t.id "
             "WHERE t.external_id = ?1 AND r.state = '%s'",
             q, state);
}

/* Follows merged_into from id to the record that is not merged; 0 unless it is active. */
static kt_status survivor(kt_store *s, kt_id *id, kt_error *err)
{
    kt_stmt *st;
    kt_status rc =
        kt_store_prepare(s, "SELECT state, merged_into FROM kt_record WHERE id = ?1", &st, err);
    for (int hop = 0; !rc && *id && hop < MAX_MERGE_HOPS; hop++) {
        kt_stmt_bind_int(st, 1, *id);
        int step = kt_stmt_step(st);
        const char *state = step == KT_STMT_ROW ? kt_stmt_text(st, 0) : "";
        kt_id next = step == KT_STMT_ROW ? kt_stmt_int(st, 1) : 0;
        int merged = !strcmp(state, "merged"), active = !strcmp(state, "active");
        kt_stmt_reset(st);
        if (step != KT_STMT_ROW && step != KT_STMT_DONE)
            return kt_store_fail(s, err, "following a merge");
        if (!merged) {
            if (!active) *id = 0;
            return KT_OK;
        }
        *id = next;
    }
    if (!rc) *id = 0; /* a chain that long is broken */
    return rc;
}

/* The record holding value in kt_alias, followed to its survivor, or 0. */
static kt_status alias_row(kt_ws *ws, const char *entity, const char *value, kt_id *id,
                           kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *st;
    *id = 0;
    kt_status rc = kt_store_prepare(
        s, "SELECT record FROM kt_alias WHERE entity = ?1 AND value = ?2", &st, err);
    if (rc) return rc;
    kt_stmt_bind_text(st, 1, entity);
    kt_stmt_bind_text(st, 2, value);
    int step = kt_stmt_step(st);
    if (step == KT_STMT_ROW) *id = kt_stmt_int(st, 0);
    kt_stmt_reset(st);
    if (step != KT_STMT_ROW && step != KT_STMT_DONE) return kt_store_fail(s, err, "external ids");
    return survivor(s, id, err);
}

kt_status kt_alias_holder(kt_ws *ws, const char *entity, const char *value, kt_id *id,
                          kt_error *err)
{
    kt_status rc = alias_row(ws, entity, value, id, err);
    if (rc || *id) return rc;
    char sql[256];
    field_sql(entity, "merged", sql, sizeof sql);
    if ((rc = first_id(kt_ws_store(ws), sql, value, id, err))) return rc;
    return survivor(kt_ws_store(ws), id, err);
}

/* The active record whose own external_id is value, or 0. */
static kt_status field_holder(kt_ws *ws, const char *entity, const char *value, kt_id *id,
                              kt_error *err)
{
    char sql[256];
    field_sql(entity, "active", sql, sizeof sql);
    return first_id(kt_ws_store(ws), sql, value, id, err);
}

kt_status kt_alias_add(kt_ws *ws, const char *entity, const char *value, kt_id record,
                       long long batch, kt_failures *fails, kt_error *err)
{
    kt_id owner = 0;
    kt_status rc = field_holder(ws, entity, value, &owner, err);
    if (rc || owner) return rc; /* its own id, or another record's: nothing to keep */
    if ((rc = kt_alias_check(ws, entity, record, value, fails, err))) return rc;
    if ((rc = kt_alias_holder(ws, entity, value, &owner, err)) || owner) return rc;
    kt_stmt *st;
    kt_store *s = kt_ws_store(ws);
    /* a row left by a record that is archived now: the id moves to the record that answers */
    rc = kt_store_prepare(s,
                          "INSERT OR REPLACE INTO kt_alias(entity, value, record, batch) "
                          "VALUES (?1, ?2, ?3, ?4)",
                          &st, err);
    if (rc) return rc;
    kt_stmt_bind_text(st, 1, entity);
    kt_stmt_bind_text(st, 2, value);
    kt_stmt_bind_int(st, 3, record);
    if (batch) kt_stmt_bind_int(st, 4, batch);
    int step = kt_stmt_step(st);
    kt_stmt_reset(st);
    return step == KT_STMT_DONE ? KT_OK : kt_store_fail(s, err, "keeping an external id");
}

kt_status kt_alias_check(kt_ws *ws, const char *entity, kt_id self, const char *value,
                         kt_failures *fails, kt_error *err)
{
    kt_id holder = 0;
    kt_status rc = alias_row(ws, entity, value, &holder, err);
    if (rc || !holder || holder == self) return rc;
    char msg[512];
    snprintf(msg, sizeof msg,
             "\"%s\" is already an external id of record %lld (an id it was also known by)", value,
             (long long)holder);
    if (kt_failures_add(fails, KT_SEVERITY_ERROR, "external_id", value, "unique", msg))
        return kt_error_set(err, KT_NOMEM, "out of memory");
    return KT_OK;
}

kt_status kt_alias_drop_batch(kt_ws *ws, long long batch, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *st;
    kt_status rc = kt_store_prepare(s, "DELETE FROM kt_alias WHERE batch = ?1", &st, err);
    if (rc) return rc;
    kt_stmt_bind_int(st, 1, batch);
    int step = kt_stmt_step(st);
    kt_stmt_reset(st);
    return step == KT_STMT_DONE ? KT_OK : kt_store_fail(s, err, "detaching external ids");
}

/* value as the entity's external_id field stores it (trimmed text); NULL when it is empty. */
static kt_status normalised(kt_ws *ws, const kt_field *f, const char *value, char **out,
                            kt_error *err)
{
    *out = NULL;
    kt_record *rec = kt_record_new(f->entity);
    if (!rec) return kt_error_set(err, KT_NOMEM, "out of memory");
    kt_value in = {(char *)value, NULL, 0, 0}, norm = {0};
    kt_failures fails;
    kt_failures_init(&fails);
    int ok = 1;
    kt_status rc = kt_field_normalise(ws, f, rec, &in, &norm, &fails, &ok, err);
    if (!rc && ok && !kt_value_empty(&norm)) *out = norm.text, norm.text = NULL;
    kt_value_clear(&norm);
    kt_failures_free(&fails);
    kt_record_free(rec);
    return rc;
}

static kt_status find_in(kt_ws *ws, const kt_field *f, const char *value, kt_id *id, kt_error *err)
{
    char *norm = NULL;
    kt_status rc = normalised(ws, f, value, &norm, err);
    if (!rc && norm) rc = field_holder(ws, f->entity, norm, id, err);
    if (!rc && norm && !*id) rc = kt_alias_holder(ws, f->entity, norm, id, err);
    kt_free(norm);
    return rc;
}

kt_status kt_external_find(kt_ws *ws, const char *entity, const char *value, kt_id *id,
                           kt_error *err)
{
    const kt_registry *reg = kt_ws_registry(ws);
    *id = 0;
    if (entity) {
        const kt_field *f = kt_registry_field(reg, entity, "external_id");
        if (!f) return kt_error_set(err, KT_NOTFOUND, "%s has no external_id field", entity);
        return find_in(ws, f, value, id, err);
    }
    kt_status rc = KT_OK;
    for (size_t i = 0; !rc && !*id && i < kt_registry_entity_count(reg); i++) {
        const kt_field *f =
            kt_registry_field(reg, kt_registry_entity_at(reg, i)->name, "external_id");
        if (f) rc = find_in(ws, f, value, id, err);
    }
    return rc;
}

kt_status kt_alias_each(kt_ws *ws, kt_id record, kt_alias_cb cb, void *ud, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *st;
    kt_status rc = kt_store_prepare(
        s, "SELECT entity, value, batch FROM kt_alias WHERE record = ?1 ORDER BY value", &st, err);
    if (rc) return rc;
    kt_stmt_bind_int(st, 1, record);
    int step, stop = 0;
    while (!stop && (step = kt_stmt_step(st)) == KT_STMT_ROW)
        stop = cb(ud, kt_stmt_text(st, 0), kt_stmt_text(st, 1), kt_stmt_int(st, 2));
    kt_stmt_reset(st);
    if (!stop && step != KT_STMT_DONE) return kt_store_fail(s, err, "reading external ids");
    return KT_OK;
}

kt_status kt_alias_drop_record(kt_ws *ws, kt_id record, kt_error *err)
{
    return kt_store_run(kt_ws_store(ws), "DELETE FROM kt_alias WHERE record = ?1",
                        "detaching external ids", err, "i", (long long)record);
}
