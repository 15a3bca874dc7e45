/* The folded form of text for matching and search: one pass over the input, one code point at a
 * time, writing into a scratch buffer that lives on the caller's stack for ordinary names.
 * Per code point: letters Unicode must not decompose are caught first (й would lose its breve and
 * become и), then utf8proc applies NFKC's compatibility decomposition and case folding to that
 * code point alone (no whole-string normalisation pass, no heap; the output never needs
 * recomposing since the marks go), then each resulting code point is unified, transliterated
 * and classed as word, separator or dropped (combining marks). */
#include "text/fold.h"

#include <string.h>
#include <utf8proc.h>

#include "kartoteka/text.h"
#include "text/utf8.h"

/* A code point can expand to at most 18 (U+FDFA), each at most 4 bytes, plus a separator. */
#define DECOMP_MAX 32
#define ROOM (DECOMP_MAX * 4 + 8)

typedef struct state {
    kt_scratch *out;
    unsigned flags;
    int space;  /* a separator is pending */
    char punct; /* '@', '.' or '+' pending: kept only if a word character follows */
    int word;   /* the last thing written was a word character */
} state;

static void put_byte(state *st, char c)
{
    st->out->data[st->out->len++] = c;
}

static void word_cp(state *st, int32_t cp)
{
    if (st->punct) {
        put_byte(st, st->punct);
    } else if (st->space && st->out->len) {
        put_byte(st, ' ');
    }
    st->punct = 0;
    st->space = 0;
    st->word = 1;
    if (cp < 0x80) {
        put_byte(st, (char)cp);
    } else {
        st->out->len += kt_utf8_encode(cp, st->out->data + st->out->len);
    }
}

static void separator(state *st)
{
    st->punct = 0;
    st->space = 1;
    st->word = 0;
}

static void ascii(state *st, unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        word_cp(st, c);
    } else if (c >= 'A' && c <= 'Z') {
        word_cp(st, c + ('a' - 'A'));
    } else if (c == '\'' || c == '`') {
        /* apostrophes join: O'Brien = OBrien */
    } else if ((c == '@' || c == '.' || c == '+') && st->word && !st->punct) {
        st->punct = (char)c; /* "anna.k+x@mail.pl" keeps its shape, "end." does not */
        st->word = 0;
    } else {
        separator(st);
    }
}

static void folded_cp(state *st, int32_t cp)
{
    if (cp < 0x80) {
        ascii(st, (unsigned char)cp);
        return;
    }
    int32_t u[2];
    int k = kt_unify_letter(cp, u);
    if (k >= 0) {
        for (int i = 0; i < k; i++)
            word_cp(st, u[i]);
        return;
    }
    if (st->flags & KT_FOLD_TRANSLIT) {
        const char *t = kt_translit_cyrillic(cp);
        if (t) {
            while (*t)
                word_cp(st, (unsigned char)*t++);
            return;
        }
    }
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_MC: /* vowel signs of Indic scripts are part of the word */
    case UTF8PROC_CATEGORY_CO:
        word_cp(st, cp);
        return;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_CF:
        return; /* ZWNJ (Persian half-space), ZWJ, bidi marks, soft hyphen */
    default:
        separator(st);
        return;
    }
}

/* Cyrillic letters whose breve or diaeresis makes a different letter, not an accent: й, ї, ў,
 * precomposed or as base + combining mark. Returns the lower-case letter, or 0. *extra is set
 * to the bytes of a combining mark that belongs to it. */
static int32_t cyrillic_with_mark(int32_t cp, const unsigned char *next, size_t n, size_t *extra)
{
    *extra = 0;
    switch (cp) {
    case 0x0419:
    case 0x0439:
        return 0x0439; /* Й й */
    case 0x0407:
    case 0x0457:
        return 0x0457; /* Ї ї */
    case 0x040E:
    case 0x045E:
        return 0x045E; /* Ў ў */
    }
    int32_t base = 0, mark = 0;
    if (cp == 0x0418 || cp == 0x0438)
        base = 0x0439, mark = 0x0306;
    else if (cp == 0x0406 || cp == 0x0456)
        base = 0x0457, mark = 0x0308;
    else if (cp == 0x0423 || cp == 0x0443)
        base = 0x045E, mark = 0x0306;
    if (!base || n < 2 || next[0] != 0xCC) return 0;
    int32_t m;
    if (kt_utf8_decode(next, n, &m) != 2 || m != mark) return 0;
    *extra = 2;
    return base;
}

static void letter(state *st, int32_t cp)
{
    const char *t = (st->flags & KT_FOLD_TRANSLIT) ? kt_translit_cyrillic(cp) : NULL;
    if (!t) {
        word_cp(st, cp);
        return;
    }
    while (*t)
        word_cp(st, (unsigned char)*t++);
}

/* Marks are stripped in folded_cp rather than with UTF8PROC_STRIPMARK, which would also drop the
 * spacing vowel signs (Mc) that carry the vowels of Indic scripts. */
static const utf8proc_option_t options =
    UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE;

kt_status kt_fold_into(kt_scratch *out, const char *s, size_t len, unsigned flags, kt_error *err)
{
    const unsigned char *p = (const unsigned char *)s;
    state st = {out, flags, 0, 0, 0};
    size_t i = 0;
    out->len = 0;
    while (i < len) {
        kt_status rc = kt_scratch_reserve(out, ROOM, err);
        if (rc) {
            out->len = 0;
            out->data[0] = '\0';
            return rc;
        }
        if (p[i] < 0x80) {
            ascii(&st, p[i++]);
            continue;
        }
        int32_t cp;
        size_t n = kt_utf8_decode(p + i, len - i, &cp);
        if (!n) {
            out->len = 0;
            out->data[0] = '\0';
            return kt_error_set(err, KT_INVALID, "text is not valid UTF-8 (byte %zu)", i + 1);
        }
        i += n;
        size_t extra;
        int32_t special = cyrillic_with_mark(cp, p + i, len - i, &extra);
        if (special) {
            i += extra;
            letter(&st, special);
            continue;
        }
        if (cp >= 0xAC00 && cp <= 0xD7A3) { /* Hangul syllables: keep, do not split to jamo */
            word_cp(&st, cp);
            continue;
        }
        utf8proc_int32_t dec[DECOMP_MAX];
        int boundclass = 0;
        utf8proc_ssize_t k = utf8proc_decompose_char(cp, dec, DECOMP_MAX, options, &boundclass);
        if (k < 0 || k > DECOMP_MAX) {
            folded_cp(&st, cp);
            continue;
        }
        for (utf8proc_ssize_t j = 0; j < k; j++)
            folded_cp(&st, dec[j]);
    }
    out->data[out->len] = '\0';
    return KT_OK;
}

static kt_status fold_public(const char *s, char **out, unsigned flags, kt_error *err)
{
    *out = NULL;
    if (!s) return kt_error_set(err, KT_USAGE, "no text to fold");
    kt_scratch sc;
    kt_scratch_init(&sc);
    kt_status rc = kt_fold_into(&sc, s, strlen(s), flags, err);
    if (rc == KT_OK) {
        *out = kt_scratch_dup(&sc);
        if (!*out) rc = kt_error_set(err, KT_NOMEM, "out of memory folding text");
    }
    kt_scratch_free(&sc);
    return rc;
}

kt_status kt_text_fold(const char *s, char **out, kt_error *err)
{
    return fold_public(s, out, KT_FOLD_TRANSLIT, err);
}

kt_status kt_text_fold_keep_script(const char *s, char **out, kt_error *err)
{
    return fold_public(s, out, 0, err);
}
