/* The registry's home in the database: kt_entity, kt_field, kt_field_change, and the entity
 * tables whose columns follow the fields. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "kartoteka/store.h"
#include "store/store_engine.h"

/* Puts the kt_field row st is on (entity, name, type, props, origin) into reg. */
static kt_status put_row(kt_stmt *st, kt_registry *reg, kt_error *err)
{
    kt_field_decl d = {kt_stmt_text(st, 0), kt_stmt_text(st, 1), kt_stmt_text(st, 2),
                       kt_stmt_text(st, 3), kt_stmt_text(st, 4), 0};
    kt_status rc =
        kt_registry_put_field(reg, &d, d.origin && strcmp(d.origin, "schema") == 0, NULL, err);
    if (rc) kt_error_prefix(err, "the registry in the database: ");
    return rc;
}

kt_status kt_store_load_registry(kt_store *s, kt_registry *reg, kt_error *err)
{
    kt_stmt *st;
    kt_status rc =
        kt_store_prepare(s, "SELECT name, label, origin FROM kt_entity ORDER BY rowid", &st, err);
    if (rc) return rc;
    while (kt_stmt_step(st) == KT_STMT_ROW) {
        const char *origin = kt_stmt_text(st, 2);
        rc = kt_registry_put_entity(reg, kt_stmt_text(st, 0), kt_stmt_text(st, 1),
                                    origin && strcmp(origin, "schema") == 0, err);
        if (rc) return rc;
    }
    /* a retired field (kt field remove) keeps its row and column but is not loaded */
    rc = kt_store_prepare(s,
                          "SELECT entity, name, type, props, origin FROM kt_field "
                          "WHERE NOT EXISTS (SELECT 1 FROM kt_field_retired r WHERE "
                          "r.entity = kt_field.entity AND r.name = kt_field.name) "
                          "ORDER BY entity, position",
                          &st, err);
    if (rc) return rc;
    while (kt_stmt_step(st) == KT_STMT_ROW)
        if ((rc = put_row(st, reg, err))) return rc;
    return KT_OK;
}

static kt_status exec_sql(kt_store *s, const char *sql, kt_error *err)
{
    if (!kt_store_exec_quiet(s, sql)) return KT_OK;
    return kt_error_set(err, KT_INTERNAL, "database: %s (%s)", kt_store_errmsg(s), sql);
}

kt_status kt_store_put_entity(kt_store *s, const kt_entity *e, const char *origin, kt_error *err)
{
    char now[32], q[80], sql[256];
    kt_store_now(now);
    kt_stmt *st;
    kt_status rc = kt_store_prepare(
        s,
        "INSERT INTO kt_entity(name, label, origin, created_at) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT(name) DO UPDATE SET label = excluded.label",
        &st, err);
    if (rc) return rc;
    kt_stmt_bind_text(st, 1, e->name);
    kt_stmt_bind_text(st, 2, e->label ? e->label : "{}");
    kt_stmt_bind_text(st, 3, origin);
    kt_stmt_bind_text(st, 4, now);
    if (kt_stmt_step(st) != KT_STMT_DONE) return kt_store_fail(s, err, "saving an entity");
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
    case KT_TYPE_REF:
        return "INTEGER";
    default:
        return "TEXT";
    }
}

