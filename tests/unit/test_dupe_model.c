/* The duplicate model's maths: EM recovers known m, u and prior from pairs drawn from them; u
 * from random pairs; levels (a typo in an identifier is close, not far); the term-frequency
 * adjustment (a rare value weighs more); a missing value is no evidence; independent evidence
 * (the name pair counts once, the area not at all). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dedupe/dd_int.h"
#include "dedupe/model.h"
#include "kartoteka/alloc.h"
#include "kartoteka/match.h"

static uint64_t rng = 12345;

static double uniform(void)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(rng >> 11) / 9007199254740992.0;
}

static int draw(const double *p)
{
    double x = uniform();
    for (int l = 0; l < DD_LEVELS - 1; l++) {
        if (x < p[l]) return l;
        x -= p[l];
    }
    return DD_LEVELS - 1;
}

#define NF 3
#define NPAIRS 40000

/* Pairs drawn from a known model (10% of the values missing) give it back. */
static void em_recovers_known_parameters(void **state)
{
    (void)state;
    static const double m_true[NF][DD_LEVELS] = {
        {0.05, 0.15, 0.80}, {0.10, 0.10, 0.80}, {0.02, 0.08, 0.90}};
    static const double u_true[NF][DD_LEVELS] = {
        {0.80, 0.15, 0.05}, {0.90, 0.05, 0.05}, {0.70, 0.20, 0.10}};
    const double lambda_true = 0.3;
    signed char *lv = malloc(NPAIRS * NF);
    for (size_t p = 0; p < NPAIRS; p++) {
        int match = uniform() < lambda_true;
        for (size_t f = 0; f < NF; f++)
            lv[p * NF + f] =
                uniform() < 0.1 ? DD_MISSING : (signed char)draw(match ? m_true[f] : u_true[f]);
    }
    double m[NF * DD_LEVELS], u[NF * DD_LEVELS], lambda = 0.1;
    for (size_t f = 0; f < NF; f++) {
        m[f * 3] = 0.1, m[f * 3 + 1] = 0.1, m[f * 3 + 2] = 0.8;
        u[f * 3] = 0.6, u[f * 3 + 1] = 0.2, u[f * 3 + 2] = 0.2;
    }
    int it = dd_em_fit(lv, NULL, NPAIRS, NF, m, u, &lambda, 500);
    assert_true(it > 1 && it <= 500);
    assert_true(fabs(lambda - lambda_true) < 0.02);
    for (size_t f = 0; f < NF; f++)
        for (int l = 0; l < DD_LEVELS; l++) {
            assert_true(fabs(m[f * 3 + (size_t)l] - m_true[f][l]) < 0.03);
            assert_true(fabs(u[f * 3 + (size_t)l] - u_true[f][l]) < 0.03);
        }
    /* pairs known to differ are left out: flagging every one leaves nothing to fit */
    unsigned char *known = malloc(NPAIRS);
    memset(known, 1, NPAIRS);
    double m2[NF * DD_LEVELS], u2[NF * DD_LEVELS], l2 = 0.1;
    memcpy(m2, m, sizeof m);
    memcpy(u2, u, sizeof u);
    assert_int_equal(dd_em_fit(lv, known, NPAIRS, NF, m2, u2, &l2, 50), 0);
    assert_true(l2 == 0.1);
    free(known);
    free(lv);
}

/* Pairs labelled the same are matches for certain in the E-step: labelled all, m is their
 * levels' shares exactly, whatever m and u started at; labelled among unlabelled ones, they pull
 * m towards their levels where EM alone takes them for non-matches. */
