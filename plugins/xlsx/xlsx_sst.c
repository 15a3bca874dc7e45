/* The shared-string table in bounded memory. A sheet refers to its strings by index in any
 * order, so they must be kept; a small zip can unpack to hundreds of megabytes of them (714 KB
 * made 480 MB). Up to XL_SST_RAM they stay in memory; past it, they move to an unnamed
 * temporary file (text) with a second one of 8-byte offsets, and each lookup reads one back. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xlsx_int.h"

static int write_all(xl *x, FILE *f, const void *p, size_t n)
{
    if (n && fwrite(p, 1, n, f) != n)
        return xl_fail(x, "cannot write the shared strings to a temporary file (%s)",
                       strerror(errno));
    return 0;
}

static int spill(xl *x, xl_sst *s)
{
    s->text = tmpfile();
    s->index = s->text ? tmpfile() : NULL;
    if (!s->index)
        return xl_fail(x, "cannot make a temporary file for the shared strings (%s)",
                       strerror(errno));
    for (size_t i = 0; i < s->n; i++) {
        uint64_t at = s->text_len;
        size_t len = strlen(s->mem.d + s->off[i]);
        if (write_all(x, s->index, &at, sizeof at) ||
            write_all(x, s->text, s->mem.d + s->off[i], len))
            return -1;
        s->text_len += len;
    }
    xb_free(&s->mem);
    free(s->off);
    s->off = NULL;
    s->cap = 0;
    return 0;
}

int xl_sst_add(xl *x, const char *str, size_t len)
{
    xl_sst *s = &x->sst;
    if (!s->text && s->mem.len + len + 1 + (s->n + 1) * sizeof(size_t) > XL_SST_RAM && spill(x, s))
        return -1;
    if (s->text) {
        uint64_t at = s->text_len;
        if (write_all(x, s->index, &at, sizeof at) || write_all(x, s->text, str, len)) return -1;
        s->text_len += len;
        s->n++;
        s->dirty = 1;
        return 0;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        size_t *o = realloc(s->off, cap * sizeof *o);
        if (!o) return xl_fail(x, "out of memory reading the shared strings");
        s->off = o;
        s->cap = cap;
    }
    s->off[s->n] = s->mem.len;
    if (xb_add(&s->mem, str, len, XL_SST_RAM) || xb_add(&s->mem, "", 1, XL_SST_RAM))
        return xl_fail(x, "out of memory reading the shared strings");
    s->n++;
    return 0;
}

static int read_at(xl *x, FILE *f, void *p, size_t n, uint64_t at)
{
    size_t done = 0;
    while (done < n) {
        ssize_t got = pread(fileno(f), (char *)p + done, n - done, (off_t)(at + done));
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0)
            return xl_fail(x, "cannot read the shared strings back from a temporary file (%s)",
                           got < 0 ? strerror(errno) : "it is shorter than written");
        done += (size_t)got;
    }
    return 0;
}

const char *xl_sst_get(xl *x, size_t i, size_t *len)
{
    xl_sst *s = &x->sst;
    if (!s->text) {
        *len = strlen(s->mem.d + s->off[i]);
        return s->mem.d + s->off[i];
    }
    if (s->dirty) {
        if (fflush(s->text) || fflush(s->index)) {
            xl_fail(x, "cannot write the shared strings to a temporary file (%s)", strerror(errno));
            return NULL;
        }
        s->dirty = 0;
    }
    uint64_t at[2] = {0, s->text_len};
    if (read_at(x, s->index, at, i + 1 < s->n ? sizeof at : sizeof at[0], i * sizeof at[0]))
        return NULL;
    if (at[1] < at[0] || at[1] - at[0] > x->max_cell) {
        xl_fail(x, "the shared strings' temporary file is damaged");
        return NULL;
    }
    size_t need = (size_t)(at[1] - at[0]);
    if (need + 1 > s->got.cap) {
        char *d = realloc(s->got.d, need + 1);
        if (!d) {
            xl_fail(x, "out of memory reading a shared string");
            return NULL;
        }
        s->got.d = d;
        s->got.cap = need + 1;
    }
    s->got.len = need;
    if (read_at(x, s->text, s->got.d, need, at[0])) return NULL;
    s->got.d[s->got.len] = '\0';
    *len = s->got.len;
    return s->got.d;
}

void xl_sst_free(xl_sst *s)
{
    xb_free(&s->mem);
    xb_free(&s->got);
    free(s->off);
    if (s->text) fclose(s->text);
    if (s->index) fclose(s->index);
    memset(s, 0, sizeof *s);
}
