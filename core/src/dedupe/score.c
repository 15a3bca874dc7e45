/* The score of a pair: the weighted mean of the field scores over the fields present on both
 * sides, first and last name scored as a pair (straight or swapped, whichever fits better). */
#include "dedupe/dd_int.h"
#include "kartoteka/match.h"

double dd_score(const kt_dedupe_rule *r, const char *const *a, const char *const *b,
                double *parts)
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
