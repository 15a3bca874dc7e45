/* The statements of temp.kt_undo_set, an undo's working set: the batch's records and, round by
 * round, the active records outside it that refer to one in it (undo_dependants.c). A temporary
 * table of this connection, so it is read only here. */
#include "import/import_int.h"
#include "kartoteka/alloc.h"
#include "record/record_table.h"

static kt_status exec(kt_store *s, const char *sql, long long batch, long long *changes,
                      kt_error *err)
{
    kt_stmt *st;
    kt_status rc = kt_store_prepare(s, sql, &st, err);
    if (rc) return rc;
    if (kt_stmt_params(st) > 0) kt_stmt_bind_int(st, 1, batch);
    int step = kt_stmt_step(st);
    kt_stmt_reset(st);
    if (step != KT_STMT_DONE) return kt_store_fail(s, err, "finding what refers to the batch");
    if (changes) *changes = kt_store_changes(s);
    return KT_OK;
}

kt_status imp_undo_set_start(kt_store *s, long long batch, kt_error *err)
{
    kt_status rc = exec(s,
                        "CREATE TEMP TABLE IF NOT EXISTS kt_undo_set(id INTEGER PRIMARY KEY, "
                        "entity TEXT, dependant INTEGER)",
                        0, NULL, err);
    if (!rc) rc = exec(s, "DELETE FROM temp.kt_undo_set", 0, NULL, err);
    if (!rc)
        rc = exec(s,
                  "INSERT INTO temp.kt_undo_set(id, entity, dependant) SELECT id, entity, 0 "
                  "FROM kt_record WHERE batch = ?1",
                  batch, NULL, err);
    return rc;
}

kt_status imp_undo_set_grow(kt_store *s, const kt_field *f, long long *added, kt_error *err)
{
    char qf[80];
    kt_sql_ident(f->name, qf, sizeof qf);
    kt_buf sql = KT_BUF_INIT;
    kt_status rc = kt_buf_puts(&sql,
                               "INSERT OR IGNORE INTO temp.kt_undo_set(id, entity, dependant) "
                               "SELECT t.id, r.entity, 1",
                               err);
    if (!rc) rc = kt_record_active_from(&sql, f->entity, err);
    if (!rc) rc = kt_buf_printf(&sql, err, " AND t.%s IN (SELECT id FROM temp.kt_undo_set)", qf);
    long long n = 0;
    if (!rc) rc = exec(s, kt_buf_str(&sql), 0, &n, err);
    kt_buf_free(&sql);
    *added += n;
    return rc;
}

kt_status imp_undo_set_describe(kt_store *s, kt_buf *b, long *n, kt_error *err)
{
    kt_stmt *st;
    kt_status rc = kt_store_prepare(s,
                                    "SELECT entity, count(*) FROM temp.kt_undo_set WHERE "
                                    "dependant GROUP BY entity ORDER BY entity",
                                    &st, err);
    *n = 0;
    while (!rc && kt_stmt_step(st) == KT_STMT_ROW) {
        long c = (long)kt_stmt_int(st, 1);
        *n += c;
        rc = kt_buf_printf(b, err, "%s%ld %s%s", b->len ? ", " : "", c, kt_stmt_text(st, 0),
                           c == 1 ? "" : "s");
    }
    if (!rc) kt_stmt_reset(st);
    return rc;
}

kt_status imp_undo_set_dependants(kt_store *s, kt_id **out, size_t *n, kt_error *err)
{
    kt_stmt *st;
    *out = NULL;
    *n = 0;
    kt_status rc = kt_store_prepare(
        s, "SELECT id FROM temp.kt_undo_set WHERE dependant ORDER BY id", &st, err);
    if (rc) return rc;
    kt_id *ids = NULL;
    size_t cap = 0;
    while (!rc && kt_stmt_step(st) == KT_STMT_ROW) {
        if (*n == cap) {
            kt_id *g = kt_realloc(ids, (cap = cap ? cap * 2 : 64) * sizeof *g);
            if (!g)
                rc = kt_error_set(err, KT_NOMEM, "out of memory");
            else
                ids = g;
        }
        if (!rc) ids[(*n)++] = kt_stmt_int(st, 0);
    }
    kt_stmt_reset(st);
    *out = ids;
    return rc;
}
