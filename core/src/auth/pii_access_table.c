/* kt_pii_access: who was shown which personal data through the server. Owns that table's SQL.
 * A request notes each pii value it serves in clear (cheap: an append to memory); its end
 * writes one row per record, all in one transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/auth.h"
#include "kartoteka/buf.h"
#include "kartoteka/registry.h"
#include "kartoteka/store.h"

#define LOG_TAG "auth.pii_access"
#define ROUTE_MAX 256
#define COMPACT_AT 4096 /* notes kept before duplicates are folded away */

typedef struct seen {
    kt_id record;
    unsigned entity, field; /* indexes into names */
} seen;

typedef struct pii_log {
    int on, failed;
    char route[ROUTE_MAX];
    char **names; /* entity and field names met in this request, each once */
    size_t nnames;
    seen *v;
    size_t n, cap;
} pii_log;

static void log_free(void *p)
{
    pii_log *l = p;
    if (!l) return;
    for (size_t i = 0; i < l->nnames; i++)
        kt_free(l->names[i]);
    kt_free(l->names);
    kt_free(l->v);
    kt_free(l);
}

static void log_reset(pii_log *l)
{
    for (size_t i = 0; i < l->nnames; i++)
        kt_free(l->names[i]);
    l->nnames = 0;
    l->n = 0;
    l->on = l->failed = 0;
}

kt_status kt_pii_access_begin(kt_ws *ws, const char *route, kt_error *err)
{
    void *p;
    kt_status st = kt_ws_attachment_make(ws, LOG_TAG, sizeof(pii_log), log_free, &p, err);
    if (st) return st;
    pii_log *l = p;
    log_reset(l);
    snprintf(l->route, sizeof l->route, "%s", route ? route : "");
    l->on = 1;
    return KT_OK;
}

int kt_pii_access_on(const kt_ws *ws)
{
    const pii_log *l = kt_ws_attachment(ws, LOG_TAG);
    return l && l->on;
}

static int name_index(pii_log *l, const char *name, unsigned *out)
{
    for (size_t i = l->nnames; i-- > 0;) {
        if (!strcmp(l->names[i], name)) {
            *out = (unsigned)i;
            return 1;
        }
    }
    char **v = kt_realloc(l->names, (l->nnames + 1) * sizeof *v);
    if (!v) return 0;
    l->names = v;
    if (!(v[l->nnames] = kt_strdup(name))) return 0;
    *out = (unsigned)l->nnames++;
    return 1;
}

static int by_record(const void *a, const void *b)
{
    const seen *x = a, *y = b;
    if (x->record != y->record) return x->record < y->record ? -1 : 1;
    return x->field < y->field ? -1 : x->field > y->field;
}

/* Sorts the notes and keeps each (record, field) once. */
static void compact(pii_log *l)
{
    if (!l->n) return;
    qsort(l->v, l->n, sizeof *l->v, by_record);
    size_t k = 1;
    for (size_t i = 1; i < l->n; i++)
        if (l->v[i].record != l->v[k - 1].record || l->v[i].field != l->v[k - 1].field)
            l->v[k++] = l->v[i];
    l->n = k;
}

void kt_pii_access_note(kt_ws *ws, const char *entity, kt_id record, const char *field)
{
    pii_log *l = kt_ws_attachment(ws, LOG_TAG);
    if (!l || !l->on || !entity || !field || record <= 0 || !kt_auth_sees_pii(ws)) return;
    const kt_field *f = kt_registry_field(kt_ws_registry(ws), entity, field);
    if (!f || !f->pii) return;
    seen s = {record, 0, 0};
    if (!name_index(l, entity, &s.entity) || !name_index(l, field, &s.field)) {
        l->failed = 1;
        return;
    }
    if (l->n && !memcmp(&l->v[l->n - 1], &s, sizeof s)) return; /* a list repeats the last */
    if (l->n == l->cap && l->cap >= COMPACT_AT) compact(l);
    if (l->n == l->cap || l->n > l->cap / 2) { /* grow while compacting frees too little */
        size_t cap = l->cap ? l->cap * 2 : 64;
        seen *v = kt_realloc(l->v, cap * sizeof *v);
        if (v) {
            l->v = v;
            l->cap = cap;
        } else if (l->n == l->cap) {
            l->failed = 1;
            return;
        }
    }
    l->v[l->n++] = s;
}

