/* The statements of kt_dupe_model, kt_dupe_model_level, kt_dupe_model_labels and kt_dupe_tf: a
 * trained model read with its rule and written back whole by kt dupes train. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dedupe/dd_int.h"
#include "dedupe/model.h"
#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "kartoteka/store.h"

kt_status dd_model_signature(const kt_dedupe_rule *r, char **out, kt_error *err)
{
    kt_buf b = KT_BUF_INIT;
    kt_status st = KT_OK;
    for (size_t f = 0; !st && f < r->n; f++)
        st = kt_buf_printf(&b, err, "%s%s:%s", f ? ";" : "", r->fields[f].field,
                           r->fields[f].method);
    if (!st && !(*out = kt_strdup(kt_buf_str(&b))))
        st = kt_error_set(err, KT_NOMEM, "out of memory");
    kt_buf_free(&b);
    return st;
}

static long field_index(const kt_dedupe_rule *r, const char *name)
{
    for (size_t f = 0; name && f < r->n; f++)
        if (!strcmp(r->fields[f].field, name)) return (long)f;
    return -1;
}

/* The frequencies of common values, field by field (rows come ordered by field, then hash). */
static kt_status load_tf(kt_store *s, const kt_dedupe_rule *r, dd_model *m, kt_error *err)
{
    kt_stmt *q;
    kt_status st = kt_store_prepare(
        s, "SELECT field, hash, n FROM kt_dupe_tf WHERE entity = ?1 ORDER BY field, hash", &q, err);
    if (st) return st;
    kt_stmt_bind_text(q, 1, r->entity);
    int rc;
    size_t cap[64] = {0};
    while (!st && (rc = kt_stmt_step(q)) == KT_STMT_ROW) {
        long f = field_index(r, kt_stmt_text(q, 0));
        if (f < 0) continue;
        dd_tf *t = &m->f[f].tf;
        if (t->n == cap[f]) {
            cap[f] = cap[f] ? cap[f] * 2 : 64;
            uint64_t *nh = kt_realloc(t->hash, cap[f] * sizeof *nh);
            if (nh) t->hash = nh;
            uint32_t *nc = nh ? kt_realloc(t->count, cap[f] * sizeof *nc) : NULL;
            if (nc) t->count = nc;
            if (!nc) {
                st = kt_error_set(err, KT_NOMEM, "out of memory");
                break;
            }
        }
        t->hash[t->n] = (uint64_t)kt_stmt_int(q, 1);
        t->count[t->n++] = (uint32_t)kt_stmt_int(q, 2);
    }
    if (!st && rc != KT_STMT_DONE) st = kt_store_fail(s, err, "reading value frequencies");
    kt_stmt_reset(q);
    return st;
}

/* m and u of every level of every field; *complete = 0 when some are not stored. */
static kt_status load_levels(kt_store *s, const kt_dedupe_rule *r, dd_model *m, int *complete,
                             kt_error *err)
{
    kt_stmt *q;
    kt_status st = kt_store_prepare(
        s, "SELECT field, level, m, u, filled FROM kt_dupe_model_level WHERE entity = ?1", &q, err);
    if (st) return st;
    kt_stmt_bind_text(q, 1, r->entity);
    size_t seen = 0;
    int rc;
    while ((rc = kt_stmt_step(q)) == KT_STMT_ROW) {
        long f = field_index(r, kt_stmt_text(q, 0));
        int l = kt_stmt_int(q, 1);
        if (f < 0 || l < 0 || l >= DD_LEVELS) continue;
        m->f[f].m[l] = kt_stmt_double(q, 2);
        m->f[f].u[l] = kt_stmt_double(q, 3);
        m->f[f].tf.filled = (size_t)kt_stmt_int(q, 4);
        seen++;
    }
    if (rc != KT_STMT_DONE) st = kt_store_fail(s, err, "reading the duplicate model");
    kt_stmt_reset(q);
    *complete = seen == r->n * DD_LEVELS;
    return st;
}

kt_status dd_model_load(kt_ws *ws, const kt_dedupe_rule *r, dd_model **out, kt_error *err)
{
    *out = NULL;
    if (r->n > 32) return KT_OK; /* em.c's patterns hold 32 fields: never trained */
    kt_store *s = kt_ws_store(ws);
    kt_stmt *q;
    kt_status st =
        kt_store_prepare(s,
                         "SELECT rule, lambda, trained_at, records, pairs, random_pairs, "
                         "iterations, l.same, l.different FROM kt_dupe_model m "
                         "LEFT JOIN kt_dupe_model_labels l USING (entity) WHERE entity = ?1",
                         &q, err);
    if (st) return st;
    kt_stmt_bind_text(q, 1, r->entity);
    char *sig = NULL;
    dd_model *m = NULL;
    int rc = kt_stmt_step(q);
    if (rc == KT_STMT_ROW && !(st = dd_model_signature(r, &sig, err)) &&
        !strcmp(sig, kt_stmt_text(q, 0))) {
        if (!(m = dd_model_new(r->n))) st = kt_error_set(err, KT_NOMEM, "out of memory");
        if (m) {
            m->lambda = kt_stmt_double(q, 1);
            snprintf(m->trained_at, sizeof m->trained_at, "%s", kt_stmt_text(q, 2));
            m->records = kt_stmt_int(q, 3);
            m->pairs = kt_stmt_int(q, 4);
            m->random_pairs = kt_stmt_int(q, 5);
            m->iterations = kt_stmt_int(q, 6);
            m->labels_same = kt_stmt_int(q, 7);
            m->labels_distinct = kt_stmt_int(q, 8);
        }
    } else if (rc != KT_STMT_ROW && rc != KT_STMT_DONE) {
        st = kt_store_fail(s, err, "reading the duplicate model");
    }
    kt_stmt_reset(q);
    kt_free(sig);
    int complete = 0;
    if (m && !st) st = load_levels(s, r, m, &complete, err);
    if (m && !st && complete) st = load_tf(s, r, m, err);
    if (st || !complete) {
        dd_model_free(m);
        return st;
    }
    dd_model_finish(m);
    *out = m;
    return KT_OK;
}