static void em_takes_same_labels_as_matches(void **state)
{
    (void)state;
    signed char lv4[] = {DD_EXACT, DD_EXACT, DD_CLOSE, DD_FAR};
    unsigned char all[] = {DD_KNOWN_MATCH, DD_KNOWN_MATCH, DD_KNOWN_MATCH, DD_KNOWN_MATCH};
    double m[DD_LEVELS] = {0.01, 0.01, 0.98}, u[DD_LEVELS] = {0.98, 0.01, 0.01}, lambda = 0.001;
    assert_true(dd_em_fit(lv4, all, 4, 1, m, u, &lambda, 50) >= 1);
    assert_true(fabs(m[DD_FAR] - 0.25) < 1e-9);
    assert_true(fabs(m[DD_CLOSE] - 0.25) < 1e-9);
    assert_true(fabs(m[DD_EXACT] - 0.5) < 1e-9);
    assert_true(lambda > 0.999);

    /* 2000 pairs from a model, then 200 far on every field: unlabelled, non-matches; labelled
     * the same, they are matches that disagree */
    enum { N = 2200, LABELLED = 200 };
    static const double m_true[NF][DD_LEVELS] = {
        {0.05, 0.15, 0.80}, {0.10, 0.10, 0.80}, {0.02, 0.08, 0.90}};
    static const double u_true[NF][DD_LEVELS] = {
        {0.80, 0.15, 0.05}, {0.90, 0.05, 0.05}, {0.70, 0.20, 0.10}};
    signed char *lv = malloc(N * NF);
    unsigned char *known = calloc(N, 1);
    for (size_t p = 0; p < N; p++) {
        int match = uniform() < 0.3;
        for (size_t f = 0; f < NF; f++)
            lv[p * NF + f] =
                p >= N - LABELLED ? DD_FAR : (signed char)draw(match ? m_true[f] : u_true[f]);
        if (p >= N - LABELLED) known[p] = DD_KNOWN_MATCH;
    }
    double m0[NF * DD_LEVELS], u0[NF * DD_LEVELS], m1[NF * DD_LEVELS], u1[NF * DD_LEVELS];
    for (size_t f = 0; f < NF; f++) {
        m0[f * 3] = 0.1, m0[f * 3 + 1] = 0.1, m0[f * 3 + 2] = 0.8;
        u0[f * 3] = 0.6, u0[f * 3 + 1] = 0.2, u0[f * 3 + 2] = 0.2;
    }
    memcpy(m1, m0, sizeof m0);
    memcpy(u1, u0, sizeof u0);
    double l0 = 0.1, l1 = 0.1;
    assert_true(dd_em_fit(lv, NULL, N, NF, m0, u0, &l0, 500) > 1);
    assert_true(dd_em_fit(lv, known, N, NF, m1, u1, &l1, 500) > 1);
    for (size_t f = 0; f < NF; f++) {
        assert_true(m0[f * 3 + DD_FAR] < 0.15);                     /* EM alone: far is no match */
        assert_true(m1[f * 3 + DD_FAR] > m0[f * 3 + DD_FAR] + 0.1); /* the labels say it can be */
    }
    assert_true(l1 > l0);
    free(known);
    free(lv);
}

static void u_counts_levels_and_skips_missing(void **state)
{
    (void)state;
    signed char lv[] = {DD_FAR,   DD_MISSING, DD_FAR, DD_EXACT,
                        DD_CLOSE, DD_MISSING, DD_FAR, DD_EXACT};
    double u[2 * DD_LEVELS];
    dd_em_u(lv, 4, 2, u);
    /* field 0: far, far, close, far (+0.5 each) of 5.5; field 1: exact twice of 3.5 */
    assert_true(fabs(u[0] - 3.5 / 5.5) < 1e-12);
    assert_true(fabs(u[1] - 1.5 / 5.5) < 1e-12);
    assert_true(fabs(u[2] - 0.5 / 5.5) < 1e-12);
    assert_true(fabs(u[3] - 0.5 / 3.5) < 1e-12);
    assert_true(fabs(u[5] - 2.5 / 3.5) < 1e-12);
}

