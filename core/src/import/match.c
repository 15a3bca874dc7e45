/* Matching a record to the stored record it is about: a key's values normalised through the
 * field's type exactly as the write door stores them, then one indexed lookup. Rows written
 * earlier in the same import are in the database already (inside the import's transaction),
 * so they match the same way. Kept behind this small interface so the duplicate detection
 * engine can be plugged in as a fallback. */
#include <stdio.h>
#include <string.h>

#include "import/import_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "record/alias.h"
#include "record/field_value.h"
#include "record/record_table.h"

#define MAX_KEY_FIELDS 8

typedef struct sql_entry {
    char *id; /* "entity|f1|f2" */
    char *sql;
} sql_entry;

struct imp_matcher {
    kt_ws *ws;
    sql_entry *sqls;
    size_t nsqls;
    kt_failures scratch;
    imp_fallback_fn fallback;
    void *fallback_ud;
    int settled, similar, alias;
    kt_id review;
    double review_score;
    char how[96]; /* what the last match was found by, for the import log */
};

kt_status imp_matcher_new(kt_ws *ws, imp_matcher **out, kt_error *err)
{
    imp_matcher *m = kt_calloc(1, sizeof *m);
    if (!m) return kt_error_set(err, KT_NOMEM, "out of memory");
    m->ws = ws;
    kt_failures_init(&m->scratch);
    *out = m;
    return KT_OK;
}

void imp_matcher_free(imp_matcher *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->nsqls; i++) {
        kt_free(m->sqls[i].id);
        kt_free(m->sqls[i].sql);
    }
    kt_free(m->sqls);
    kt_failures_free(&m->scratch);
    kt_free(m);
}

void imp_matcher_set_fallback(imp_matcher *m, imp_fallback_fn fn, void *ud)
{
    m->fallback = fn;
    m->fallback_ud = ud;
}

/* Matching must be an indexed lookup, never a scan per row: a key whose first field the
 * registry does not index gets an index of its own (it lives with the table, like the
 * registry's; inside the import's transaction, so a failed import leaves none behind). */
static kt_status ensure_index(imp_matcher *m, const char *entity, const imp_key *key, kt_error *err)
{
    const kt_field *f = kt_registry_field(kt_ws_registry(m->ws), entity, key->fields[0]);
    if (!f || f->indexed || f->unique) return KT_OK;
    return kt_store_put_match_index(kt_ws_store(m->ws), entity, (const char *const *)key->fields,
                                    key->n, err);
}

/* The lookup statement's text for an entity and key, built once per import. */
static kt_status key_sql(imp_matcher *m, const char *entity, const imp_key *key, int nth,
                         const char **sql, kt_error *err)
{
    kt_buf id = KT_BUF_INIT;
    kt_status st = kt_buf_printf(&id, err, "%s%s", nth ? "#" : "", entity);
    for (size_t i = 0; !st && i < key->n; i++)
        st = kt_buf_printf(&id, err, "|%s", key->fields[i]);
    for (size_t i = 0; !st && i < m->nsqls; i++)
        if (!strcmp(m->sqls[i].id, kt_buf_str(&id))) {
            *sql = m->sqls[i].sql;
            kt_buf_free(&id);
            return KT_OK;
        }
    char *q = NULL;
    if (!st) st = ensure_index(m, entity, key, err);
    if (!st)
        st = kt_record_match_sql(entity, (const char *const *)key->fields, key->n, nth, &q, err);
    sql_entry *grown = st ? NULL : kt_realloc(m->sqls, (m->nsqls + 1) * sizeof *grown);
    if (!st && !grown) st = kt_error_set(err, KT_NOMEM, "out of memory");
    if (st) {
        kt_buf_free(&id);
        kt_free(q);
        return st;
    }
    m->sqls = grown;
    m->sqls[m->nsqls].id = kt_buf_take(&id);
    m->sqls[m->nsqls].sql = q;
    *sql = m->sqls[m->nsqls++].sql;
    return KT_OK;
}

/* A single-field external_id key also finds the record that absorbed the id (an alias, a
 * merged record's id): every identity a record was known by leads to it. */
static int external_key(const imp_key *key, long nth)
{
    return key->n == 1 && nth <= 1 && !strcmp(key->fields[0], "external_id");
}

