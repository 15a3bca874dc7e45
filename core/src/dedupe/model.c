/* Fellegi-Sunter scoring: levels of agreement from the field scores, match weights in bits, the
 * match probability, and how many independent pieces of evidence a pair has. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dedupe/dd_int.h"
#include "dedupe/model.h"
#include "kartoteka/alloc.h"
#include "kartoteka/match.h"

/* Probabilities are kept inside (P_MIN, 1 - P_MIN): a level never seen in training is unlikely,
 * not impossible, and one field can never decide alone by an infinite weight. */
#define P_MIN 1e-5
/* m is learned from far fewer pairs (the matches) than u: a level no match showed in training
 * (a mistyped e-mail among a few hundred duplicates) still costs at most log2(1 / M_MIN) bits. */
#define M_MIN 1e-3

/* From which score a method's comparison is close (a typo, a day and month swapped, a national
 * spelling of a phone) and exact (equal after folding; a phone's 0.95 is the same number). */
static const struct {
    const char *method;
    double close, exact;
} cuts[] = {{"name", 0.88, 0.999}, {"company", 0.85, 0.999}, {"date", 0.7, 0.999},
            {"phone", 0.5, 0.95},  {"email", 0.8, 0.999},    {"text", 0.5, 0.999},
            {"exact", 2.0, 0.999}};

/* A typo in an identifier or a postcode: one edit (two in a long value) between prepared
 * forms. Only worth computing for values of about the same length. */
static int one_typo(const char *a, const char *b)
{
    if (!a || !b) return 0;
    size_t la = strlen(a), lb = strlen(b);
    size_t shorter = la < lb ? la : lb, diff = la > lb ? la - lb : lb - la;
    if (shorter < 4 || diff > 2) return 0;
    size_t d = kt_match_levenshtein(a, b);
    return d != SIZE_MAX && d <= (shorter >= 10 ? 2u : 1u);
}

int dd_level(const char *method, double score, const char *a, const char *b)
{
    if (score < 0) return DD_MISSING;
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        if (strcmp(cuts[i].method, method) != 0) continue;
        if (score >= cuts[i].exact) return DD_EXACT;
        if (score >= cuts[i].close) return DD_CLOSE;
        if ((!strcmp(method, "text") || !strcmp(method, "exact")) && one_typo(a, b))
            return DD_CLOSE;
        return DD_FAR;
    }
    return score >= 0.999 ? DD_EXACT : DD_FAR;
}

dd_model *dd_model_new(size_t nfields)
{
    dd_model *m = kt_calloc(1, sizeof *m);
    if (!m) return NULL;
    m->f = kt_calloc(nfields + 1, sizeof *m->f);
    if (!m->f) {
        kt_free(m);
        return NULL;
    }
    m->n = nfields;
    return m;
}

void dd_model_free(dd_model *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->n; i++) {
        kt_free(m->f[i].tf.hash);
        kt_free(m->f[i].tf.count);
    }
    kt_free(m->f);
    kt_free(m);
}

static double clamp(double p)
{
    return p < P_MIN ? P_MIN : p > 1 - P_MIN ? 1 - P_MIN : p;
}

void dd_model_finish(dd_model *m)
{
    m->lambda = clamp(m->lambda);
    for (size_t i = 0; i < m->n; i++) {
        dd_model_field *f = &m->f[i];
        f->max_bits = -INFINITY;
        for (int l = 0; l < DD_LEVELS; l++) {
            f->m[l] = f->m[l] < M_MIN ? M_MIN : clamp(f->m[l]);
            f->u[l] = clamp(f->u[l]);
            f->bits[l] = log2(f->m[l] / f->u[l]);
            if (f->bits[l] > f->max_bits) f->max_bits = f->bits[l];
        }
        if (f->tf.filled) { /* exact on a value nobody else holds */
            double rare = log2(f->m[DD_EXACT] / clamp(1.0 / (double)f->tf.filled));
            if (rare > f->max_bits) f->max_bits = rare;
        }
    }
}

