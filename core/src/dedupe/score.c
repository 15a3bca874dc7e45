/* The score of a pair. Untrained: the weighted mean of the field scores over the fields present
 * on both sides. Trained (kt dupes train): the match probability of the rule's model. Either way
 * first and last name are scored as a pair (straight or swapped, whichever fits better). */
#include "dedupe/dd_int.h"
#include "dedupe/model.h"
#include "kartoteka/match.h"

void dd_score_parts(const kt_dedupe_rule *r, const char *const *a, const char *const *b,
                    double *parts)
{
    double sf = KT_MATCH_MISSING, sl = KT_MATCH_MISSING;
    if (r->first >= 0)
        kt_match_name_pair_prepared(a[r->first], a[r->last], b[r->first], b[r->last], &sf, &sl);
    for (size_t f = 0; f < r->n; f++)
        parts[f] = (int)f == r->first  ? sf
                   : (int)f == r->last ? sl
                                       : kt_match_prepared(r->fields[f].method, a[f], b[f]);
}

double dd_score(const kt_dedupe_rule *r, const char *const *a, const char *const *b, double *parts)
{
    double own[64];
    if (!parts) parts = own;
    dd_score_parts(r, a, b, parts);
    if (r->model) {
        int present = 0;
        for (size_t f = 0; f < r->n; f++)
            present |= parts[f] >= 0;
        if (!present) return -1.0;
        return dd_model_probability(dd_model_weight(r, r->model, parts, a, b, NULL, NULL));
    }
    double num = 0, den = 0;
    for (size_t f = 0; f < r->n; f++) {
        if (parts[f] < 0) continue;
        num += r->fields[f].weight * parts[f];
        den += r->fields[f].weight;
    }
    return den > 0 ? num / den : -1.0;
}

/* The most a field can still add: its declared weight, or its best weight in bits. */
static double room(const kt_dedupe_rule *r, size_t f)
{
    return r->model ? r->model->f[f].max_bits : r->fields[f].weight;
}

void dd_order(const kt_dedupe_rule *r, size_t *order)
{
    for (size_t i = 0; i < r->n; i++)
        order[i] = i;
    for (size_t i = 1; i < r->n; i++) /* heaviest first: they decide soonest */
        for (size_t j = i; j > 0 && room(r, order[j]) > room(r, order[j - 1]); j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
}

/* The model's score given up as soon as the weight so far plus the most every field left could
 * add stays below the threshold's weight. */
static double model_cut(const kt_dedupe_rule *r, const size_t *order, const char *const *a,
                        const char *const *b, double threshold)
{
    const dd_model *m = r->model;
    double need = dd_model_logit(threshold), w = dd_model_logit(m->lambda), left = 0;
    for (size_t i = 0; i < r->n; i++)
        if (m->f[i].max_bits > 0) left += m->f[i].max_bits;
    double parts[64];
    int done[64] = {0}, pair_done = 0;
    for (size_t i = 0; i < r->n; i++) {
        size_t f = order[i];
        if (done[f]) continue;
        size_t now[2] = {f, f};
        if (((int)f == r->first || (int)f == r->last) && !pair_done) {
            kt_match_name_pair_prepared(a[r->first], a[r->last], b[r->first], b[r->last],
                                        &parts[r->first], &parts[r->last]);
            pair_done = 1;
            now[0] = (size_t)r->first;
            now[1] = (size_t)r->last;
        } else {
            parts[f] = kt_match_prepared(r->fields[f].method, a[f], b[f]);
        }
        for (int k = 0; k < (now[0] == now[1] ? 1 : 2); k++) {
            size_t g = now[k];
            done[g] = 1;
            if (m->f[g].max_bits > 0) left -= m->f[g].max_bits;
            w += dd_model_field_bits(r, m, g, parts[g], a[g], b[g], NULL);
        }
        if (w + left < need) return -1.0;
    }
    return dd_score(r, a, b, NULL);
}

/* The same score, but given up (-1) as soon as even perfect agreement on every field left could
 * not lift it to threshold: most candidate pairs differ in their e-mail and phone already, and
 * the costly text comparisons are never made for them. */
double dd_score_cut(const kt_dedupe_rule *r, const size_t *order, const char *const *a,
                    const char *const *b, double threshold)
{
    if (r->model) return model_cut(r, order, a, b, threshold);
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
