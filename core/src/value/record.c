#include <cjson/cJSON.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/record.h"

kt_record *kt_record_new(const char *entity)
{
    kt_record *r = kt_calloc(1, sizeof *r);
    if (!r) return NULL;
    r->entity = kt_strdup(entity);
    if (!r->entity) {
        kt_free(r);
        return NULL;
    }
    strcpy(r->state, "active");
    return r;
}

void kt_value_clear(kt_value *v)
{
    kt_free(v->text);
    for (size_t i = 0; i < v->nitems; i++)
        kt_free(v->items[i]);
    kt_free(v->items);
    memset(v, 0, sizeof *v);
}

void kt_record_free(kt_record *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n; i++) {
        kt_free(r->names[i]);
        kt_value_clear(&r->values[i]);
    }
    kt_free(r->names);
    kt_free(r->values);
    kt_free(r->entity);
    kt_free(r->created_at);
    kt_free(r->updated_at);
    kt_free(r);
}

/* Called for every field of every saved record: the first byte rules out most names without a
 * call to strcmp. */
static long find(const kt_record *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->names[i][0] == name[0] && strcmp(r->names[i], name) == 0) return (long)i;
    return -1;
}

/* The slot for name, cleared and ready to fill. */
static kt_value *slot(kt_record *r, const char *name, kt_error *err)
{
    long i = find(r, name);
    if (i >= 0) {
        kt_value_clear(&r->values[i]);
        return &r->values[i];
    }
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        char **nn = kt_realloc(r->names, cap * sizeof *nn);
        if (!nn) goto nomem;
        r->names = nn;
        kt_value *nv = kt_realloc(r->values, cap * sizeof *nv);
        if (!nv) goto nomem;
        r->values = nv;
        r->cap = cap;
    }
    r->names[r->n] = kt_strdup(name);
    if (!r->names[r->n]) goto nomem;
    memset(&r->values[r->n], 0, sizeof(kt_value));
    return &r->values[r->n++];
nomem:
    kt_error_set(err, KT_NOMEM, "out of memory");
    return NULL;
}

kt_status kt_record_set(kt_record *r, const char *name, const char *text, kt_error *err)
{
    char *copy = NULL;
    if (text && !(copy = kt_strdup(text))) return kt_error_set(err, KT_NOMEM, "out of memory");
    kt_value *v = slot(r, name, err);
    if (!v) {
        kt_free(copy);
        return KT_NOMEM;
    }
    v->text = copy;
    return KT_OK;
}

kt_status kt_record_set_list(kt_record *r, const char *name, const char *const *items, size_t n,
                             kt_error *err)
{
    kt_value tmp = {NULL, NULL, 0, 1};
    if (n) {
        tmp.items = kt_calloc(n, sizeof(char *));
        if (!tmp.items) return kt_error_set(err, KT_NOMEM, "out of memory");
        for (size_t i = 0; i < n; i++, tmp.nitems++)
            if (!(tmp.items[i] = kt_strdup(items[i]))) {
                kt_value_clear(&tmp);
                return kt_error_set(err, KT_NOMEM, "out of memory");
            }
    }
    kt_value *v = slot(r, name, err);
    if (!v) {
        kt_value_clear(&tmp);
        return KT_NOMEM;
    }
    *v = tmp;
    return KT_OK;
}

