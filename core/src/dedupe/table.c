/* The prepared values of many records in one arena: kt dupes holds a million people in memory,
 * so values are packed instead of allocated one by one. */
#include <string.h>

#include "dedupe/dd_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/match.h"
#include "kartoteka/store.h"
#include "record/record_table.h"

#define CHUNK ((size_t)4 << 20)

void dd_table_init(dd_table *t, const kt_dedupe_rule *rule)
{
    memset(t, 0, sizeof *t);
    t->rule = rule;
}

void dd_table_free(dd_table *t)
{
    for (size_t i = 0; i < t->nchunks; i++)
        kt_free(t->chunks[i]);
    kt_free(t->chunks);
    kt_free(t->ids);
    kt_free(t->vals);
    memset(t, 0, sizeof *t);
}

static const char *keep(dd_table *t, const char *s)
{
    size_t len = strlen(s) + 1;
    if (len > CHUNK) return NULL;
    if (!t->nchunks || t->used + len > CHUNK) {
        char **nc = kt_realloc(t->chunks, (t->nchunks + 1) * sizeof *nc);
        if (!nc) return NULL;
        t->chunks = nc;
        if (!(nc[t->nchunks] = kt_malloc(CHUNK))) return NULL;
        t->nchunks++;
        t->used = 0;
    }
    char *p = t->chunks[t->nchunks - 1] + t->used;
    memcpy(p, s, len);
    t->used += len;
    return p;
}

kt_status dd_table_add(dd_table *t, kt_id id, const char *const *raw, kt_error *err)
{
    size_t nf = t->rule->n;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1024;
        kt_id *ni = kt_realloc(t->ids, cap * sizeof *ni);
        if (!ni) return kt_error_set(err, KT_NOMEM, "out of memory");
        t->ids = ni;
        const char **nv = kt_realloc(t->vals, cap * nf * sizeof *nv);
        if (!nv) return kt_error_set(err, KT_NOMEM, "out of memory");
        t->vals = nv;
        t->cap = cap;
    }
    const char **row = t->vals + t->n * nf;
    for (size_t f = 0; f < nf; f++) {
        row[f] = NULL;
        if (!raw[f] || !*raw[f]) continue;
        char *p = NULL;
        kt_status st = kt_match_prepare(t->rule->fields[f].method, raw[f], &p, err);
        if (st) return st;
        if (p && !(row[f] = keep(t, p))) {
            kt_free(p);
            return kt_error_set(err, KT_NOMEM, "out of memory");
        }
        kt_free(p);
    }
    t->ids[t->n++] = id;
    return KT_OK;
}

size_t dd_table_bytes(const dd_table *t)
{
    return t->nchunks * CHUNK + t->cap * (t->rule->n * sizeof *t->vals + sizeof *t->ids);
}

const char *const *dd_table_row(const dd_table *t, size_t i)
{
    return t->vals + i * t->rule->n;
}

long dd_table_find(const dd_table *t, kt_id id)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < t->n && t->ids[lo] == id ? (long)lo : -1;
}

kt_status dd_rows_sql(const kt_dedupe_rule *r, kt_record_rows_kind kind, char **sql, kt_error *err)
{
    const char **names = kt_malloc((r->n + 1) * sizeof *names);
    if (!names) return kt_error_set(err, KT_NOMEM, "out of memory");
    for (size_t f = 0; f < r->n; f++)
        names[f] = r->fields[f].field;
    kt_status st = kt_record_rows_sql(r->entity, names, r->n, kind, sql, err);
    kt_free(names);
    return st;
}