static kt_status write_row(kt_ws *ws, const char *at, const pii_log *l, const seen *s,
                           const char *fields, kt_error *err)
{
    const kt_actor *a = kt_auth_actor(ws);
    return kt_store_run(kt_ws_store(ws),
                        "INSERT INTO kt_pii_access(at, who, role, record, entity, fields, route) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        "writing the access log", err, "tttittt", at,
                        a->source[0] ? a->source : a->name, kt_role_name(a->role),
                        (long long)s->record, l->names[s->entity], fields, l->route);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* One row per record: its fields, sorted by name, joined by commas. */
static kt_status write_rows(kt_ws *ws, pii_log *l, kt_error *err)
{
    kt_status rc = KT_OK;
    char at[32];
    kt_store_now(at);
    kt_buf fields = KT_BUF_INIT;
    const char **names = kt_calloc(l->nnames + 1, sizeof *names);
    if (!names) rc = kt_error_set(err, KT_NOMEM, "out of memory");
    for (size_t i = 0; !rc && i < l->n;) {
        size_t j = i;
        size_t nn = 0;
        for (; j < l->n && l->v[j].record == l->v[i].record; j++)
            names[nn++] = l->names[l->v[j].field]; /* compact left each field once */
        qsort(names, nn, sizeof *names, by_name);
        kt_buf_reset(&fields);
        for (size_t k = 0; !rc && k < nn; k++)
            rc = kt_buf_printf(&fields, err, "%s%s", k ? "," : "", names[k]);
        if (!rc) rc = write_row(ws, at, l, &l->v[i], kt_buf_str(&fields), err);
        i = j;
    }
    kt_buf_free(&fields);
    kt_free(names);
    return rc;
}

kt_status kt_pii_access_end(kt_ws *ws, kt_error *err)
{
    pii_log *l = kt_ws_attachment(ws, LOG_TAG);
    if (!l || !l->on) return KT_OK;
    l->on = 0;
    kt_status rc = KT_OK;
    compact(l);
    if (l->n) {
        kt_store *s = kt_ws_store(ws);
        rc = kt_store_begin(s, err);
        if (!rc && (rc = write_rows(ws, l, err)))
            kt_store_rollback(s);
        else if (!rc)
            rc = kt_store_commit(s, err);
    }
    if (!rc && l->failed)
        rc = kt_error_set(err, KT_NOMEM, "out of memory: the access log missed some reads");
    log_reset(l);
    return rc;
}

kt_status kt_pii_access_each(kt_ws *ws, kt_id record, kt_pii_access_cb cb, void *ud, kt_error *err)
{
    kt_status rc = kt_auth_allow(ws, KT_ACT_READ, NULL, err);
    if (rc) return rc;
    kt_store *s = kt_ws_store(ws);
    kt_stmt *st;
    /* one record's rows through the index on record; all of them in order */
    const char *sql = record ? "SELECT id, at, who, role, record, entity, fields, route FROM "
                               "kt_pii_access WHERE record = ?1 ORDER BY id"
                             : "SELECT id, at, who, role, record, entity, fields, route FROM "
                               "kt_pii_access ORDER BY id";
    if ((rc = kt_store_prepare(s, sql, &st, err))) return rc;
    if (record) kt_stmt_bind_int(st, 1, record);
    int step;
    while ((step = kt_stmt_step(st)) == KT_STMT_ROW) {
        kt_pii_access_info a = {kt_stmt_int(st, 0),  kt_stmt_text(st, 1), kt_stmt_text(st, 2),
                                kt_stmt_text(st, 3), kt_stmt_int(st, 4),  kt_stmt_text(st, 5),
                                kt_stmt_text(st, 6), kt_stmt_text(st, 7)};
        if (cb(ud, &a)) break;
    }
    if (step != KT_STMT_ROW && step != KT_STMT_DONE)
        rc = kt_store_fail(s, err, "reading the access log");
    kt_stmt_reset(st);
    return rc;
}
