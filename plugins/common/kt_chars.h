/* Character helpers shared by the shipped plugins (header only: each plugin stays a single
 * self-contained .so that links nothing but libc). Input is UTF-8 as typed by people: digits
 * may be ASCII, Persian (U+06F0..U+06F9) or Arabic-Indic (U+0660..U+0669), and numbers arrive
 * with spaces, no-break spaces, dashes and invisible direction marks copied from Persian or
 * Arabic text. */
#ifndef KT_PLUGINS_CHARS_H
#define KT_PLUGINS_CHARS_H

#include <stddef.h>

/* Decodes one UTF-8 code point at *p and advances; -1 (and one byte) for a malformed one. */
static inline long ktc_next(const char **p)
{
    const unsigned char *s = (const unsigned char *)*p;
    long cp;
    int extra;
    if (s[0] < 0x80) {
        *p += 1;
        return s[0];
    } else if ((s[0] & 0xE0) == 0xC0) {
        cp = s[0] & 0x1F;
        extra = 1;
    } else if ((s[0] & 0xF0) == 0xE0) {
        cp = s[0] & 0x0F;
        extra = 2;
    } else if ((s[0] & 0xF8) == 0xF0) {
        cp = s[0] & 0x07;
        extra = 3;
    } else {
        *p += 1;
        return -1;
    }
    for (int i = 1; i <= extra; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *p += 1;
            return -1;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    *p += 1 + extra;
    return cp;
}

/* 0..9 for an ASCII, Persian or Arabic-Indic digit, else -1. */
static inline int ktc_digit(long cp)
{
    if (cp >= '0' && cp <= '9') return (int)(cp - '0');
    if (cp >= 0x06F0 && cp <= 0x06F9) return (int)(cp - 0x06F0);
    if (cp >= 0x0660 && cp <= 0x0669) return (int)(cp - 0x0660);
    return -1;
}

/* Spaces, dashes and marks that only decorate a number. */
static inline int ktc_separator(long cp)
{
    switch (cp) {
    case ' ':
    case '\t':
    case '-':
    case 0x00A0: /* no-break space */
    case 0x2007:
    case 0x2009:
    case 0x202F: /* figure, thin, narrow no-break spaces */
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2212: /* dashes */
    case 0x200E:
    case 0x200F:
    case 0x061C: /* LRM, RLM, ALM */
    case 0x202A:
    case 0x202B:
    case 0x202C:
    case 0x202D:
    case 0x202E:
    case 0x2066:
    case 0x2067:
    case 0x2068:
    case 0x2069: /* bidi embeddings and isolates */
    case 0xFEFF: /* a BOM pasted from a file */
        return 1;
    }
    return 0;
}

/* Copies at most n bytes of the UTF-8 character starting at s into a short quoted form for a
 * message, so a refusal can show what it tripped on. */
static inline void ktc_show(const char *start, const char *end, char *buf, size_t size)
{
    size_t n = (size_t)(end - start);
    if (size == 0) return;
    if (n > size - 1) n = size - 1;
    for (size_t i = 0; i < n; i++)
        buf[i] = start[i];
    buf[n] = '\0';
}

/* Collects the digits of `in` as ASCII into out (capacity out_size, NUL-terminated), skipping
 * separators. Returns how many digits there were (more than fit are counted, not stored), or -1
 * when a character is neither a digit nor a separator; that character is then copied to bad. */
static inline int ktc_digits(const char *in, char *out, size_t out_size, char *bad, size_t bad_size)
{
    int n = 0;
    const char *p = in;
    while (*p) {
        const char *start = p;
        long cp = ktc_next(&p);
        int d = ktc_digit(cp);
        if (d >= 0) {
            if ((size_t)n + 1 < out_size) out[n] = (char)('0' + d);
            n++;
        } else if (!ktc_separator(cp)) {
            ktc_show(start, p, bad, bad_size);
            return -1;
        }
    }
    if (out_size) out[(size_t)n < out_size ? (size_t)n : out_size - 1] = '\0';
    return n;
}

#endif
