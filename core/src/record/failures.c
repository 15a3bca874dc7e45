#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/save.h"

void kt_failures_init(kt_failures *f)
{
    memset(f, 0, sizeof *f);
}

void kt_failures_clear(kt_failures *f)
{
    for (size_t i = 0; i < f->n; i++) {
        kt_free(f->items[i].field);
        kt_free(f->items[i].value);
        kt_free(f->items[i].rule);
        kt_free(f->items[i].message);
    }
    f->n = 0;
}

void kt_failures_free(kt_failures *f)
{
    kt_failures_clear(f);
    kt_free(f->items);
    memset(f, 0, sizeof *f);
}

kt_status kt_failures_add(kt_failures *f, kt_severity sev, const char *field, const char *value,
                          const char *rule, const char *message)
{
    if (!f) return KT_OK;
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 8;
        kt_failure *items = kt_realloc(f->items, cap * sizeof *items);
        if (!items) return KT_NOMEM;
        f->items = items;
        f->cap = cap;
    }
    kt_failure *x = &f->items[f->n];
    memset(x, 0, sizeof *x);
    x->severity = sev;
    if ((field && !(x->field = kt_strdup(field))) || (value && !(x->value = kt_strdup(value))) ||
        (rule && !(x->rule = kt_strdup(rule))) ||
        !(x->message = kt_strdup(message ? message : "invalid"))) {
        kt_free(x->field);
        kt_free(x->value);
        kt_free(x->rule);
        return KT_NOMEM;
    }
    f->n++;
    return KT_OK;
}

size_t kt_failures_errors(const kt_failures *f)
{
    size_t n = 0;
    for (size_t i = 0; f && i < f->n; i++) n += f->items[i].severity == KT_SEVERITY_ERROR;
    return n;
}
