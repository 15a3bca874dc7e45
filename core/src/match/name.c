#include <string.h>

#include "kartoteka/match.h"
#include "match/internal.h"

/* Both folded, non-empty. The better of the forms as written and with words sorted: sorting
 * matches "Anna Maria" with "Maria Anna", the written order keeps a typo in a first letter from
 * reordering the words. */
static double written_or_sorted(const char *a, size_t la, const char *b, size_t lb)
{
    double s = kt_jw_utf8(a, la, b, lb);
    if (s < 0 || s == 1 || (!memchr(a, ' ', la) && !memchr(b, ' ', lb))) return s;
    kt_scratch sa, sb;
    kt_scratch_init(&sa);
    kt_scratch_init(&sb);
    if (kt_match_sorted(a, la, &sa) == 0 && kt_match_sorted(b, lb, &sb) == 0) {
        double t = kt_jw_utf8(sa.data, sa.len, sb.data, sb.len);
        if (t > s) s = t;
    }
    kt_scratch_free(&sa);
    kt_scratch_free(&sb);
    return s;
}

/* Unrelated names commonly reach Jaro-Winkler 0.7-0.8 ("nowak"/"kowalski" 0.77), which would
 * let a shared first name carry a pair over a threshold. Scores from 0.85 up (typos, spelling
 * variants) stay as they are; below that the scale falls steeply to 0 at 0.7. */
static double calibrate(double jw)
{
    if (jw < 0 || jw >= 0.85) return jw;
    return jw <= 0.7 ? 0 : (jw - 0.7) / 0.15 * 0.85;
}

/* Both folded, non-empty. Different numbers make different names however alike the letters. */
static double folded_names(const char *a, size_t la, const char *b, size_t lb)
{
    if (kt_match_numbers_differ(a, la, b, lb)) return 0;
    return calibrate(written_or_sorted(a, la, b, lb));
}

double kt_match_name(const char *a, const char *b)
{
    return kt_match_fold_both(a, b, kt_match_name_folded);
}

double kt_match_name_folded(const char *a, const char *b)
{
    if (!a || !b || !*a || !*b) return KT_MATCH_MISSING;
    return folded_names(a, strlen(a), b, strlen(b));
}

static double mean(double x, double y)
{
    if (x < 0) return y;
    if (y < 0) return x;
    return (x + y) / 2;
}

static int blank(const char *s)
{
    if (!s) return 1;
    while (*s == ' ' || *s == '\t')
        s++;
    return !*s;
}

/* "first last" of one side (one space, and only between two parts, so that folded parts stay
 * folded), or -1 when out of memory. */
static int full_name(const char *first, const char *last, kt_scratch *out)
{
    size_t lf = blank(first) ? 0 : strlen(first), ll = blank(last) ? 0 : strlen(last);
    if (kt_scratch_reserve(out, lf + ll + 1, NULL)) return -1;
    out->len = 0;
    if (lf) memcpy(out->data, first, lf), out->len = lf;
    if (lf && ll) out->data[out->len++] = ' ';
    if (ll) memcpy(out->data + out->len, last, ll), out->len += ll;
    out->data[out->len] = '\0';
    return 0;
}

typedef double (*name_cmp)(const char *, const char *);

static double full_names(const char *first_a, const char *last_a, const char *first_b,
                         const char *last_b, name_cmp cmp)
{
    kt_scratch a, b;
    kt_scratch_init(&a);
    kt_scratch_init(&b);
    double r = KT_MATCH_MISSING;
    if (full_name(first_a, last_a, &a) == 0 && full_name(first_b, last_b, &b) == 0)
        r = cmp(a.data, b.data);
    kt_scratch_free(&a);
    kt_scratch_free(&b);
    return r;
}

static double pair(const char *first_a, const char *last_a, const char *first_b, const char *last_b,
                   double *first_score, double *last_score, name_cmp cmp)
{
    double f = cmp(first_a, first_b), l = cmp(last_a, last_b);
    double best = mean(f, l);
    double sf = cmp(first_a, last_b), sl = cmp(last_a, first_b);
    double swapped = mean(sf, sl);
    if (swapped > best) {
        best = swapped;
        f = sf;
        l = sl;
    }
    /* Someone typed "Anna Kowalska" into one field: only the whole names can tell. */
    if (blank(first_a) || blank(last_a) || blank(first_b) || blank(last_b)) {
        double whole = full_names(first_a, last_a, first_b, last_b, cmp);
        if (whole > best) best = f = l = whole;
    }
    if (first_score) *first_score = f;
    if (last_score) *last_score = l;
    return best;
}

double kt_match_name_pair(const char *first_a, const char *last_a, const char *first_b,
                          const char *last_b, double *first_score, double *last_score)
{
    return pair(first_a, last_a, first_b, last_b, first_score, last_score, kt_match_name);
}

double kt_match_name_pair_prepared(const char *first_a, const char *last_a, const char *first_b,
                                   const char *last_b, double *first_score, double *last_score)
{
    return pair(first_a, last_a, first_b, last_b, first_score, last_score, kt_match_name_folded);
}
