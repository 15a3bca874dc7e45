/* The estimates of the model from pairs' levels, no labels needed: u counted on random pairs
 * (nearly all of them non-matches), m by expectation-maximisation over the blocked candidate
 * pairs. There the non-matches share a blocking key, so they agree far more often than random
 * pairs do: held at the random pairs' u, EM takes them for matches (every pair of FEBRL 2 was).
 * So EM fits the non-matches' levels among the candidates too (their own u, discarded after),
 * and m is what it finds for the matches. Pairs are reduced to their distinct level patterns
 * first: a million candidate pairs have a few hundred patterns. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dedupe/model.h"
#include "kartoteka/alloc.h"

#define EM_TOL 1e-7

void dd_em_u(const signed char *levels, size_t npairs, size_t nf, double *u)
{
    for (size_t f = 0; f < nf; f++) {
        double c[DD_LEVELS] = {0.5, 0.5, 0.5}, total = 1.5;
        for (size_t p = 0; p < npairs; p++) {
            int l = levels[p * nf + f];
            if (l == DD_MISSING) continue;
            c[l] += 1;
            total += 1;
        }
        for (int l = 0; l < DD_LEVELS; l++)
            u[f * DD_LEVELS + (size_t)l] = c[l] / total;
    }
}

typedef struct pattern {
    uint64_t code; /* 2 bits a field: level + 1 */
    int match;     /* labelled the same: a match for certain, whatever the parameters say */
    double count;
} pattern;

static int by_code(const void *a, const void *b)
{
    const pattern *x = a, *y = b;
    if (x->match != y->match) return x->match - y->match;
    return x->code < y->code ? -1 : x->code > y->code;
}

static int level_of(uint64_t code, size_t f)
{
    return (int)((code >> (2 * f)) & 3) - 1;
}

/* The distinct patterns of the pairs not known to differ, with their counts. */
static pattern *patterns(const signed char *levels, const unsigned char *known, size_t npairs,
                         size_t nf, size_t *n)
{
    pattern *p = kt_malloc((npairs ? npairs : 1) * sizeof *p);
    if (!p) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < npairs; i++) {
        if (known && known[i] == DD_KNOWN_NON) continue;
        uint64_t code = 0;
        for (size_t f = 0; f < nf; f++)
            code |= (uint64_t)(levels[i * nf + f] + 1) << (2 * f);
        p[k++] = (pattern){code, known && known[i] == DD_KNOWN_MATCH, 1};
    }
    if (k) qsort(p, k, sizeof *p, by_code);
    size_t w = 0;
    for (size_t i = 0; i < k; i++)
        if (w && p[w - 1].code == p[i].code && p[w - 1].match == p[i].match)
            p[w - 1].count += 1;
        else
            p[w++] = p[i];
    *n = w;
    return p;
}

/* p (nf * DD_LEVELS) from the expected counts and their totals per field (a field no pair has
 * a value for keeps its p); returns the largest change. */
static double update(double *p, const double *count, const double *total, size_t nf)
{
    double change = 0;
    for (size_t f = 0; f < nf; f++)
        for (size_t l = 0; l < DD_LEVELS; l++) {
            double v = total[f] > 0 ? count[f * DD_LEVELS + l] / total[f] : p[f * DD_LEVELS + l];
            if (v < 1e-6) v = 1e-6;
            change = fmax(change, fabs(v - p[f * DD_LEVELS + l]));
            p[f * DD_LEVELS + l] = v;
        }
    return change;
}

int dd_em_fit(const signed char *levels, const unsigned char *known, size_t npairs, size_t nf,
              double *m, double *u, double *lambda, int max_iter)
{
    if (nf > 32) return -1;
    size_t np = 0, nknown = 0;
    for (size_t i = 0; known && i < npairs; i++)
        nknown += known[i] == DD_KNOWN_NON;
    pattern *p = patterns(levels, known, npairs, nf, &np);
    double *mm = kt_calloc(nf * DD_LEVELS + 1, sizeof *mm), *mt = kt_calloc(nf + 1, sizeof *mt);
    double *uu = kt_calloc(nf * DD_LEVELS + 1, sizeof *uu), *ut = kt_calloc(nf + 1, sizeof *ut);
    int it = -1;
    if (!p || !mm || !mt || !uu || !ut) goto out;
    it = 0;
    double total = (double)(npairs - nknown);
    while (it < max_iter && np) {
        it++;
        memset(mm, 0, nf * DD_LEVELS * sizeof *mm);
        memset(mt, 0, nf * sizeof *mt);
        memset(uu, 0, nf * DD_LEVELS * sizeof *uu);
        memset(ut, 0, nf * sizeof *ut);
        double matches = 0;
        for (size_t i = 0; i < np; i++) { /* E: each pattern's probability of a match */
            double lm = log(*lambda), lu = log(1 - *lambda);
            for (size_t f = 0; f < nf; f++) {
                int l = level_of(p[i].code, f);
                if (l == DD_MISSING) continue;
                lm += log(m[f * DD_LEVELS + (size_t)l]);
                lu += log(u[f * DD_LEVELS + (size_t)l]);
            }
            double pm = p[i].match ? 1 : 1 / (1 + exp(lu - lm));
            double w = pm * p[i].count, wu = p[i].count - w;
            matches += w;
            for (size_t f = 0; f < nf; f++) {
                int l = level_of(p[i].code, f);
                if (l == DD_MISSING) continue;
                mm[f * DD_LEVELS + (size_t)l] += w;
                mt[f] += w;
                uu[f * DD_LEVELS + (size_t)l] += wu;
                ut[f] += wu;
            }
        }
        /* M: m and u from the expected matches and non-matches, the prior their share */
        double change = fmax(update(m, mm, mt, nf), update(u, uu, ut, nf));
        double nl = total > 0 ? matches / total : *lambda;
        if (nl < 1e-6) nl = 1e-6;
        if (nl > 1 - 1e-6) nl = 1 - 1e-6;
        change = fmax(change, fabs(nl - *lambda));
        *lambda = nl;
        if (change < EM_TOL) break;
    }
out:
    kt_free(p);
    kt_free(mm);
    kt_free(mt);
    kt_free(uu);
    kt_free(ut);
    return it;
}
