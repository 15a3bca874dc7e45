/* Any supported encoding in, UTF-8 out, a chunk at a time (constant memory). Detection: a BOM
 * wins; else valid UTF-8 is UTF-8; else rd_guess_8bit chooses an 8-bit code page, and a guess
 * less sure than RD_MIN_CONFIDENCE stops with a question rather than a wrong text. A file whose
 * start is plain ASCII is taken as UTF-8 until the first byte that is not, and then switches to
 * the guessed code page: nothing handed out so far changes meaning, since ASCII is common to
 * all of them. */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <iconv.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "kartoteka/alloc.h"
#include "read/read_int.h"

struct rd_decoder {
    FILE *f;
    char *path;
    iconv_t cd; /* (iconv_t)-1: UTF-8 passed through after validation */
    int declared, seen_multibyte, started, file_eof, io_error;
    char enc[48];
    double confidence; /* 1 when given, a BOM or UTF-8; the guess's otherwise */
    int guessed;       /* an 8-bit code page chosen by rd_guess_8bit */
    long lines;        /* newlines handed out so far */
    size_t in_len, in_pos;
    char *out;                  /* RD_OUT bytes, only for iconv */
    unsigned char in[RD_CHUNK]; /* last: the fields before it are zeroed on open */
};

/* The worst growth is a 1-byte code page character becoming 3 bytes of UTF-8. */
#define RD_OUT (RD_CHUNK * 3 + 16)

static int cont_ok(unsigned lead, size_t k, unsigned c)
{
    if ((c & 0xC0) != 0x80) return 0;
    if (k != 1) return 1;
    /* Second bytes that would make overlongs, surrogates or code points past U+10FFFF. */
    if (lead == 0xE0) return c >= 0xA0;
    if (lead == 0xED) return c <= 0x9F;
    if (lead == 0xF0) return c >= 0x90;
    if (lead == 0xF4) return c <= 0x8F;
    return 1;
}

size_t rd_utf8_valid(const unsigned char *s, size_t n, int *bad, int *multibyte)
{
    size_t i = 0;
    *bad = 0;
    while (i < n) {
        /* Eight ASCII bytes, none of them NUL, at a time: most of a CSV file. */
        while (i + 8 <= n) {
            uint64_t v;
            memcpy(&v, s + i, 8);
            uint64_t high = 0x8080808080808080u;
            if ((v & high) || ((v - 0x0101010101010101u) & ~v & high)) break;
            i += 8;
        }
        if (i == n) break;
        unsigned c = s[i];
        if (c >= 0x01 && c < 0x80) {
            i++;
            continue;
        }
        size_t len = c >= 0xC2 && c <= 0xDF   ? 2
                     : c >= 0xE0 && c <= 0xEF ? 3
                     : c >= 0xF0 && c <= 0xF4 ? 4
                                              : 0;
        if (!len) {
            *bad = 1;
            return i;
        }
        size_t have = n - i < len ? n - i : len;
        for (size_t k = 1; k < have; k++)
            if (!cont_ok(c, k, s[i + k])) {
                *bad = 1;
                return i;
            }
        if (have < len) return i; /* cut short by the end of the buffer */
        if (multibyte) *multibyte = 1;
        i += len;
    }
    return i;
}

static void fill(rd_decoder *d)
{
    if (d->in_pos) {
        memmove(d->in, d->in + d->in_pos, d->in_len - d->in_pos);
        d->in_len -= d->in_pos;
        d->in_pos = 0;
    }
    while (!d->file_eof && d->in_len < sizeof d->in) {
        size_t got = fread(d->in + d->in_len, 1, sizeof d->in - d->in_len, d->f);
        d->in_len += got;
        if (got == 0) d->file_eof = 1, d->io_error = ferror(d->f) ? errno : 0;
    }
}

static int is_utf8(const char *e)
{
    return !strcasecmp(e, "UTF-8") || !strcasecmp(e, "UTF8");
}

