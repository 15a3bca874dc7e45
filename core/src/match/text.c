#include <string.h>

#include "kartoteka/match.h"
#include "match/internal.h"

static int has_digit(kt_word w)
{
    for (size_t i = 0; i < w.n; i++)
        if (w.p[i] >= '0' && w.p[i] <= '9') return 1;
    return 0;
}

/* How alike two words are, 0 below the bar. House numbers and postcodes must be equal:
 * "12" and "13" are different houses however alike they look. */
static double word_score(kt_word x, kt_word y)
{
    if (x.n == y.n && memcmp(x.p, y.p, x.n) == 0) return 1;
    if (has_digit(x) || has_digit(y)) return 0;
    double s = kt_jw_utf8(x.p, x.n, y.p, y.n);
    return s >= 0.9 ? s : 0;
}

/* Soft Jaccard: each word of a takes its best unused partner in b, greedily; the sum of
 * those scores is the intersection. Quadratic in words, hence the cap of 32 per side. */
double kt_match_soft_jaccard(const char *a, size_t la, const char *b, size_t lb)
{
    kt_word wa[KT_MATCH_MAX_WORDS], wb[KT_MATCH_MAX_WORDS];
    size_t na = kt_match_words(a, la, wa, KT_MATCH_MAX_WORDS);
    size_t nb = kt_match_words(b, lb, wb, KT_MATCH_MAX_WORDS);
    if (!na || !nb) return KT_MATCH_MISSING;
    unsigned char used[KT_MATCH_MAX_WORDS] = {0};
    double inter = 0;
    for (size_t i = 0; i < na; i++) {
        double best = 0;
        size_t bj = nb;
        for (size_t j = 0; j < nb && best < 1; j++) {
            if (used[j]) continue;
            double s = word_score(wa[i], wb[j]);
            if (s > best) best = s, bj = j;
        }
        if (bj < nb) {
            used[bj] = 1;
            inter += best;
        }
    }
    return inter / ((double)(na + nb) - inter);
}

double kt_match_text(const char *a, const char *b)
{
    return kt_match_fold_both(a, b, kt_match_text_folded);
}

double kt_match_text_folded(const char *a, const char *b)
{
    if (!a || !b) return KT_MATCH_MISSING;
    return kt_match_soft_jaccard(a, strlen(a), b, strlen(b));
}
