/* Form bodies: application/x-www-form-urlencoded and multipart/form-data (an uploaded file),
 * read from the body the request gathered (within --max-body) by MHD's post processor. */
#include <string.h>

#include "kartoteka/alloc.h"
#include "web.h"

static char *dup_text(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = kt_malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

static enum MHD_Result on_value(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *filename, const char *content_type,
                                const char *transfer_encoding, const char *data, uint64_t off,
                                size_t size)
{
    (void)kind;
    (void)content_type;
    (void)transfer_encoding;
    web_form *f = cls;
    if (off == 0 || !f->n || strcmp(f->items[f->n - 1].name, key) != 0) {
        if (f->n == f->cap) {
            size_t cap = f->cap ? f->cap * 2 : 16;
            web_value *items = kt_realloc(f->items, cap * sizeof *items);
            if (!items) return MHD_NO;
            f->items = items;
            f->cap = cap;
        }
        web_value *v = &f->items[f->n];
        memset(v, 0, sizeof *v);
        if (!(v->name = dup_text(key))) return MHD_NO;
        f->n++;
        if (filename && !(v->filename = dup_text(filename))) return MHD_NO;
        if (kt_buf_puts(&v->value, "", NULL)) return MHD_NO;
    }
    web_value *v = &f->items[f->n - 1];
    return size && kt_buf_append(&v->value, data, size, NULL) ? MHD_NO : MHD_YES;
}

kt_status web_form_parse(web_req *w, kt_error *err)
{
    if (!w->r->body.len) return KT_OK;
    struct MHD_PostProcessor *pp =
        MHD_create_post_processor(w->r->conn, 16 * 1024, on_value, &w->form);
    if (!pp) return kt_error_set(err, KT_USAGE, "a form is urlencoded or multipart");
    enum MHD_Result ok = MHD_post_process(pp, w->r->body.data, w->r->body.len);
    MHD_destroy_post_processor(pp);
    return ok == MHD_YES ? KT_OK : kt_error_set(err, KT_USAGE, "the form could not be read");
}

void web_form_free(web_form *f)
{
    for (size_t i = 0; i < f->n; i++) {
        kt_free(f->items[i].name);
        kt_free(f->items[i].filename);
        kt_buf_free(&f->items[i].value);
    }
    kt_free(f->items);
    memset(f, 0, sizeof *f);
}

const web_value *web_form_value(const web_form *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (!strcmp(f->items[i].name, name)) return &f->items[i];
    return NULL;
}

const char *web_form_get(const web_form *f, const char *name)
{
    const web_value *v = web_form_value(f, name);
    return v ? kt_buf_str(&v->value) : NULL;
}

size_t web_form_all(const web_form *f, const char *name, const char **out, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < f->n && k < max; i++)
        if (!strcmp(f->items[i].name, name)) out[k++] = kt_buf_str(&f->items[i].value);
    return k;
}
