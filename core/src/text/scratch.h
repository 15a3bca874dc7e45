/* A growing byte buffer that starts in its own inline storage, so that folding a name and
 * scoring a pair of values need no heap at all in the common case. Private to the core.
 * Never copy a kt_scratch: data may point into the struct itself. */
#ifndef KT_TEXT_SCRATCH_H
#define KT_TEXT_SCRATCH_H

#include <stddef.h>

#include "kartoteka/error.h"

#define KT_SCRATCH_INLINE 512

typedef struct kt_scratch {
    char *data; /* inl or a heap block; always NUL-terminated */
    size_t len;
    size_t cap;
    char inl[KT_SCRATCH_INLINE];
} kt_scratch;

static inline void kt_scratch_init(kt_scratch *s)
{
    s->data = s->inl;
    s->len = 0;
    s->cap = sizeof s->inl;
    s->inl[0] = '\0';
}

/* Makes room for extra more bytes plus the NUL. KT_NOMEM or KT_LIMIT (beyond
 * KT_BUF_DEFAULT_MAX) on failure, with s unchanged. */
kt_status kt_scratch_reserve(kt_scratch *s, size_t extra, kt_error *err);
/* Releases any heap block; s is empty and usable again. */
void kt_scratch_free(kt_scratch *s);
/* A heap copy of the contents for the caller (kt_free), or NULL when out of memory. */
char *kt_scratch_dup(const kt_scratch *s);

#endif
