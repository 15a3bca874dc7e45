/* kt dupes model: the trained parameters of a rule as the CLI shows them. */
#include <stdio.h>
#include <string.h>

#include "dedupe/model.h"
#include "kartoteka/alloc.h"

kt_status kt_dupes_model_info(const kt_dedupe_rule *r, kt_dupe_model_info *out, kt_error *err)
{
    memset(out, 0, sizeof *out);
    const dd_model *m = r->model;
    if (!m) return KT_OK;
    out->fields = kt_calloc(r->n + 1, sizeof *out->fields);
    if (!out->fields) return kt_error_set(err, KT_NOMEM, "out of memory");
    out->trained = 1;
    out->lambda = m->lambda;
    snprintf(out->trained_at, sizeof out->trained_at, "%s", m->trained_at);
    out->records = m->records;
    out->pairs = m->pairs;
    out->random_pairs = m->random_pairs;
    out->iterations = m->iterations;
    out->labels_same = m->labels_same;
    out->labels_distinct = m->labels_distinct;
    out->n = r->n;
    for (size_t f = 0; f < r->n; f++) {
        kt_dupe_field_info *i = &out->fields[f];
        i->field = r->fields[f].field;
        i->method = r->fields[f].method;
        i->filled = m->f[f].tf.filled;
        i->common = m->f[f].tf.n;
        for (int l = 0; l < DD_LEVELS; l++)
            i->level[l] = (kt_dupe_level_info){m->f[f].m[l], m->f[f].u[l], m->f[f].bits[l]};
    }
    return KT_OK;
}

void kt_dupes_model_info_clear(kt_dupe_model_info *info)
{
    kt_free(info->fields);
    memset(info, 0, sizeof *info);
}
