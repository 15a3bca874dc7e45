/* Undo and the records that came after: a batch's records may be referred to by later ones (the
 * sales of an imported person). Archiving them would leave those pointing at archived records,
 * so undo first counts the dependants — records outside the batch whose reference fields point
 * at a record the batch created, and their own dependants in turn — and refuses, naming how
 * many of each entity, unless told to archive them too (cascade) or to go ahead (force). */
#include <stdio.h>
#include <string.h>

#include "import/import_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "kartoteka/query.h"
#include "record/record_table.h"

/* temp.kt_undo_set holds the batch's records and, round by round, every dependant found. */
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

/* One round: active records outside the set whose ref field f of entity e points into it. */
static kt_status round_for(kt_store *s, const kt_field *f, long long *added, kt_error *err)
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

static kt_status collect(kt_ws *ws, long long batch, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
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
    const kt_registry *reg = kt_ws_registry(ws);
    long long added = 1;
    while (!rc && added) { /* a sale's activity depends on the sale as the sale on its customer */
        added = 0;
        for (size_t i = 0; !rc && i < kt_registry_entity_count(reg); i++) {
            const kt_entity *e = kt_registry_entity_at(reg, i);
            for (size_t j = 0; !rc && j < e->nfields; j++)
                if (e->fields[j].kind == KT_TYPE_REF) rc = round_for(s, &e->fields[j], &added, err);
        }
    }
    return rc;
}

/* "3 sales, 1 deal" into b; *n the number of dependants. */
static kt_status describe(kt_store *s, kt_buf *b, long *n, kt_error *err)
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

static kt_status archive_dependants(kt_ws *ws, const kt_save_opts *so, long *archived,
                                    kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *st;
    kt_status rc = kt_store_prepare(
        s, "SELECT id FROM temp.kt_undo_set WHERE dependant ORDER BY id", &st, err);
    if (rc) return rc;
    kt_id *ids = NULL;
    size_t n = 0, cap = 0;
    while (!rc && kt_stmt_step(st) == KT_STMT_ROW) {
        if (n == cap) {
            kt_id *g = kt_realloc(ids, (cap = cap ? cap * 2 : 64) * sizeof *g);
            if (!g)
                rc = kt_error_set(err, KT_NOMEM, "out of memory");
            else
                ids = g;
        }
        if (!rc) ids[n++] = kt_stmt_int(st, 0);
    }
    kt_stmt_reset(st);
    for (size_t i = 0; !rc && i < n; i++) {
        rc = kt_archive(ws, ids[i], so, err);
        if (!rc) rc = kt_history_add(ws, ids[i], "undo", NULL, NULL, NULL, so->source, 0, err);
        if (!rc) (*archived)++;
    }
    kt_free(ids);
    return rc;
}

kt_status imp_undo_dependants(kt_ws *ws, long long batch, int flags, const kt_save_opts *so,
                              long *archived, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_buf b = KT_BUF_INIT;
    long n = 0;
    kt_status rc = collect(ws, batch, err);
    if (!rc) rc = describe(s, &b, &n, err);
    if (!rc && n && (flags & KT_UNDO_CASCADE))
        rc = archive_dependants(ws, so, archived, err);
    else if (!rc && n && !(flags & KT_UNDO_FORCE))
        rc = kt_error_set(err, KT_CONSTRAINT,
                          "batch %lld created records that later records refer to: undo would "
                          "orphan %s; use --cascade to archive them too, or --force to undo "
                          "anyway",
                          batch, kt_buf_str(&b));
    kt_buf_free(&b);
    return rc;
}