static kt_status use(rd_decoder *d, const char *enc, kt_error *err)
{
    snprintf(d->enc, sizeof d->enc, "%s", enc);
    for (char *c = d->enc; *c; c++)
        *c = (char)toupper((unsigned char)*c);
    if (is_utf8(enc)) {
        d->cd = (iconv_t)-1;
        return KT_OK;
    }
    if (!d->out && !(d->out = kt_malloc(RD_OUT)))
        return kt_error_set(err, KT_NOMEM, "out of memory opening %s", d->path);
    d->cd = iconv_open("UTF-8", enc);
    if (d->cd == (iconv_t)-1)
        return kt_error_set(err, KT_INVALID,
                            "%s: unknown encoding '%s' (try utf-8, cp1250, cp1252, cp1251, "
                            "cp1256, iso-8859-2, iso-8859-1, utf-16le, utf-16be)",
                            d->path, enc);
    return KT_OK;
}

/* The code page of a sample, or KT_INVALID asking for it when the guess is unsure. */
static kt_status guess(rd_decoder *d, const unsigned char *s, size_t n, kt_error *err)
{
    rd_guess g = rd_guess_8bit(s, n);
    if (g.confidence < RD_MIN_CONFIDENCE) {
        /* the line only means something when ASCII lines came first */
        char where[32] = "";
        if (d->lines) snprintf(where, sizeof where, " line %ld:", d->lines + 1);
        return kt_error_set(err, KT_INVALID,
                            "%s:%s cannot tell the encoding for sure: %s (%s) at %.0f%%, or %s "
                            "(%s); give it in the import script: read = { encoding = \"%s\" }",
                            d->path, where, g.encoding, rd_guess_about(g.encoding),
                            floor(g.confidence * 100), g.other, rd_guess_about(g.other),
                            g.encoding);
    }
    d->confidence = g.confidence;
    d->guessed = 1;
    return use(d, g.encoding, err);
}

static const char *utf16_without_bom(const unsigned char *s, size_t n)
{
    size_t even = 0, odd = 0, m = n < 4096 ? n & ~(size_t)1 : 4096;
    for (size_t i = 0; i < m; i += 2) {
        even += s[i] == 0;
        odd += s[i + 1] == 0;
    }
    if (m >= 4 && odd * 3 > m / 2 && even * 10 < m / 2) return "UTF-16LE";
    if (m >= 4 && even * 3 > m / 2 && odd * 10 < m / 2) return "UTF-16BE";
    return NULL;
}

static kt_status start(rd_decoder *d, const char *declared, kt_error *err)
{
    d->started = 1;
    fill(d);
    const unsigned char *s = d->in;
    size_t n = d->in_len;
    const char *enc = NULL;
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        enc = "UTF-8", d->in_pos = 3;
    else if (n >= 2 && s[0] == 0xFF && s[1] == 0xFE)
        enc = "UTF-16LE", d->in_pos = 2;
    else if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF)
        enc = "UTF-16BE", d->in_pos = 2;
    d->declared = enc || declared;
    if (!enc) enc = declared;
    if (!enc) enc = utf16_without_bom(s, n);
    if (!enc) {
        /* Mostly valid multi-byte UTF-8 with a stray bad byte is broken UTF-8, not cp125x. */
        size_t good = 0, bad = 0;
        for (size_t i = 0; i < n;) {
            int b = 0, mb = 0;
            size_t ok = rd_utf8_valid(s + i, n - i, &b, &mb);
            for (size_t k = i; k < i + ok; k++)
                good += s[k] >= 0xC0;
            i += ok;
            if (!b) break;
            bad++, i++;
        }
        d->declared = bad > 0; /* a guessed code page is final; a guessed UTF-8 may yet switch */
        if (bad && bad > good) return guess(d, s, n, err);
        enc = "UTF-8";
    }
    return use(d, enc, err);
}

static kt_status hand_out(rd_decoder *d, const char *p, size_t n, const char **data, size_t *len,
                          kt_error *err)
{
    const char *z = memchr(p, '\0', n);
    long nl = 0;
    for (const char *q = p; (q = memchr(q, '\n', (size_t)(p + n - q))) != NULL && (!z || q < z);
         q++)
        nl++;
    if (z)
        return kt_error_set(err, KT_INVALID, "%s: line %ld: a NUL byte (is the encoding %s right?)",
                            d->path, d->lines + nl + 1, d->enc);
    d->lines += nl;
    *data = p;
    *len = n;
    return KT_OK;
}

static kt_status bad_byte(rd_decoder *d, kt_error *err)
{
    return kt_error_set(err, KT_INVALID,
                        "%s: line %ld: byte 0x%02X is not valid %s (give the right encoding in "
                        "the import script: read = { encoding = \"...\" })",
                        d->path, d->lines + 1, d->in[d->in_pos], d->enc);
}

