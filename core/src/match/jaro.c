#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/match.h"
#include "match/internal.h"

double kt_jw_cps(const int32_t *a, size_t la, const int32_t *b, size_t lb)
{
    size_t longer = la > lb ? la : lb;
    size_t window = longer / 2 ? longer / 2 - 1 : 0;
    unsigned char local[256], *fa = local;
    if (la + lb > sizeof local) {
        fa = kt_malloc(la + lb);
        if (!fa) return KT_MATCH_MISSING;
    }
    memset(fa, 0, la + lb);
    unsigned char *fb = fa + la;
    size_t m = 0;
    for (size_t i = 0; i < la; i++) {
        size_t lo = i > window ? i - window : 0;
        size_t hi = i + window + 1 < lb ? i + window + 1 : lb;
        for (size_t j = lo; j < hi; j++) {
            if (!fb[j] && a[i] == b[j]) {
                fa[i] = fb[j] = 1;
                m++;
                break;
            }
        }
    }
    double jw = 0;
    if (m) {
        size_t t = 0, k = 0;
        for (size_t i = 0; i < la; i++) {
            if (!fa[i]) continue;
            while (!fb[k])
                k++;
            if (a[i] != b[k]) t++;
            k++;
        }
        double md = (double)m;
        jw = (md / (double)la + md / (double)lb + (md - (double)t / 2) / md) / 3;
        /* Winkler's boost only for strings already alike, as in his original rule. */
        if (jw > 0.7) {
            size_t l = 0;
            while (l < 4 && l < la && l < lb && a[l] == b[l])
                l++;
            jw += (double)l * 0.1 * (1 - jw);
        }
    }
    if (fa != local) kt_free(fa);
    return jw;
}

double kt_jw_utf8(const char *a, size_t la, const char *b, size_t lb)
{
    if (!la || !lb) return la == lb ? 1 : 0;
    if (la == lb && memcmp(a, b, la) == 0) return 1;
    kt_cps ca, cb;
    double r = KT_MATCH_MISSING;
    if (kt_cps_decode(&ca, a, la) == 0) {
        if (kt_cps_decode(&cb, b, lb) == 0) {
            r = kt_jw_cps(ca.v, ca.n, cb.v, cb.n);
            kt_cps_free(&cb);
        }
        kt_cps_free(&ca);
    }
    return r;
}

double kt_match_jaro_winkler(const char *a, const char *b)
{
    if (!a || !b || !*a || !*b) return KT_MATCH_MISSING;
    return kt_jw_utf8(a, strlen(a), b, strlen(b));
}
