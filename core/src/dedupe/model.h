/* The Fellegi-Sunter model of a dedupe rule: per compared field and level of agreement the
 * probabilities m (of that level among matches) and u (among non-matches), the prior lambda and
 * the frequencies of common values. A pair's match weight is log2(lambda / (1 - lambda)) plus,
 * per field, log2(m / u) of its level (a missing value adds nothing); its score is the match
 * probability 2^w / (1 + 2^w). Agreeing exactly on a value held by many weighs less: u of the
 * exact level becomes the value's frequency (the term-frequency adjustment). */
#ifndef KT_DEDUPE_MODEL_H
#define KT_DEDUPE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "kartoteka/dedupe.h"

#define DD_MISSING (-1)
#define DD_FAR 0
#define DD_CLOSE 1
#define DD_EXACT 2
#define DD_LEVELS 3

/* The frequencies of one field's values: hashes of prepared values held by two records or more
 * (ascending) and their counts; filled = records with a value. */
typedef struct dd_tf {
    uint64_t *hash;  /* owned */
    uint32_t *count; /* owned */
    size_t n;
    size_t filled;
} dd_tf;

typedef struct dd_model_field {
    double m[DD_LEVELS], u[DD_LEVELS];
    double bits[DD_LEVELS]; /* log2(m / u) */
    double max_bits;        /* the most this field can add (exact on the rarest value) */
    dd_tf tf;
} dd_model_field;

struct dd_model {
    size_t n;          /* the rule's fields, in its order */
    dd_model_field *f; /* owned */
    double lambda;
    char trained_at[32];
    long long records, pairs, random_pairs;
    long long labels_same, labels_distinct; /* labelled pairs EM took as certain */
    int iterations;
};
typedef struct dd_model dd_model;

/* The level of a field score of method (a, b: the prepared values, for the edit distance that
 * puts a typo in an identifier at close). DD_MISSING when the score is. */
int dd_level(const char *method, double score, const char *a, const char *b);

/* A model of nfields fields with every probability 0 (caller fills m, u and calls
 * dd_model_finish). NULL when out of memory. */
dd_model *dd_model_new(size_t nfields);
void dd_model_free(dd_model *m); /* accepts NULL */
/* Clamps the probabilities away from 0 and 1 and computes bits and max_bits. */
void dd_model_finish(dd_model *m);

/* The frequency of a prepared value in field f (1 / filled for one not listed). */
double dd_model_tf(const dd_model *m, size_t f, const char *prepared);

/* The match weight (bits, prior included) of a pair from its field scores (parts: one per rule
 * field, KT_MATCH_MISSING when missing) and prepared values; levels and bits, when not NULL, get
 * each field's level and weight. */
double dd_model_weight(const kt_dedupe_rule *r, const dd_model *m, const double *parts,
                       const char *const *a, const char *const *b, int *levels, double *bits);
double dd_model_probability(double weight);
/* One field's part of it (its level into *level when not NULL). */
double dd_model_field_bits(const kt_dedupe_rule *r, const dd_model *m, size_t f, double part,
                           const char *a, const char *b, int *level);
/* The weight a probability p stands for (p in (0, 1)). */
double dd_model_logit(double p);

/* How many independent pieces of evidence agree (level close or exact) and how many the pair
 * has on either side. The name pair counts once; street-level address fields count as one piece
 * (agreeing only when none of them disagrees); the area (city, postcode, state, country) says
 * too little to count. */
void dd_evidence(const kt_dedupe_rule *r, const int *levels, const char *const *a,
                 const char *const *b, int *agreeing, int *present);

/* The levels of every field of a pair (levels: rule->n), from the prepared values. */
void dd_pair_levels(const kt_dedupe_rule *r, const char *const *a, const char *const *b,
                    int *levels);

/* ---- em.c: the estimates, on level patterns (rule->n levels per pair) ---- */

/* u: the share of each level among the non-missing levels of the pairs (random pairs), with a
 * half count added to every level so none is 0. u has nf * DD_LEVELS slots. */
void dd_em_u(const signed char *levels, size_t npairs, size_t nf, double *u);

/* What a label (kt dupes --not, kt dupes review, kt dupes label) makes of a pair in EM. */
#define DD_KNOWN_NONE 0
#define DD_KNOWN_NON 1   /* distinct: a non-match for certain, left out */
#define DD_KNOWN_MATCH 2 /* same: a match for certain (weight 1 in the E-step) */

/* m by expectation-maximisation over pairs (blocked candidates), two classes (matches and
 * non-matches) each with its own level probabilities: m, u (of the candidates' non-matches) and
 * *lambda (the share of matches among the pairs) hold start values and get the estimates.
 * known (NULL: none) holds a DD_KNOWN_ value per pair. Returns the iterations run (at most
 * max_iter), -1 when out of memory. */
int dd_em_fit(const signed char *levels, const unsigned char *known, size_t npairs, size_t nf,
              double *m, double *u, double *lambda, int max_iter);

/* ---- model_table.c: the model's tables ---- */

/* The rule's signature a model is stored with ("field:method;..."). *out allocated. */
kt_status dd_model_signature(const kt_dedupe_rule *r, char **out, kt_error *err);
/* The stored model for r (NULL when untrained or trained for other fields). */
kt_status dd_model_load(kt_ws *ws, const kt_dedupe_rule *r, dd_model **out, kt_error *err);
/* Replaces the stored model of r's entity (in one transaction). */
kt_status dd_model_store(kt_ws *ws, const kt_dedupe_rule *r, const dd_model *m, kt_error *err);

#endif