static void levels_per_method(void **state)
{
    (void)state;
    assert_int_equal(dd_level("text", KT_MATCH_MISSING, NULL, "x"), DD_MISSING);
    assert_int_equal(dd_level("name", 1.0, "anna", "anna"), DD_EXACT);
    assert_int_equal(dd_level("name", 0.93, "anna", "ana"), DD_CLOSE);
    assert_int_equal(dd_level("name", 0.5, "anna", "maria"), DD_FAR);
    assert_int_equal(dd_level("date", 0.8, "19800304", "19800403"), DD_CLOSE);
    assert_int_equal(dd_level("phone", 0.95, "48601234567", "601234567"), DD_EXACT);
    /* a typo in an identifier: the text method scores numbers apart 0, the level is close */
    double s = kt_match_prepared("text", "ab123456", "ab123457");
    assert_true(s == 0);
    assert_int_equal(dd_level("text", s, "ab123456", "ab123457"), DD_CLOSE);
    assert_int_equal(dd_level("exact", 0, "2026", "2062"), DD_CLOSE);
    assert_int_equal(dd_level("text", 0, "ab123456", "zz999999"), DD_FAR);
    assert_int_equal(dd_level("exact", 0, "12", "13"), DD_FAR); /* too short to call a typo */
}

static kt_dedupe_field fields[] = {{"last_name", "exact", 1}, {"email", "email", 1}};

static kt_dedupe_rule rule_of(size_t n)
{
    kt_dedupe_rule r = {0};
    r.entity = "person";
    r.fields = fields;
    r.n = n;
    r.first = r.last = -1;
    return r;
}

/* Agreeing exactly on a value many records hold weighs less than on a rare one. */
static void tf_adjustment(void **state)
{
    (void)state;
    kt_dedupe_rule r = rule_of(1);
    dd_model *m = dd_model_new(1);
    m->lambda = 0.001;
    const double mm[] = {0.05, 0.05, 0.9}, uu[] = {0.98, 0.01, 0.01};
    memcpy(m->f[0].m, mm, sizeof mm);
    memcpy(m->f[0].u, uu, sizeof uu);
    m->f[0].tf.filled = 1000;
    m->f[0].tf.n = 1;
    m->f[0].tf.hash = kt_malloc(sizeof(uint64_t));
    m->f[0].tf.count = kt_malloc(sizeof(uint32_t));
    m->f[0].tf.hash[0] = dd_hash("smith", 0);
    m->f[0].tf.count[0] = 50;
    dd_model_finish(m);
    double parts[1] = {1.0}, bits[1];
    int lv[1];
    const char *smith[] = {"smith"}, *rare[] = {"szczepanczyk"};
    double w_common = dd_model_weight(&r, m, parts, smith, smith, lv, bits);
    assert_int_equal(lv[0], DD_EXACT);
    assert_true(fabs(bits[0] - log2(0.9 / 0.05)) < 1e-9);
    double w_rare = dd_model_weight(&r, m, parts, rare, rare, lv, bits);
    assert_true(fabs(bits[0] - log2(0.9 / 0.001)) < 1e-9); /* held once: 1 / filled */
    assert_true(w_rare > w_common);
    assert_true(dd_model_probability(w_rare) > dd_model_probability(w_common));
    assert_true(dd_model_tf(m, 0, "smith") == 0.05);
    /* close and far are not adjusted */
    parts[0] = 0;
    dd_model_weight(&r, m, parts, smith, rare, lv, bits);
    assert_int_equal(lv[0], DD_FAR);
    assert_true(fabs(bits[0] - log2(0.05 / 0.98)) < 1e-9);
    dd_model_free(m);
}

