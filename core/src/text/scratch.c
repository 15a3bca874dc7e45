#include "text/scratch.h"

#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"

kt_status kt_scratch_reserve(kt_scratch *s, size_t extra, kt_error *err)
{
    if (extra > KT_BUF_DEFAULT_MAX || s->len > KT_BUF_DEFAULT_MAX - extra)
        return kt_error_set(err, KT_LIMIT, "text longer than the limit of %zu bytes",
                            (size_t)KT_BUF_DEFAULT_MAX);
    size_t need = s->len + extra + 1;
    if (need <= s->cap) return KT_OK;
    size_t cap = s->cap * 2;
    while (cap < need)
        cap *= 2;
    char *d = kt_malloc(cap);
    if (!d) return kt_error_set(err, KT_NOMEM, "out of memory growing text to %zu bytes", cap);
    memcpy(d, s->data, s->len + 1);
    if (s->data != s->inl) kt_free(s->data);
    s->data = d;
    s->cap = cap;
    return KT_OK;
}

void kt_scratch_free(kt_scratch *s)
{
    if (s->data != s->inl) kt_free(s->data);
    kt_scratch_init(s);
}

char *kt_scratch_dup(const kt_scratch *s)
{
    return kt_strndup(s->data, s->len);
}
