/* libFuzzer target: the Unicode text functions and the similarity functions dedupe runs on
 * every pair of values. The input is two values separated by a NUL (or one value twice).
 * Besides not crashing, the documented promises hold: scores in [0, 1] (or -1 for missing),
 * a prepared comparison scores exactly as an unprepared one, at most KT_MATCH_MAX_KEYS keys. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/match.h"
#include "kartoteka/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const methods[] = {"exact", "email", "phone", "name", "date", "text"};

static void score_ok(double s)
{
    if (!(s == KT_MATCH_MISSING || (s >= 0.0 && s <= 1.0))) abort();
}

static void text_fns(const char *s)
{
    kt_status (*fns[])(const char *, char **, kt_error *) = {
        kt_text_fold,  kt_text_fold_keep_script, kt_text_title,       kt_text_lower,
        kt_text_upper, kt_text_squeeze,          kt_text_ascii_digits};
    kt_error err;
    int valid = kt_text_valid_utf8(s, strlen(s));
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        char *out = NULL;
        kt_status st = fns[i](s, &out, &err);
        if (st == KT_OK) {
            if (!out || (valid && !kt_text_valid_utf8(out, strlen(out)))) abort();
        } else if (out) {
            abort();
        }
        if (valid && st == KT_INVALID) abort(); /* only invalid UTF-8 is refused */
        kt_free(out);
    }
    if (valid) (void)kt_text_length(s);
}

static void pair(const char *a, const char *b)
{
    kt_error err;
    score_ok(kt_match_jaro_winkler(a, b));
    (void)kt_match_levenshtein(a, b);
    for (size_t m = 0; m < sizeof methods / sizeof methods[0]; m++) {
        double s = kt_match_score(methods[m], a, b);
        score_ok(s);
        char *pa = NULL, *pb = NULL;
        if (kt_match_prepare(methods[m], a, &pa, &err) == KT_OK &&
            kt_match_prepare(methods[m], b, &pb, &err) == KT_OK) {
            double p = kt_match_prepared(methods[m], pa, pb);
            if (p != s) abort();
        }
        kt_free(pa);
        kt_free(pb);
        char **keys = NULL;
        size_t n = 0;
        if (kt_match_keys(methods[m], a, &keys, &n, &err) == KT_OK) {
            if (n > KT_MATCH_MAX_KEYS) abort();
            for (size_t i = 0; i < n; i++)
                if (!keys[i]) abort();
            kt_match_keys_free(keys, n);
        }
    }
    /* first and last names: each value split at its first space */
    char *a2 = strdup(a), *b2 = strdup(b);
    if (a2 && b2) {
        char *la = strchr(a2, ' '), *lb = strchr(b2, ' ');
        if (la) *la++ = '\0';
        if (lb) *lb++ = '\0';
        double fs, ls;
        score_ok(kt_match_name_pair(a2, la, b2, lb, &fs, &ls));
    }
    free(a2);
    free(b2);
    char *canon = NULL;
    if (kt_match_email_canonical(a, &canon, &err) == KT_OK && !canon) abort();
    kt_free(canon);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1024) return 0; /* the functions are O(n*m); long inputs only slow the search */
    char *s = malloc(size + 2);
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = s[size + 1] = '\0';
    const char *a = s, *b = s + strlen(s) + 1;
    if ((size_t)(b - s) > size) b = a;
    text_fns(a);
    if (b != a) text_fns(b);
    pair(a, b);
    pair(b, a);
    free(s);
    return 0;
}