/* A missing value adds nothing: the weight is the prior's, whatever its m and u say. */
static void missing_is_neutral(void **state)
{
    (void)state;
    kt_dedupe_rule r = rule_of(2);
    dd_model *m = dd_model_new(2);
    m->lambda = 0.01;
    for (size_t f = 0; f < 2; f++) {
        const double mm[] = {0.1, 0.1, 0.8}, uu[] = {0.9, 0.05, 0.05};
        memcpy(m->f[f].m, mm, sizeof mm);
        memcpy(m->f[f].u, uu, sizeof uu);
    }
    dd_model_finish(m);
    double parts[2] = {KT_MATCH_MISSING, KT_MATCH_MISSING}, bits[2];
    int lv[2];
    const char *a[] = {NULL, NULL}, *b[] = {"x", NULL};
    double w = dd_model_weight(&r, m, parts, a, b, lv, bits);
    assert_true(fabs(w - log2(0.01 / 0.99)) < 1e-9);
    assert_int_equal(lv[0], DD_MISSING);
    assert_true(bits[0] == 0 && bits[1] == 0);
    parts[1] = 1; /* one agreeing field: only its weight is added */
    const char *c[] = {NULL, "a@b.pl"};
    double w1 = dd_model_weight(&r, m, parts, c, c, lv, bits);
    assert_true(fabs(w1 - w - log2(0.8 / 0.05)) < 1e-9);
    assert_true(fabs(dd_model_probability(dd_model_logit(0.3)) - 0.3) < 1e-12);
    dd_model_free(m);
}

/* The name pair is one piece of evidence; the area (city, postcode) none; a street that
 * disagrees spoils the address piece. */
static void independent_evidence(void **state)
{
    (void)state;
    kt_dedupe_field f[] = {{"first_name", "name", 2}, {"last_name", "name", 3},
                           {"birth_date", "date", 3}, {"street", "text", 1},
                           {"city", "name", 0.5},     {"postal_code", "exact", 0.5}};
    kt_dedupe_rule r = {0};
    r.entity = "person";
    r.fields = f;
    r.n = 6;
    r.first = 0;
    r.last = 1;
    int agreeing, present;
    /* Julia Smith without a birth date beside one with it */
    const char *a[] = {"julia", "smith", NULL, NULL, NULL, NULL};
    const char *b[] = {"julia", "smith", "19800101", NULL, NULL, NULL};
    int lv1[] = {DD_EXACT, DD_EXACT, DD_MISSING, DD_MISSING, DD_MISSING, DD_MISSING};
    dd_evidence(&r, lv1, a, b, &agreeing, &present);
    assert_int_equal(agreeing, 1);
    assert_int_equal(present, 2);
    /* surname and suburb only: the suburb says nothing, the street on one side is a piece */
    const char *c[] = {NULL, "kowalczyk", NULL, NULL, "bondi", "2026"};
    const char *d[] = {"julia", "kowalczyk", NULL, "12 ocean st", "bondi", "3000"};
    int lv2[] = {DD_MISSING, DD_EXACT, DD_MISSING, DD_MISSING, DD_EXACT, DD_FAR};
    dd_evidence(&r, lv2, c, d, &agreeing, &present);
    assert_int_equal(agreeing, 1);
    assert_int_equal(present, 2);
    /* name and birth date agree: two */
    int lv3[] = {DD_EXACT, DD_CLOSE, DD_EXACT, DD_MISSING, DD_MISSING, DD_MISSING};
    const char *e[] = {"julia", "smith", "19800101", NULL, NULL, NULL};
    dd_evidence(&r, lv3, e, e, &agreeing, &present);
    assert_int_equal(agreeing, 2);
    /* a first name that disagrees spoils the name piece */
    int lv4[] = {DD_FAR, DD_EXACT, DD_EXACT, DD_MISSING, DD_MISSING, DD_MISSING};
    dd_evidence(&r, lv4, e, e, &agreeing, &present);
    assert_int_equal(agreeing, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(em_recovers_known_parameters),
        cmocka_unit_test(em_takes_same_labels_as_matches),
        cmocka_unit_test(u_counts_levels_and_skips_missing),
        cmocka_unit_test(levels_per_method),
        cmocka_unit_test(tf_adjustment),
        cmocka_unit_test(missing_is_neutral),
        cmocka_unit_test(independent_evidence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