static int column_exists(kt_store *s, const kt_field *f)
{
    kt_stmt *st;
    if (kt_store_prepare(s, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2", &st, NULL))
        return 0;
    kt_stmt_bind_text(st, 1, f->entity);
    kt_stmt_bind_text(st, 2, f->name);
    return kt_stmt_step(st) == KT_STMT_ROW;
}

/* Reads the stored definition, if any, to tell new from changed from unchanged. */
static kt_status stored_props(kt_store *s, const kt_field *f, char **props, kt_error *err)
{
    *props = NULL;
    kt_stmt *st;
    kt_status rc =
        kt_store_prepare(s,
                         "SELECT json_object('type', type, 'props', json(props)) FROM kt_field "
                         "WHERE entity = ?1 AND name = ?2",
                         &st, err);
    if (rc) return rc;
    kt_stmt_bind_text(st, 1, f->entity);
    kt_stmt_bind_text(st, 2, f->name);
    if (kt_stmt_step(st) == KT_STMT_ROW) {
        *props = kt_strdup(kt_stmt_text(st, 0));
        if (!*props) return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    return KT_OK;
}

static kt_status step_done(kt_store *s, kt_stmt *st, const char *doing, kt_error *err)
{
    int rc = kt_stmt_step(st);
    kt_stmt_reset(st);
    return rc == KT_STMT_DONE ? KT_OK : kt_store_fail(s, err, doing);
}

static kt_status log_field_change(kt_store *s, const char *entity, const char *field,
                                  const char *old, const char *new_, const char *source,
                                  kt_error *err)
{
    char now[32];
    kt_store_now(now);
    kt_stmt *st;
    kt_status rc = kt_store_prepare(s,
                                    "INSERT INTO kt_field_change(at, entity, field, old, new, "
                                    "source) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                    &st, err);
    if (rc) return rc;
    kt_stmt_bind_text(st, 1, now);
    kt_stmt_bind_text(st, 2, entity);
    kt_stmt_bind_text(st, 3, field);
    if (old) kt_stmt_bind_text(st, 4, old);
    kt_stmt_bind_text(st, 5, new_);
    kt_stmt_bind_text(st, 6, source);
    return step_done(s, st, "recording a field change", err);
}

/* The definition kt_field_change records: {"type": ..., "props": {...}}. Caller frees with
 * cJSON_free; NULL when out of memory. */
static char *definition(const char *type, const char *props, const char *renamed_from)
{
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "type", type);
    cJSON_AddRawToObject(d, "props", props);
    if (renamed_from) cJSON_AddStringToObject(d, "renamed_from", renamed_from);
    char *text = cJSON_PrintUnformatted(d);
    cJSON_Delete(d);
    return text;
}

kt_status kt_store_registry_version(kt_store *s, long long *version, kt_error *err)
{
    kt_stmt *st;
    kt_status rc =
        kt_store_prepare(s, "SELECT coalesce(max(id), 0) FROM kt_field_change", &st, err);
    if (rc) return rc;
    int step = kt_stmt_step(st);
    *version = step == KT_STMT_ROW ? kt_stmt_int(st, 0) : 0;
    kt_stmt_reset(st);
    return step == KT_STMT_ROW ? KT_OK : kt_store_fail(s, err, "reading the registry's version");
}

kt_status kt_store_put_field(kt_store *s, const kt_field *f, const char *source, kt_error *err)
{
    char now[32], qt[80], qc[80], qi[160], sql[512];
    kt_store_now(now);
    char *props = kt_field_props_json(f), *old = NULL, *desc = NULL;
    kt_status rc = KT_OK;
    if (!props) return kt_error_set(err, KT_NOMEM, "out of memory");
    if ((rc = stored_props(s, f, &old, err))) goto out;
    kt_stmt *st;
    rc = kt_store_prepare(
        s,
        "INSERT INTO kt_field(entity, name, type, props, position, origin, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) ON CONFLICT(entity, name) DO UPDATE SET "
        "props = excluded.props, updated_at = excluded.updated_at WHERE kt_field.props <> "
        "excluded.props",
        &st, err);
    if (rc) goto out;
    kt_stmt_bind_text(st, 1, f->entity);
    kt_stmt_bind_text(st, 2, f->name);
    kt_stmt_bind_text(st, 3, f->type);
    kt_stmt_bind_text(st, 4, props);
    kt_stmt_bind_int(st, 5, f->position);
    kt_stmt_bind_text(st, 6, f->origin ? f->origin : source);
    kt_stmt_bind_text(st, 7, now);
    if (kt_stmt_step(st) != KT_STMT_DONE) {
        rc = kt_store_fail(s, err, "saving a field");
        goto out;
    }
    if (kt_store_changes(s) > 0) {
        if (!(desc = definition(f->type, props, NULL))) {
            rc = kt_error_set(err, KT_NOMEM, "out of memory");
            goto out;
        }
        if ((rc = log_field_change(s, f->entity, f->name, old, desc, source, err))) goto out;
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
    cJSON_free(desc);
    return rc;
}

kt_status kt_store_field_retire(kt_store *s, const char *entity, const char *name, int retire,
                                const char *source, kt_error *err)
{
    char now[32];
    kt_store_now(now);
    kt_stmt *st;
    kt_status rc =
        kt_store_prepare(s,
                         "SELECT json_object('type', type, 'props', json(props)) FROM kt_field "
                         "WHERE entity = ?1 AND name = ?2",
                         &st, err);
    if (rc) return rc;
    kt_stmt_bind_text(st, 1, entity);
    kt_stmt_bind_text(st, 2, name);
    int step = kt_stmt_step(st);
    char *def = step == KT_STMT_ROW ? kt_strdup(kt_stmt_text(st, 0)) : NULL;
    kt_stmt_reset(st);
    if (step == KT_STMT_DONE)
        return kt_error_set(err, KT_NOTFOUND, "there is no field %s.%s", entity, name);
    if (step != KT_STMT_ROW) return kt_store_fail(s, err, "reading a field");
    rc = kt_store_prepare(s,
                          retire ? "INSERT OR IGNORE INTO kt_field_retired(entity, name, "
                                   "retired_at) VALUES (?1, ?2, ?3)"
                                 : "DELETE FROM kt_field_retired WHERE entity = ?1 AND name = ?2",
                          &st, err);
    if (!rc) {
        kt_stmt_bind_text(st, 1, entity);
        kt_stmt_bind_text(st, 2, name);
        if (retire) kt_stmt_bind_text(st, 3, now);
        rc = step_done(s, st, "retiring a field", err);
    }
    /* history of the registry: the definition, and whether the field is retired from now on */
    cJSON *j = def ? cJSON_Parse(def) : NULL;
    if (j) cJSON_AddBoolToObject(j, "retired", retire);
    char *change = j ? cJSON_PrintUnformatted(j) : NULL;
    cJSON_Delete(j);
    if (!rc)
        rc = change ? log_field_change(s, entity, name, def, change, source, err)
                    : kt_error_set(err, KT_NOMEM, "out of memory");
    kt_free(def);
    cJSON_free(change);
    return rc;
}

kt_status kt_store_load_field(kt_store *s, kt_registry *reg, const char *entity, const char *name,
                              kt_error *err)
{
    kt_stmt *st;
    kt_status rc = kt_store_prepare(s,
                                    "SELECT entity, name, type, props, origin FROM kt_field "
                                    "WHERE entity = ?1 AND name = ?2",
                                    &st, err);
    if (rc) return rc;
    kt_stmt_bind_text(st, 1, entity);
    kt_stmt_bind_text(st, 2, name);
    int step = kt_stmt_step(st);
    if (step == KT_STMT_ROW)
        rc = put_row(st, reg, err);
    else if (step == KT_STMT_DONE)
        rc = kt_error_set(err, KT_NOTFOUND, "there is no field %s.%s", entity, name);
    else
        rc = kt_store_fail(s, err, "reading a field");
    kt_stmt_reset(st);
    return rc;
}

static char *text_or_null(kt_stmt *st, int i)
{
    const char *t = kt_stmt_text(st, i);
    return t ? kt_strdup(t) : NULL;
}

kt_status kt_store_field_fate(kt_store *s, const char *entity, const char *name, char **retired_at,
                              char **renamed_to, kt_error *err)
{
    *retired_at = *renamed_to = NULL;
    kt_stmt *st;
    kt_status rc = kt_store_prepare(
        s,
        "SELECT r.retired_at FROM kt_field f LEFT JOIN kt_field_retired r ON "
        "r.entity = f.entity AND r.name = f.name WHERE f.entity = ?1 AND f.name = ?2",
        &st, err);
    if (rc) return rc;
    kt_stmt_bind_text(st, 1, entity);
    kt_stmt_bind_text(st, 2, name);
    int step = kt_stmt_step(st);
    int lost = 0; /* a value there that could not be copied: out of memory, not "none" */
    if (step == KT_STMT_ROW) {
        *retired_at = text_or_null(st, 0);
        lost = !*retired_at && !kt_stmt_is_null(st, 0);
    }
    kt_stmt_reset(st);
    if (lost) return kt_error_set(err, KT_NOMEM, "out of memory");
    if (step == KT_STMT_ROW) return KT_OK; /* the name is taken: retired or not, never renamed */
    if (step != KT_STMT_DONE) return kt_store_fail(s, err, "reading a field");
    /* renamed away: its newest change says so; a chain of renames is followed to its end */
    const char *look = name;
    char *found = NULL;
    for (int hops = 0; hops < 16; hops++) {
        if ((rc = kt_store_prepare(s,
                                   "SELECT new ->> '$.renamed_to' FROM kt_field_change "
                                   "WHERE entity = ?1 AND field = ?2 ORDER BY id DESC LIMIT 1",
                                   &st, err)))
            break;
        kt_stmt_bind_text(st, 1, entity);
        kt_stmt_bind_text(st, 2, look);
        int row = kt_stmt_step(st) == KT_STMT_ROW;
        char *next = row ? text_or_null(st, 0) : NULL;
        lost = row && !next && !kt_stmt_is_null(st, 0);
        kt_stmt_reset(st);
        if (lost) rc = kt_error_set(err, KT_NOMEM, "out of memory");
        if (!next) break;
        kt_free(found);
        look = found = next;
    }
    *renamed_to = found;
    return rc;
}

kt_status kt_store_field_rename(kt_store *s, const kt_field *f, const char *new_name,
                                const char *source, kt_error *err)
{
    char now[32], qt[80], qo[80], qn[80], qi[160], iname[160], sql[512];
    kt_store_now(now);
    kt_stmt *st;
    char *props = kt_field_props_json(f), *def = NULL, *from = NULL, *to = NULL;
    kt_status rc = props ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
    if (!rc)
        rc = kt_store_prepare(s,
                              "UPDATE kt_field SET name = ?3, updated_at = ?4 "
                              "WHERE entity = ?1 AND name = ?2",
                              &st, err);
    if (rc) goto out;
    kt_stmt_bind_text(st, 1, f->entity);
    kt_stmt_bind_text(st, 2, f->name);
    kt_stmt_bind_text(st, 3, new_name);
    kt_stmt_bind_text(st, 4, now);
    if ((rc = step_done(s, st, "renaming a field", err))) goto out;
    /* the registry's history: the old name says where it went, the new one where it came from */
    def = definition(f->type, props, NULL);
    from = definition(f->type, props, f->name);
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "renamed_to", new_name);
    to = cJSON_PrintUnformatted(r);
    cJSON_Delete(r);
    if (!def || !to || !from) {
        rc = kt_error_set(err, KT_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = log_field_change(s, f->entity, f->name, def, to, source, err)) ||
        (rc = log_field_change(s, f->entity, new_name, NULL, from, source, err)))
        goto out;
    kt_sql_ident(f->entity, qt, sizeof qt);
    kt_sql_ident(f->name, qo, sizeof qo);
    kt_sql_ident(new_name, qn, sizeof qn);
    snprintf(sql, sizeof sql, "ALTER TABLE %s RENAME COLUMN %s TO %s", qt, qo, qn);
    if ((rc = exec_sql(s, sql, err))) goto out;
    /* the index follows the column but keeps its name, which a new field of the old name
     * would find taken: it is made again under the new one */
    snprintf(iname, sizeof iname, "kt_idx_%s_%s", f->entity, f->name);
    kt_sql_ident(iname, qi, sizeof qi);
    snprintf(sql, sizeof sql, "DROP INDEX IF EXISTS %s", qi);
    if ((rc = exec_sql(s, sql, err))) goto out;
    if (f->indexed || f->unique || f->kind == KT_TYPE_REF) {
        snprintf(iname, sizeof iname, "kt_idx_%s_%s", f->entity, new_name);
        kt_sql_ident(iname, qi, sizeof qi);
        snprintf(sql, sizeof sql, "CREATE INDEX IF NOT EXISTS %s ON %s(%s)", qi, qt, qn);
        rc = exec_sql(s, sql, err);
    }
out:
    kt_free(props);
    cJSON_free(def);
    cJSON_free(to);
    cJSON_free(from);
    return rc;
}

kt_status kt_store_field_values(kt_store *s, const kt_field *f, long long *n, kt_error *err)
{
    char qt[80], qc[80], sql[256];
    kt_sql_ident(f->entity, qt, sizeof qt);
    kt_sql_ident(f->name, qc, sizeof qc);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s IS NOT NULL", qt, qc);
    return kt_store_int(s, sql, "counting a field's values", n, err);
}

kt_status kt_store_retired_fields(kt_store *s, const char *entity, kt_store_field_cb cb, void *ud,
                                  kt_error *err)
{
    kt_stmt *st;
    kt_status rc = kt_store_prepare(s,
                                    "SELECT f.entity, f.name, f.type, r.retired_at FROM "
                                    "kt_field f JOIN kt_field_retired r ON r.entity = f.entity "
                                    "AND r.name = f.name WHERE ?1 IS NULL OR f.entity = ?1 "
                                    "ORDER BY f.entity, f.position",
                                    &st, err);
    if (rc) return rc;
    if (entity) kt_stmt_bind_text(st, 1, entity);
    int step;
    while ((step = kt_stmt_step(st)) == KT_STMT_ROW)
        if (cb(ud, kt_stmt_text(st, 0), kt_stmt_text(st, 1), kt_stmt_text(st, 2),
               kt_stmt_text(st, 3)))
            break;
    if (step != KT_STMT_ROW && step != KT_STMT_DONE) rc = kt_store_fail(s, err, "reading fields");
    kt_stmt_reset(st);
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
    if (!st && kt_store_exec_quiet(s, kt_buf_str(&q)))
        st = kt_store_fail(s, err, "indexing a match key");
    kt_buf_free(&q);
    return st;
}

kt_status kt_store_put_month_day_index(kt_store *s, const char *entity, const char *field,
                                       kt_error *err)
{
    char iname[160], qi[200], qt[80], qc[80], sql[600];
    snprintf(iname, sizeof iname, "kt_md_%s_%s", entity, field);
    kt_sql_ident(iname, qi, sizeof qi);
    kt_sql_ident(entity, qt, sizeof qt);
    kt_sql_ident(field, qc, sizeof qc);
    /* the expression is the one the listing writes, or SQLite would not use the index */
    snprintf(sql, sizeof sql, "CREATE INDEX IF NOT EXISTS %s ON %s(substr(%s, 6, 5))", qi, qt, qc);
    if (kt_store_exec_quiet(s, sql))
        return kt_store_fail(s, err, "indexing the month and day of a date");
    return KT_OK;
}