static int by_hash(const void *k, const void *e)
{
    uint64_t x = *(const uint64_t *)k, y = *(const uint64_t *)e;
    return x < y ? -1 : x > y;
}

double dd_model_tf(const dd_model *m, size_t f, const char *prepared)
{
    const dd_tf *t = &m->f[f].tf;
    if (!t->filled || !prepared) return -1;
    uint64_t h = dd_hash(prepared, 0);
    const uint64_t *at = t->n ? bsearch(&h, t->hash, t->n, sizeof h, by_hash) : NULL;
    double n = at ? t->count[at - t->hash] : 1;
    return n / (double)t->filled;
}

double dd_model_probability(double w)
{
    if (w > 60) return 1.0;
    if (w < -60) return 0.0;
    double x = exp2(w);
    return x / (1 + x);
}

double dd_model_logit(double p)
{
    p = clamp(p);
    return log2(p / (1 - p));
}

double dd_model_field_bits(const kt_dedupe_rule *r, const dd_model *m, size_t f, double part,
                           const char *a, const char *b, int *level)
{
    int l = dd_level(r->fields[f].method, part, a, b);
    if (level) *level = l;
    if (l == DD_MISSING) return 0;
    const dd_model_field *mf = &m->f[f];
    double tf = l == DD_EXACT ? dd_model_tf(m, f, a) : -1;
    return tf > 0 ? log2(mf->m[DD_EXACT] / clamp(tf)) : mf->bits[l];
}

double dd_model_weight(const kt_dedupe_rule *r, const dd_model *m, const double *parts,
                       const char *const *a, const char *const *b, int *levels, double *bits)
{
    double w = dd_model_logit(m->lambda);
    for (size_t f = 0; f < r->n; f++) {
        double add = dd_model_field_bits(r, m, f, parts[f], a[f], b[f], levels ? &levels[f] : NULL);
        if (bits) bits[f] = add;
        w += add;
    }
    return w;
}

void dd_pair_levels(const kt_dedupe_rule *r, const char *const *a, const char *const *b,
                    int *levels)
{
    double parts[64];
    dd_score_parts(r, a, b, parts);
    for (size_t f = 0; f < r->n; f++)
        levels[f] = dd_level(r->fields[f].method, parts[f], a[f], b[f]);
}

/* Where an address lives rather than who lives there: agreeing on it says little. */
static int area_field(const char *name)
{
    static const char *const area[] = {"city",     "suburb",   "town",   "postal_code",
                                       "postcode", "zip",      "state",  "region",
                                       "country",  "district", "county", NULL};
    for (size_t i = 0; area[i]; i++)
        if (!strcmp(name, area[i])) return 1;
    return 0;
}

static int address_field(const kt_dedupe_field *f)
{
    return strstr(f->field, "street") || strstr(f->field, "address");
}

void dd_evidence(const kt_dedupe_rule *r, const int *levels, const char *const *a,
                 const char *const *b, int *agreeing, int *present)
{
    /* pieces: 0 the name pair, 1 the street address, then one per other field */
    int agree[66] = {0}, against[66] = {0}, seen[66] = {0};
    for (size_t f = 0; f < r->n && f < 64; f++) {
        const kt_dedupe_field *d = &r->fields[f];
        if (area_field(d->field)) continue;
        size_t piece = (int)f == r->first || (int)f == r->last ? 0 : address_field(d) ? 1 : f + 2;
        if ((a[f] && *a[f]) || (b[f] && *b[f])) seen[piece] = 1;
        if (levels[f] >= DD_CLOSE) agree[piece] = 1;
        if (levels[f] == DD_FAR) against[piece] = 1;
    }
    *agreeing = *present = 0;
    for (size_t i = 0; i < 66; i++) {
        *present += seen[i];
        *agreeing += agree[i] && !against[i];
    }
}