static kt_status read_utf8(rd_decoder *d, const char **data, size_t *len, kt_error *err)
{
    for (;;) {
        if (d->in_len - d->in_pos < 4 && !d->file_eof) fill(d);
        size_t avail = d->in_len - d->in_pos;
        if (!avail) return *len = 0, KT_OK;
        int bad;
        size_t ok = rd_utf8_valid(d->in + d->in_pos, avail, &bad, &d->seen_multibyte);
        if (ok) {
            d->in_pos += ok;
            return hand_out(d, (const char *)d->in + d->in_pos - ok, ok, data, len, err);
        }
        if (!bad) {
            if (d->file_eof)
                return kt_error_set(err, KT_INVALID,
                                    "%s: line %ld: the file ends inside a "
                                    "UTF-8 sequence",
                                    d->path, d->lines + 1);
            continue;
        }
        if (d->declared || d->seen_multibyte || d->in[d->in_pos] == 0) return bad_byte(d, err);
        kt_status st = guess(d, d->in + d->in_pos, avail, err);
        d->declared = 1;
        return st ? st : rd_dec_read(d, data, len, err);
    }
}

kt_status rd_dec_read(rd_decoder *d, const char **data, size_t *len, kt_error *err)
{
    *len = 0;
    if (!d->started) {
        kt_status st = start(d, NULL, err);
        if (st) return st;
    }
    if (d->io_error)
        return kt_error_set(err, KT_IO, "%s: line %ld: %s", d->path, d->lines + 1,
                            strerror(d->io_error));
    if (d->cd == (iconv_t)-1) return read_utf8(d, data, len, err);
    for (;;) {
        if (d->in_len - d->in_pos < 16 && !d->file_eof) fill(d);
        size_t avail = d->in_len - d->in_pos;
        if (!avail) return KT_OK;
        char *ip = (char *)d->in + d->in_pos, *op = d->out;
        size_t il = avail, ol = RD_OUT;
        size_t r = iconv(d->cd, &ip, &il, &op, &ol);
        int e = errno;
        d->in_pos = (size_t)((unsigned char *)ip - d->in);
        if (op > d->out) return hand_out(d, d->out, (size_t)(op - d->out), data, len, err);
        if (r != (size_t)-1) continue;
        if (e == EINVAL && !d->file_eof) {
            fill(d);
            continue;
        }
        if (e == EINVAL)
            return kt_error_set(err, KT_INVALID,
                                "%s: line %ld: the file ends inside a %s "
                                "character",
                                d->path, d->lines + 1, d->enc);
        return bad_byte(d, err);
    }
}

kt_status rd_dec_open(const char *path, const char *encoding, rd_decoder **out, kt_error *err)
{
    *out = NULL;
    /* Not calloc: the 64 KiB buffer needs no zeroing, only the fields before it. */
    rd_decoder *d = kt_malloc(sizeof *d);
    if (!d) return kt_error_set(err, KT_NOMEM, "out of memory opening %s", path);
    memset(d, 0, offsetof(rd_decoder, in));
    d->cd = (iconv_t)-1;
    d->confidence = 1;
    kt_status st = KT_OK;
    d->path = kt_strdup(path);
    if (!d->path) {
        st = kt_error_set(err, KT_NOMEM, "out of memory opening %s", path);
        goto out;
    }
    d->f = fopen(path, "rb");
    if (!d->f) {
        st = kt_error_set(err, errno == ENOENT ? KT_NOTFOUND : KT_IO, "%s: %s", path,
                          strerror(errno));
        goto out;
    }
    st = start(d, encoding && *encoding ? encoding : NULL, err);
out:
    if (st) {
        rd_dec_close(d);
        return st;
    }
    *out = d;
    return KT_OK;
}

const char *rd_dec_encoding(const rd_decoder *d)
{
    return d->enc;
}

double rd_dec_confidence(const rd_decoder *d, int *guessed)
{
    if (guessed) *guessed = d->guessed;
    return d->confidence;
}

const char *rd_dec_path(const rd_decoder *d)
{
    return d->path;
}

void rd_dec_close(rd_decoder *d)
{
    if (!d) return;
    if (d->cd != (iconv_t)-1) iconv_close(d->cd);
    if (d->f) fclose(d->f);
    kt_free(d->path);
    kt_free(d->out);
    kt_free(d);
}
