/* The score of a pair: the weighted mean of the field scores over the fields present on both
 * sides, first and last name scored as a pair (straight or swapped, whichever fits better). */
#include "dedupe/dd_int.h"
#include "kartoteka/match.h"

double dd_score(const kt_dedupe_rule *r, const char *const *a, const char *const *b, double *parts)
{
    double sf = KT_MATCH_MISSING, sl = KT_MATCH_MISSING;
    if (r->first >= 0)
        kt_match_name_pair_prepared(a[r->first], a[r->last], b[r->first], b[r->last], &sf, &sl);
    double num = 0, den = 0;
    for (size_t f = 0; f < r->n; f++) {
        double s = (int)f == r->first  ? sf
                   : (int)f == r->last ? sl
                                       : kt_match_prepared(r->fields[f].method, a[f], b[f]);
        if (parts) parts[f] = s;
        if (s < 0) continue;
        num += r->fields[f].weight * s;
        den += r->fields[f].weight;
    }
    return den > 0 ? num / den : -1.0;
}

void dd_order(const kt_dedupe_rule *r, size_t *order)
{
    for (size_t i = 0; i < r->n; i++)
        order[i] = i;
    for (size_t i = 1; i < r->n; i++) /* heaviest first: they decide soonest */
        for (size_t j = i; j > 0 && r->fields[order[j]].weight > r->fields[order[j - 1]].weight;
             j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
}

/* The same score, but given up (-1) as soon as even perfect agreement on every field left could
 * not lift it to threshold: most candidate pairs differ in their e-mail and phone already, and
 * the costly text comparisons are never made for them. */
double dd_score_cut(const kt_dedupe_rule *r, const size_t *order, const char *const *a,
                    const char *const *b, double threshold)
{
    double num = 0, den = 0, left = 0;
    for (size_t i = 0; i < r->n; i++)
        left += r->fields[i].weight;
    int pair_done = 0;
    for (size_t i = 0; i < r->n; i++) {
        size_t f = order[i];
        if (((int)f == r->first || (int)f == r->last) && pair_done) continue;
        if ((int)f == r->first || (int)f == r->last) {
            double sf, sl;
            kt_match_name_pair_prepared(a[r->first], a[r->last], b[r->first], b[r->last], &sf, &sl);
            pair_done = 1;
            double wf = r->fields[r->first].weight, wl = r->fields[r->last].weight;
            left -= wf + wl;
            if (sf >= 0) num += wf * sf, den += wf;
            if (sl >= 0) num += wl * sl, den += wl;
        } else {
            double s = kt_match_prepared(r->fields[f].method, a[f], b[f]);
            left -= r->fields[f].weight;
            if (s >= 0) num += r->fields[f].weight * s, den += r->fields[f].weight;
        }
        if (den > 0 && (num + left) / (den + left) < threshold) return -1.0;
    }
    return den > 0 ? num / den : -1.0;
}