static kt_status clear(kt_store *s, const char *entity, kt_error *err)
{
    static const char *const sql[] = {"DELETE FROM kt_dupe_model WHERE entity = ?1",
                                      "DELETE FROM kt_dupe_model_level WHERE entity = ?1",
                                      "DELETE FROM kt_dupe_tf WHERE entity = ?1",
                                      "DELETE FROM kt_dupe_model_labels WHERE entity = ?1"};
    kt_status st = KT_OK;
    for (size_t i = 0; !st && i < sizeof sql / sizeof *sql; i++) {
        kt_stmt *q;
        if ((st = kt_store_prepare(s, sql[i], &q, err))) break;
        kt_stmt_bind_text(q, 1, entity);
        if (kt_stmt_step(q) != KT_STMT_DONE) st = kt_store_fail(s, err, "replacing the model");
        kt_stmt_reset(q);
    }
    return st;
}

static kt_status put_head(kt_store *s, const kt_dedupe_rule *r, const dd_model *m, kt_error *err)
{
    char *sig = NULL;
    kt_stmt *q;
    kt_status st = dd_model_signature(r, &sig, err);
    if (!st)
        st = kt_store_prepare(s,
                              "INSERT INTO kt_dupe_model(entity, rule, lambda, trained_at, "
                              "records, pairs, random_pairs, iterations) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                              &q, err);
    if (!st) {
        kt_stmt_bind_text(q, 1, r->entity);
        kt_stmt_bind_text(q, 2, sig);
        kt_stmt_bind_double(q, 3, m->lambda);
        kt_stmt_bind_text(q, 4, m->trained_at);
        kt_stmt_bind_int(q, 5, m->records);
        kt_stmt_bind_int(q, 6, m->pairs);
        kt_stmt_bind_int(q, 7, m->random_pairs);
        kt_stmt_bind_int(q, 8, m->iterations);
        if (kt_stmt_step(q) != KT_STMT_DONE) st = kt_store_fail(s, err, "storing the model");
        kt_stmt_reset(q);
    }
    if (!st)
        st = kt_store_run(s,
                          "INSERT INTO kt_dupe_model_labels(entity, same, different) "
                          "VALUES (?1, ?2, ?3)",
                          "storing the model", err, "tii", r->entity, m->labels_same,
                          m->labels_distinct);
    kt_free(sig);
    return st;
}

static kt_status put_fields(kt_store *s, const kt_dedupe_rule *r, const dd_model *m, kt_error *err)
{
    kt_stmt *lq, *tq;
    kt_status st = kt_store_prepare(s,
                                    "INSERT INTO kt_dupe_model_level(entity, field, level, m, u, "
                                    "filled) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                    &lq, err);
    if (!st)
        st = kt_store_prepare(
            s, "INSERT INTO kt_dupe_tf(entity, field, hash, n) VALUES (?1, ?2, ?3, ?4)", &tq, err);
    for (size_t f = 0; !st && f < r->n; f++) {
        const dd_model_field *mf = &m->f[f];
        for (int l = 0; !st && l < DD_LEVELS; l++) {
            kt_stmt_bind_text(lq, 1, r->entity);
            kt_stmt_bind_text(lq, 2, r->fields[f].field);
            kt_stmt_bind_int(lq, 3, l);
            kt_stmt_bind_double(lq, 4, mf->m[l]);
            kt_stmt_bind_double(lq, 5, mf->u[l]);
            kt_stmt_bind_int(lq, 6, (long long)mf->tf.filled);
            if (kt_stmt_step(lq) != KT_STMT_DONE) st = kt_store_fail(s, err, "storing the model");
            kt_stmt_reset(lq);
        }
        for (size_t i = 0; !st && i < mf->tf.n; i++) {
            kt_stmt_bind_text(tq, 1, r->entity);
            kt_stmt_bind_text(tq, 2, r->fields[f].field);
            kt_stmt_bind_int(tq, 3, (long long)mf->tf.hash[i]);
            kt_stmt_bind_int(tq, 4, mf->tf.count[i]);
            if (kt_stmt_step(tq) != KT_STMT_DONE)
                st = kt_store_fail(s, err, "storing value frequencies");
            kt_stmt_reset(tq);
        }
    }
    return st;
}

kt_status dd_model_store(kt_ws *ws, const kt_dedupe_rule *r, const dd_model *m, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_status st = kt_store_begin(s, err);
    if (st) return st;
    if (!(st = clear(s, r->entity, err)) && !(st = put_head(s, r, m, err)))
        st = put_fields(s, r, m, err);
    if (st) {
        kt_store_rollback(s);
        return st;
    }
    return kt_store_commit(s, err);
}
