#include <string.h>

#include "kartoteka/match.h"
#include "match/internal.h"
#include "text/fold.h"

int kt_match_fold(const char *s, kt_scratch *out)
{
    out->len = 0;
    out->data[0] = '\0';
    if (!s || !*s) return 0;
    size_t len = strlen(s);
    /* err is NULL: the reason is not needed here and formatting it would cost per pair. */
    kt_status rc = kt_fold_into(out, s, len, KT_FOLD_TRANSLIT, NULL);
    if (rc == KT_INVALID) {
        if (kt_scratch_reserve(out, len, NULL)) return -1;
        memcpy(out->data, s, len + 1);
        out->len = len;
    } else if (rc) {
        return -1;
    }
    return out->len ? 1 : 0;
}

double kt_match_fold_both(const char *a, const char *b, double (*cmp)(const char *, const char *))
{
    kt_scratch fa, fb;
    kt_scratch_init(&fa);
    kt_scratch_init(&fb);
    double r = KT_MATCH_MISSING;
    if (kt_match_fold(a, &fa) == 1 && kt_match_fold(b, &fb) == 1) r = cmp(fa.data, fb.data);
    kt_scratch_free(&fa);
    kt_scratch_free(&fb);
    return r;
}

size_t kt_match_words(const char *s, size_t len, kt_word *w, size_t max)
{
    size_t n = 0, i = 0;
    while (i < len && n < max) {
        while (i < len && s[i] == ' ')
            i++;
        size_t start = i;
        while (i < len && s[i] != ' ')
            i++;
        if (i > start) w[n++] = (kt_word){s + start, i - start};
    }
    return n;
}

static int word_cmp(kt_word x, kt_word y)
{
    int c = memcmp(x.p, y.p, x.n < y.n ? x.n : y.n);
    return c ? c : (x.n > y.n) - (x.n < y.n);
}

/* Insertion sort: names have two or three words. */
void kt_match_sort_words(kt_word *w, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        kt_word v = w[i];
        size_t j = i;
        while (j > 0 && word_cmp(w[j - 1], v) > 0) {
            w[j] = w[j - 1];
            j--;
        }
        w[j] = v;
    }
}

int kt_match_sorted(const char *s, size_t len, kt_scratch *out)
{
    kt_word w[KT_MATCH_MAX_WORDS];
    size_t n = kt_match_words(s, len, w, KT_MATCH_MAX_WORDS);
    kt_match_sort_words(w, n);
    return kt_match_join(w, n, len, out);
}

int kt_match_join(const kt_word *w, size_t n, size_t len, kt_scratch *out)
{
    out->len = 0;
    if (kt_scratch_reserve(out, len, NULL)) return -1;
    for (size_t i = 0; i < n; i++) {
        if (i) out->data[out->len++] = ' ';
        memcpy(out->data + out->len, w[i].p, w[i].n);
        out->len += w[i].n;
    }
    out->data[out->len] = '\0';
    return 0;
}

/* The next run of digits in s[*i..len), or a zero-length word when there is none. */
static kt_word next_number(const char *s, size_t len, size_t *i)
{
    while (*i < len && (s[*i] < '0' || s[*i] > '9'))
        (*i)++;
    size_t start = *i;
    while (*i < len && s[*i] >= '0' && s[*i] <= '9')
        (*i)++;
    return (kt_word){s + start, *i - start};
}

int kt_match_numbers_differ(const char *a, size_t la, const char *b, size_t lb)
{
    size_t i = 0, j = 0;
    kt_word x = next_number(a, la, &i), y = next_number(b, lb, &j);
    if (!x.n || !y.n) return 0; /* a number on one side only is no evidence either way */
    for (; x.n || y.n; x = next_number(a, la, &i), y = next_number(b, lb, &j))
        if (x.n != y.n || memcmp(x.p, y.p, x.n) != 0) return 1;
    return 0;
}