kt_status kt_record_set_csv(kt_record *r, const char *name, const char *text, kt_error *err)
{
    if (!text || !*text) return kt_record_set_list(r, name, NULL, 0, err);
    char *copy = kt_strdup(text);
    size_t cap = 1;
    for (const char *p = text; *p; p++)
        cap += *p == ',';
    const char **items = kt_calloc(cap, sizeof *items);
    if (!copy || !items) {
        kt_free(copy);
        kt_free(items);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    size_t n = 0;
    for (char *tok = copy, *next; tok; tok = next) {
        next = strchr(tok, ',');
        if (next) *next++ = '\0';
        while (*tok == ' ' || *tok == '\t')
            tok++;
        size_t len = strlen(tok);
        while (len && (tok[len - 1] == ' ' || tok[len - 1] == '\t'))
            tok[--len] = '\0';
        if (*tok) items[n++] = tok;
    }
    kt_status st = kt_record_set_list(r, name, items, n, err);
    kt_free(items);
    kt_free(copy);
    return st;
}

kt_status kt_record_set_from_text(kt_record *r, const char *name, int is_set, const char *text,
                                  kt_error *err)
{
    if (!is_set || !text) return kt_record_set(r, name, text, err);
    cJSON *a = cJSON_Parse(text);
    /* canonical text always parses: a failure is cJSON out of memory, not an empty set */
    if (!a && *text) return kt_error_set(err, KT_NOMEM, "out of memory");
    size_t n = 0, cap = cJSON_IsArray(a) ? (size_t)cJSON_GetArraySize(a) : 0;
    const char **items = kt_calloc(cap + 1, sizeof *items);
    if (!items) {
        cJSON_Delete(a);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, a) if (cJSON_IsString(it)) items[n++] = it->valuestring;
    kt_status st = kt_record_set_list(r, name, items, n, err);
    kt_free(items);
    cJSON_Delete(a);
    return st;
}

void kt_record_unset(kt_record *r, const char *name)
{
    long i = find(r, name);
    if (i < 0) return;
    kt_free(r->names[i]);
    kt_value_clear(&r->values[i]);
    memmove(&r->names[i], &r->names[i + 1], (r->n - (size_t)i - 1) * sizeof *r->names);
    memmove(&r->values[i], &r->values[i + 1], (r->n - (size_t)i - 1) * sizeof *r->values);
    r->n--;
}

const kt_value *kt_record_get(const kt_record *r, const char *name)
{
    long i = find(r, name);
    return i < 0 ? NULL : &r->values[i];
}

const char *kt_record_text(const kt_record *r, const char *name)
{
    const kt_value *v = kt_record_get(r, name);
    return v && !v->is_set && v->text && *v->text ? v->text : NULL;
}

int kt_value_empty(const kt_value *v)
{
    if (!v) return 1;
    if (v->is_set) return v->nitems == 0;
    return !v->text || !*v->text;
}

kt_status kt_value_copy(kt_value *dst, const kt_value *src, kt_error *err)
{
    memset(dst, 0, sizeof *dst);
    dst->is_set = src->is_set;
    if (src->text && !(dst->text = kt_strdup(src->text))) goto nomem;
    if (src->nitems) {
        if (!(dst->items = kt_calloc(src->nitems, sizeof(char *)))) goto nomem;
        for (; dst->nitems < src->nitems; dst->nitems++)
            if (!(dst->items[dst->nitems] = kt_strdup(src->items[dst->nitems]))) goto nomem;
    }
    return KT_OK;
nomem:
    kt_value_clear(dst);
    return kt_error_set(err, KT_NOMEM, "out of memory");
}

char *kt_value_to_text(const kt_value *v)
{
    if (kt_value_empty(v)) return NULL;
    if (!v->is_set) return kt_strdup(v->text);
    cJSON *a = cJSON_CreateArray();
    int ok = a != NULL;
    for (size_t i = 0; ok && i < v->nitems; i++) {
        /* an item cJSON could not allocate must not vanish from the set: NULL is no memory */
        cJSON *item = cJSON_CreateString(v->items[i]);
        ok = item && cJSON_AddItemToArray(a, item);
        if (!ok) cJSON_Delete(item);
    }
    char *s = ok ? cJSON_PrintUnformatted(a) : NULL;
    cJSON_Delete(a);
    char *out = s ? kt_strdup(s) : NULL;
    cJSON_free(s);
    return out;
}

int kt_value_equal(const kt_value *a, const kt_value *b)
{
    int ea = kt_value_empty(a), eb = kt_value_empty(b);
    if (ea || eb) return ea && eb;
    if (a->is_set != b->is_set) return 0;
    if (!a->is_set) return strcmp(a->text, b->text) == 0;
    if (a->nitems != b->nitems) return 0;
    for (size_t i = 0; i < a->nitems; i++)
        if (strcmp(a->items[i], b->items[i]) != 0) return 0;
    return 1;
}
