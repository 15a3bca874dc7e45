/* The record a plugin's rule or report sees: the values with text, sets joined with ",". */
#include <string.h>

#include "kartoteka/alloc.h"
#include "plugin/plugin_internal.h"

void kt_plugin_view_clear(kt_plugin_view *v)
{
    for (size_t i = 0; i < v->njoined; i++)
        kt_free(v->joined[i]);
    kt_free(v->joined);
    kt_free(v->names);
    kt_free(v->values);
    memset(v, 0, sizeof *v);
}

/* A set's items as one text, "dog,cat": what `kt add pets=dog,cat` took. */
static char *joined(const kt_value *val)
{
    size_t len = 1;
    for (size_t i = 0; i < val->nitems; i++)
        len += strlen(val->items[i]) + 1;
    char *s = kt_malloc(len), *p = s;
    if (!s) return NULL;
    for (size_t i = 0; i < val->nitems; i++) {
        if (i) *p++ = ',';
        size_t n = strlen(val->items[i]);
        memcpy(p, val->items[i], n);
        p += n;
    }
    *p = '\0';
    return s;
}

kt_status kt_plugin_view_make(const kt_record *rec, kt_plugin_view *v, kt_error *err)
{
    memset(v, 0, sizeof *v);
    size_t n = rec->n ? rec->n : 1;
    v->names = kt_calloc(n, sizeof *v->names);
    v->values = kt_calloc(n, sizeof *v->values);
    v->joined = kt_calloc(n, sizeof *v->joined);
    if (!v->names || !v->values || !v->joined) goto nomem;
    for (size_t i = 0; i < rec->n; i++) {
        const kt_value *val = &rec->values[i];
        if (kt_value_empty(val)) continue;
        const char *text = val->text;
        if (val->is_set) {
            if (!(v->joined[v->njoined] = joined(val))) goto nomem;
            text = v->joined[v->njoined++];
        }
        v->names[v->view.count] = rec->names[i];
        v->values[v->view.count++] = text;
    }
    v->view.entity = rec->entity;
    v->view.id = rec->id;
    v->view.names = v->names;
    v->view.values = v->values;
    return KT_OK;
nomem:
    kt_plugin_view_clear(v);
    return kt_error_set(err, KT_NOMEM, "out of memory");
}
