#include "match/internal.h"

#include "kartoteka/alloc.h"
#include "text/utf8.h"

int kt_cps_decode(kt_cps *c, const char *s, size_t len)
{
    c->v = c->inl;
    c->n = 0;
    /* A string never has more code points than bytes, so one bound fits all. */
    if (len > KT_CPS_INLINE) {
        c->v = kt_malloc(len * sizeof *c->v);
        if (!c->v) {
            c->v = c->inl;
            return -1;
        }
    }
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        int32_t cp;
        size_t n = p[i] < 0x80 ? (cp = p[i], 1) : kt_utf8_decode(p + i, len - i, &cp);
        if (!n) {
            cp = 0xFFFD;
            n = 1;
        }
        c->v[c->n++] = cp;
        i += n;
    }
    return 0;
}

void kt_cps_free(kt_cps *c)
{
    if (c->v != c->inl) kt_free(c->v);
    c->v = c->inl;
    c->n = 0;
}
