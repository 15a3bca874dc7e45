/* A plugin's import map becomes an import map object like a mapping script's: registered in
 * kt_ext, opened for each import, the plugin's map called per row with a ctx whose calls make
 * the row's records. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/import_map.h"
#include "plugin/plugin_internal.h"

typedef struct plugin_map {
    kt_import_map base; /* first: the import holds a pointer to it */
    const kt_plugin_import_map *def;
    char *entity;
    kt_import_out *rows; /* the current row's records */
    size_t n, cap;
    int nomem; /* a ctx call of this row ran out of memory */
} plugin_map;

static void drop_rows(plugin_map *m)
{
    for (size_t i = 0; i < m->n; i++)
        kt_import_out_clear(&m->rows[i]);
    m->n = 0;
}

static int ctx_record(void *handle, const char *entity)
{
    plugin_map *m = handle;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 4;
        kt_import_out *p = kt_realloc(m->rows, cap * sizeof *p);
        if (!p) return m->nomem = 1, KT_PLUGIN_FAIL;
        m->rows = p;
        m->cap = cap;
    }
    kt_import_out *o = &m->rows[m->n];
    memset(o, 0, sizeof *o);
    o->on_match = KT_ON_MATCH_SCRIPT;
    o->nth = 1;
    if (!(o->rec = kt_record_new(entity ? entity : m->entity))) return m->nomem = 1, KT_PLUGIN_FAIL;
    m->n++;
    return KT_PLUGIN_OK;
}

static int ctx_set(void *handle, const char *field, const char *value)
{
    plugin_map *m = handle;
    kt_error err;
    if (!m->n || !field) return KT_PLUGIN_FAIL;
    if (!value || !value[0]) return KT_PLUGIN_OK; /* an empty cell says nothing */
    if (kt_record_set(m->rows[m->n - 1].rec, field, value, &err))
        return m->nomem = 1, KT_PLUGIN_FAIL;
    return KT_PLUGIN_OK;
}

static kt_status map_row(kt_import_map *base, const kt_read_row *row, size_t *count,
                         kt_failures *fails, int *refused, kt_error *err)
{
    (void)fails;
    plugin_map *m = (plugin_map *)base;
    *refused = 0;
    *count = 0;
    drop_rows(m);
    m->nomem = 0;
    kt_plugin_row pr = {row->count, row->keys, row->values, row->line};
    kt_plugin_import_ctx ctx = {m, ctx_record, ctx_set};
    char msg[512] = "";
    int rc = m->def->map(m->def->ud, &pr, &ctx, msg, sizeof msg);
    msg[sizeof msg - 1] = '\0';
    if (m->nomem || rc != KT_PLUGIN_OK) {
        drop_rows(m);
        if (m->nomem) return kt_error_set(err, KT_NOMEM, "out of memory");
        return kt_error_set(err, KT_SCRIPT, "map %s, line %ld: %s", m->def->name, row->line,
                            msg[0] ? msg : "the plugin's map failed and gave no reason");
    }
    *count = m->n;
    return KT_OK;
}

static kt_status record(kt_import_map *base, size_t i, const kt_import_refs *refs, kt_import_out *o,
                        kt_failures *fails, int *ok, kt_error *err)
{
    (void)refs, (void)fails, (void)ok, (void)err; /* its records never refer to each other */
    plugin_map *m = (plugin_map *)base;
    *o = m->rows[i];
    memset(&m->rows[i], 0, sizeof m->rows[i]);
    return KT_OK;
}

static void row_done(kt_import_map *base)
{
    drop_rows((plugin_map *)base);
}

static void free_map(kt_import_map *base)
{
    plugin_map *m = (plugin_map *)base;
    drop_rows(m);
    kt_free(m->rows);
    kt_free(m->entity);
    kt_import_keys_free(&m->base.keys);
    kt_free(m);
}

/* "external_id, email" -> two keys of one field each. */
static kt_status parse_match(const char *spec, kt_import_keys *keys, kt_error *err)
{
    kt_status st = KT_OK;
    for (const char *p = spec ? spec : "external_id"; *p && !st;) {
        size_t n = strcspn(p, ",");
        char field[128];
        const char *f = p;
        size_t len = n;
        while (len && *f == ' ')
            f++, len--;
        while (len && f[len - 1] == ' ')
            len--;
        if (len >= sizeof field)
            return kt_error_set(err, KT_USAGE, "match: a field name is too long");
        memcpy(field, f, len);
        field[len] = '\0';
        if (len) st = kt_import_keys_add(keys, field, 1, err);
        p += n + (p[n] == ',');
    }
    return st;
}

static kt_status open_map(void *ud, kt_ws *ws, const kt_import_map_env *env, kt_import_map **out,
                          kt_error *err)
{
    (void)ws;
    const kt_plugin_import_map *def = ud;
    *out = NULL;
    plugin_map *m = kt_calloc(1, sizeof *m);
    if (!m) return kt_error_set(err, KT_NOMEM, "out of memory");
    m->def = def;
    m->base = (kt_import_map){.name = def->name,
                              .on_match = KT_ON_MATCH_UPDATE,
                              .map = map_row,
                              .record = record,
                              .row_done = row_done,
                              .free = free_map};
    const char *entity = def->entity ? def->entity : env->entity ? env->entity : "person";
    kt_status st =
        (m->entity = kt_strdup(entity)) ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
    if (!st) st = parse_match(def->match, &m->base.keys, err);
    if (st) {
        free_map(&m->base);
        return st;
    }
    m->base.entity = m->entity;
    *out = &m->base;
    return KT_OK;
}

kt_status kt_plugin_import_map_add(kt_ext *ext, const kt_plugin_import_map *m, const char *origin,
                                   kt_error *err)
{
    kt_ext_import_map *x = kt_calloc(1, sizeof *x);
    if (!x) return kt_error_set(err, KT_NOMEM, "out of memory");
    *x = (kt_ext_import_map){m->name, open_map, (void *)m};
    return kt_ext_add_owned(ext, KT_EXT_IMPORT_MAP, x, origin, kt_free, err);
}