/* Tries one key: *usable = 0 when rec lacks (or has an invalid) value for one of its fields. */
static kt_status try_key(imp_matcher *m, const kt_record *rec, const imp_key *key, long nth,
                         int *usable, kt_id *id, kt_error *err)
{
    const kt_registry *reg = kt_ws_registry(m->ws);
    kt_value norm[MAX_KEY_FIELDS];
    const kt_field *fields[MAX_KEY_FIELDS];
    size_t n = 0;
    kt_status st = KT_OK;
    *usable = 0;
    *id = 0;
    memset(norm, 0, sizeof norm);
    if (key->n == 0 || key->n > MAX_KEY_FIELDS) return KT_OK;
    for (; n < key->n; n++) {
        const kt_field *f = kt_registry_field(reg, rec->entity, key->fields[n]);
        const kt_value *v = kt_record_get(rec, key->fields[n]);
        if (!f || kt_value_empty(v)) goto out;
        int ok = 1;
        kt_failures_clear(&m->scratch);
        if ((st = kt_field_normalise(m->ws, f, rec, v, &norm[n], &m->scratch, &ok, err))) goto out;
        fields[n] = f;
        if (!ok || kt_value_empty(&norm[n])) {
            n++;
            goto out;
        }
    }
    *usable = 1;
    const char *sql;
    kt_stmt *stmt;
    kt_store *s = kt_ws_store(m->ws);
    if ((st = key_sql(m, rec->entity, key, nth > 1, &sql, err))) goto out;
    if ((st = kt_record_rows_prepare(s, sql, NULL, &stmt, err))) goto out;
    for (size_t i = 0; i < n && !st; i++)
        st = kt_field_bind(stmt, (int)i + 1, fields[i], &norm[i], err);
    if (nth > 1) kt_stmt_bind_int(stmt, (int)n + 1, nth - 1);
    if (!st) {
        int rc = kt_stmt_step(stmt);
        if (rc == KT_STMT_ROW)
            *id = kt_stmt_int(stmt, 0);
        else if (rc != KT_STMT_DONE)
            st = kt_store_fail(s, err, "matching a record");
        kt_stmt_reset(stmt);
    }
    if (!st && !*id && external_key(key, nth) && norm[0].text) {
        st = kt_alias_holder(m->ws, rec->entity, norm[0].text, id, err);
        m->alias = *id != 0;
    }
out:
    for (size_t i = 0; i < n; i++)
        kt_value_clear(&norm[i]);
    return st;
}

kt_status imp_match(imp_matcher *m, const kt_record *rec, const imp_keys *keys, long nth,
                    int fallback, kt_id *id, kt_error *err)
{
    *id = 0;
    m->settled = m->similar = m->alias = 0;
    m->review = 0;
    m->how[0] = 0;
    for (size_t i = 0; i < keys->n; i++) {
        int usable;
        const imp_key *k = &keys->items[i];
        kt_status st = try_key(m, rec, k, nth, &usable, id, err);
        if (st) return st;
        if (*id) {
            size_t n = 0;
            for (size_t j = 0; j < k->n && n < sizeof m->how; j++)
                n += (size_t)snprintf(m->how + n, sizeof m->how - n, "%s%s", j ? "+" : "",
                                      k->fields[j]);
            if (m->alias && n < sizeof m->how) snprintf(m->how + n, sizeof m->how - n, " (alias)");
            return KT_OK;
        }
        if (usable) break; /* the first key the record has values for decides */
    }
    if (!m->fallback || !fallback) return KT_OK;
    double score = 0;
    kt_status st =
        m->fallback(m->fallback_ud, m->ws, rec, id, &score, &m->review, &m->review_score, err);
    m->settled = !st && !*id;
    m->similar = !st && *id;
    if (m->similar) snprintf(m->how, sizeof m->how, "duplicate %.3f", score);
    return st;
}

const char *imp_matcher_how(const imp_matcher *m)
{
    return m->how;
}

int imp_matcher_alias(const imp_matcher *m)
{
    return m->alias;
}

kt_id imp_matcher_review(const imp_matcher *m, double *score)
{
    *score = m->review_score;
    return m->review;
}

int imp_matcher_settled(const imp_matcher *m)
{
    return m->settled;
}

int imp_matcher_similar(const imp_matcher *m)
{
    return m->similar;
}

kt_status imp_lookup(imp_matcher *m, const char *entity, const char *field, const char *value,
                     kt_id *id, kt_error *err)
{
    *id = 0;
    if (!kt_registry_field(kt_ws_registry(m->ws), entity, field))
        return kt_error_set(err, KT_NOTFOUND, "lookup: there is no field %s.%s", entity, field);
    kt_record *rec = kt_record_new(entity);
    if (!rec) return kt_error_set(err, KT_NOMEM, "out of memory");
    kt_status st = kt_record_set(rec, field, value, err);
    if (!st) st = imp_coerce_sets(m->ws, rec, err);
    char *fields[1] = {(char *)field};
    imp_key key = {fields, 1};
    int usable;
    if (!st) st = try_key(m, rec, &key, 1, &usable, id, err);
    kt_record_free(rec);
    return st;
}
