/* Rebuilding an entity's INSERT text with printf for every saved record was an eighth of an
 * import's time; it changes only when the entity gains a field. */
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "kartoteka/store.h"
#include "record/insert_sql.h"

#define TAG "record.insert_sql"

typedef struct entry {
    char *entity;
    size_t nfields; /* the text is rebuilt when the entity gains a field */
    char *sql;
} entry;

typedef struct cache {
    entry *items;
    size_t n;
} cache;

static void cache_free(void *p)
{
    cache *c = p;
    for (size_t i = 0; i < c->n; i++) {
        kt_free(c->items[i].entity);
        kt_free(c->items[i].sql);
    }
    kt_free(c->items);
    kt_free(c);
}

static kt_status build(const kt_entity *e, char **out, kt_error *err)
{
    kt_buf sql = KT_BUF_INIT;
    char q[80];
    kt_sql_ident(e->name, q, sizeof q);
    kt_status rc = kt_buf_printf(&sql, err, "INSERT INTO %s(id", q);
    for (size_t i = 0; !rc && i < e->nfields; i++) {
        kt_sql_ident(e->fields[i].name, q, sizeof q);
        rc = kt_buf_printf(&sql, err, ", %s", q);
    }
    if (!rc) rc = kt_buf_puts(&sql, ") VALUES (?1", err);
    for (size_t i = 0; !rc && i < e->nfields; i++)
        rc = kt_buf_printf(&sql, err, ", ?%zu", i + 2);
    if (!rc) rc = kt_buf_puts(&sql, ")", err);
    if (rc) {
        kt_buf_free(&sql);
        return rc;
    }
    *out = kt_buf_take(&sql);
    return KT_OK;
}

kt_status kt_insert_sql(kt_ws *ws, const kt_entity *e, const char **sql, kt_error *err)
{
    void *att;
    kt_status st = kt_ws_attachment_make(ws, TAG, sizeof(cache), cache_free, &att, err);
    if (st) return st;
    cache *c = att;
    entry *hit = NULL;
    for (size_t i = 0; i < c->n && !hit; i++)
        if (strcmp(c->items[i].entity, e->name) == 0) hit = &c->items[i];
    if (hit && hit->nfields == e->nfields) {
        *sql = hit->sql;
        return KT_OK;
    }
    char *text = NULL;
    if ((st = build(e, &text, err))) return st;
    if (!hit) {
        char *name = kt_strdup(e->name);
        entry *grown = name ? kt_realloc(c->items, (c->n + 1) * sizeof *grown) : NULL;
        if (!grown) {
            kt_free(name);
            kt_free(text);
            return kt_error_set(err, KT_NOMEM, "out of memory");
        }
        c->items = grown;
        hit = &c->items[c->n++];
        *hit = (entry){name, 0, NULL};
    }
    kt_free(hit->sql);
    hit->sql = text;
    hit->nfields = e->nfields;
    *sql = text;
    return KT_OK;
}
