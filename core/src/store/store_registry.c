/* The registry's home in the database: kt_entity, kt_field, kt_field_change, and the entity
 * tables whose columns follow the fields. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "kartoteka/store.h"

kt_status kt_store_load_registry(kt_store *s, kt_registry *reg, kt_error *err)
{
    sqlite3_stmt *st;
    kt_status rc = kt_store_prepare(s, "SELECT name, label, origin FROM kt_entity ORDER BY rowid",
                                    &st, err);
    if (rc) return rc;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *origin = (const char *)sqlite3_column_text(st, 2);
        rc = kt_registry_put_entity(reg, (const char *)sqlite3_column_text(st, 0),
                                    (const char *)sqlite3_column_text(st, 1),
                                    origin && strcmp(origin, "schema") == 0, err);
        if (rc) return rc;
    }
    rc = kt_store_prepare(s,
                          "SELECT entity, name, type, props, origin FROM kt_field "
                          "ORDER BY entity, position",
                          &st, err);
    if (rc) return rc;
    while (sqlite3_step(st) == SQLITE_ROW) {
        kt_field_decl d = {(const char *)sqlite3_column_text(st, 0),
                           (const char *)sqlite3_column_text(st, 1),
                           (const char *)sqlite3_column_text(st, 2),
                           (const char *)sqlite3_column_text(st, 3),
                           (const char *)sqlite3_column_text(st, 4), 0};
        rc = kt_registry_put_field(reg, &d, d.origin && strcmp(d.origin, "schema") == 0, NULL,
                                   err);
        if (rc) {
            kt_error_prefix(err, "the registry in the database: ");
            return rc;
        }
    }
    return KT_OK;
}

static kt_status exec_sql(kt_store *s, const char *sql, kt_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(kt_store_db(s), sql, NULL, NULL, &msg) == SQLITE_OK) return KT_OK;
    kt_status st = kt_error_set(err, KT_INTERNAL, "database: %s (%s)", msg ? msg : "?", sql);
    sqlite3_free(msg);
    return st;
}

kt_status kt_store_put_entity(kt_store *s, const kt_entity *e, const char *origin, kt_error *err)
{
    char now[32], q[80], sql[256];
    kt_store_now(now);
    sqlite3_stmt *st;
    kt_status rc = kt_store_prepare(
        s,
        "INSERT INTO kt_entity(name, label, origin, created_at) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT(name) DO UPDATE SET label = excluded.label",
        &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, e->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, e->label ? e->label : "{}", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, origin, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) return kt_store_fail(s, err, "saving an entity");
    kt_sql_ident(e->name, q, sizeof q);
    snprintf(sql, sizeof sql,
             "CREATE TABLE IF NOT EXISTS %s (id INTEGER PRIMARY KEY REFERENCES kt_record(id))", q);
    return exec_sql(s, sql, err);
}

static const char *column_type(const kt_field *f)
{
    switch (f->kind) {
    case KT_TYPE_INTEGER:
    case KT_TYPE_DECIMAL:
    case KT_TYPE_BOOL:
    case KT_TYPE_REF: return "INTEGER";
    default: return "TEXT";
    }
}

static int column_exists(kt_store *s, const kt_field *f)
{
    sqlite3_stmt *st;
    if (kt_store_prepare(s, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2", &st, NULL))
        return 0;
    sqlite3_bind_text(st, 1, f->entity, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, f->name, -1, SQLITE_STATIC);
    return sqlite3_step(st) == SQLITE_ROW;
}

/* Reads the stored definition, if any, to tell new from changed from unchanged. */
static kt_status stored_props(kt_store *s, const kt_field *f, char **props, kt_error *err)
{
    *props = NULL;
    sqlite3_stmt *st;
    kt_status rc = kt_store_prepare(
        s, "SELECT json_object('type', type, 'props', json(props)) FROM kt_field "
           "WHERE entity = ?1 AND name = ?2",
        &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, f->entity, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, f->name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *props = kt_strdup((const char *)sqlite3_column_text(st, 0));
        if (!*props) return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    return KT_OK;
}

kt_status kt_store_put_field(kt_store *s, const kt_field *f, const char *source, kt_error *err)
{
    char now[32], qt[80], qc[80], qi[160], sql[512];
    kt_store_now(now);
    char *props = kt_field_props_json(f), *old = NULL, *desc = NULL;
    kt_status rc = KT_OK;
    if (!props) return kt_error_set(err, KT_NOMEM, "out of memory");
    if ((rc = stored_props(s, f, &old, err))) goto out;
    sqlite3_stmt *st;
    rc = kt_store_prepare(
        s,
        "INSERT INTO kt_field(entity, name, type, props, position, origin, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) ON CONFLICT(entity, name) DO UPDATE SET "
        "props = excluded.props, updated_at = excluded.updated_at WHERE props <> excluded.props",
        &st, err);
    if (rc) goto out;
    sqlite3_bind_text(st, 1, f->entity, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, f->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, f->type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, props, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, f->position);
    sqlite3_bind_text(st, 6, f->origin ? f->origin : source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, now, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = kt_store_fail(s, err, "saving a field");
        goto out;
    }
    if (sqlite3_changes(kt_store_db(s)) > 0) {
        rc = kt_store_prepare(s,
                              "INSERT INTO kt_field_change(at, entity, field, old, new, source) "
                              "VALUES (?1, ?2, ?3, ?4, json_object('type', ?5, 'props', json(?6)), ?7)",
                              &st, err);
        if (rc) goto out;
        sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, f->entity, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, f->name, -1, SQLITE_STATIC);
        if (old) sqlite3_bind_text(st, 4, old, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, f->type, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, props, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, source, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = kt_store_fail(s, err, "recording a field change");
            goto out;
        }
    }
    kt_sql_ident(f->entity, qt, sizeof qt);
    kt_sql_ident(f->name, qc, sizeof qc);
    /* A new column on a populated table: every existing record gets NULL, nothing is rewritten. */
    if (!column_exists(s, f)) {
        snprintf(sql, sizeof sql, "ALTER TABLE %s ADD COLUMN %s %s", qt, qc, column_type(f));
        if ((rc = exec_sql(s, sql, err))) goto out;
    }
    if (f->indexed || f->unique || f->kind == KT_TYPE_REF) {
        char iname[160];
        snprintf(iname, sizeof iname, "kt_idx_%s_%s", f->entity, f->name);
        kt_sql_ident(iname, qi, sizeof qi);
        snprintf(sql, sizeof sql, "CREATE INDEX IF NOT EXISTS %s ON %s(%s)", qi, qt, qc);
        if ((rc = exec_sql(s, sql, err))) goto out;
    }
out:
    kt_free(props);
    kt_free(old);
    kt_free(desc);
    return rc;
}

kt_status kt_store_put_match_index(kt_store *s, const char *entity, const char *const *fields,
                                   size_t n, kt_error *err)
{
    kt_buf q = KT_BUF_INIT;
    char ident[80];
    kt_status st = kt_buf_printf(&q, err, "CREATE INDEX IF NOT EXISTS \"kt_match_%s", entity);
    for (size_t i = 0; !st && i < n; i++)
        st = kt_buf_printf(&q, err, "_%s", fields[i]);
    kt_sql_ident(entity, ident, sizeof ident);
    if (!st) st = kt_buf_printf(&q, err, "\" ON %s(", ident);
    for (size_t i = 0; !st && i < n; i++) {
        kt_sql_ident(fields[i], ident, sizeof ident);
        st = kt_buf_printf(&q, err, "%s%s", i ? ", " : "", ident);
    }
    if (!st) st = kt_buf_puts(&q, ")", err);
    if (!st && sqlite3_exec(kt_store_db(s), kt_buf_str(&q), NULL, NULL, NULL))
        st = kt_store_fail(s, err, "indexing a match key");
    kt_buf_free(&q);
    return st;
}
