/* Duplicates through the public API: the built-in rule, blocking keys that meet for swapped
 * names, scores that ignore missing values, clusters that respect distinct decisions, the
 * on-entry check, merge and unmerge. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dedupe/dd_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/config.h"
#include "kartoteka/dedupe.h"
#include "kartoteka/query.h"
#include "kartoteka/save.h"
#include "ws_fixture.h"

typedef struct fixture {
    kt_test_ws t;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    kt_test_ws_open(&f->t, "kt-dedupe");
    kt_error err;
    assert_int_equal(kt_dedupe_install(f->t.ws, &err), KT_OK);
    *state = f;
    return 0;
}

static kt_id add(kt_ws *ws, const char *first, const char *last, const char *email,
                 const char *birth, int allow)
{
    kt_record *r = kt_record_new("person");
    kt_error err;
    kt_record_set(r, "first_name", first, &err);
    kt_record_set(r, "last_name", last, &err);
    if (email) kt_record_set(r, "email", email, &err);
    if (birth) kt_record_set(r, "birth_date", birth, &err);
    kt_save_opts o = {.source = "test", .allow_duplicate = allow};
    kt_status st = kt_save(ws, r, &o, NULL, &err);
    kt_id id = st == KT_OK ? r->id : -(kt_id)st;
    kt_record_free(r);
    return id;
}

static void builtin_rule(void **state)
{
    fixture *f = *state;
    kt_dedupe_rule *r = NULL;
    kt_error err;
    assert_int_equal(kt_dedupe_rule_get(f->t.ws, "person", &r, &err), KT_OK);
    assert_true(r->builtin);
    assert_true(r->first >= 0 && r->last >= 0);
    assert_true(r->threshold == KT_DEDUPE_THRESHOLD);
    kt_dedupe_rule_free(r);
    assert_int_equal(kt_dedupe_rule_get(f->t.ws, "company", &r, &err), KT_OK);
    kt_dedupe_rule_free(r);
    assert_int_equal(kt_dedupe_rule_get(f->t.ws, "task", &r, &err), KT_NOTFOUND);
    assert_int_equal(kt_dedupe_rule_get(f->t.ws, "nope", &r, &err), KT_NOTFOUND);
}

static void swapped_names_share_a_key(void **state)
{
    fixture *f = *state;
    kt_dedupe_rule *r = NULL;
    kt_error err;
    assert_int_equal(kt_dedupe_rule_get(f->t.ws, "person", &r, &err), KT_OK);
    const char *a[16] = {0}, *b[16] = {0};
    a[r->first] = "Łukasz";
    a[r->last] = "Wiśniewski";
    b[r->first] = "WISNIEWSKI";
    b[r->last] = "Lukasz";
    uint64_t ka[DD_MAX_KEYS], kb[DD_MAX_KEYS];
    int na = dd_record_keys(r, a, ka), nb = dd_record_keys(r, b, kb), shared = 0;
    assert_true(na > 0 && nb > 0);
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++)
            shared += ka[i] == kb[j];
    assert_true(shared > 0);
    kt_dedupe_rule_free(r);
}

static void missing_values_do_not_count(void **state)
{
    fixture *f = *state;
    kt_dedupe_rule *r = NULL;
    kt_error err;
    assert_int_equal(kt_dedupe_rule_get(f->t.ws, "person", &r, &err), KT_OK);
    const char *a[16] = {0}, *b[16] = {0};
    a[r->first] = b[r->first] = "anna";
    a[r->last] = b[r->last] = "nowak";
    assert_true(dd_score(r, a, b, NULL) > 0.99); /* nothing else known: the names decide */
    size_t email = 0;
    while (strcmp(r->fields[email].field, "email") != 0)
        email++;
    a[email] = "anna@a.pl";
    assert_true(dd_score(r, a, b, NULL) > 0.99); /* one side missing: still nothing against */
    b[email] = "zofia@b.pl";
    assert_true(dd_score(r, a, b, NULL) < 0.85); /* a different address counts against */
    size_t order[16];
    dd_order(r, order);
    assert_true(dd_score_cut(r, order, a, b, 0.85) < 0);
    kt_dedupe_rule_free(r);
}

static void entry_check_batch_and_distinct(void **state)
{
    fixture *f = *state;
    kt_id a = add(f->t.ws, "Anna", "Nowak", "anna.nowak@gmail.com", "1980-03-04", 0);
    assert_true(a > 0);
    assert_int_equal(add(f->t.ws, "ANNA", "Nowak", "Anna.Nowak@gmail.com", "04.03.1980", 0),
                     -(kt_id)KT_CONSTRAINT);
    kt_id b = add(f->t.ws, "ANNA", "Nowak", "Anna.Nowak@gmail.com", "04.03.1980", 1);
    kt_id c = add(f->t.ws, "Nowak", "Anna", "anna.nowak@gmail.com", NULL, 1);
    kt_id d = add(f->t.ws, "Zofia", "Kos", "zofia@kos.pl", "1990-01-01", 0);
    assert_true(b > 0 && c > 0 && d > 0);
    kt_dedupe_rule *r = NULL;
    kt_error err;
    assert_int_equal(kt_dedupe_rule_get(f->t.ws, "person", &r, &err), KT_OK);
    kt_dupes dd;
    assert_int_equal(kt_dupes_find(f->t.ws, r, -1, &dd, &err), KT_OK);
    assert_int_equal(dd.n, 1);
    assert_int_equal(dd.clusters[0].n, 3);
    assert_true(dd.clusters[0].ids[0] == a && dd.clusters[0].ids[2] == c);
    kt_dupes_clear(&dd);
    assert_int_equal(kt_dupes_distinct(f->t.ws, a, c, &err), KT_OK);
    assert_int_equal(kt_dupes_find(f->t.ws, r, -1, &dd, &err), KT_OK);
    for (size_t i = 0; i < dd.n; i++) { /* a and c never together */
        int ha = 0, hc = 0;
        for (size_t j = 0; j < dd.clusters[i].n; j++) {
            ha |= dd.clusters[i].ids[j] == a;
            hc |= dd.clusters[i].ids[j] == c;
        }
        assert_false(ha && hc);
    }
    kt_dupes_clear(&dd);
    kt_dedupe_explain e;
    assert_int_equal(kt_dedupe_explain_pair(f->t.ws, r, a, b, &e, &err), KT_OK);
    assert_int_equal(e.n, r->n);
    double sum = 0;
    for (size_t i = 0; i < e.n; i++)
        sum += e.parts[i].contribution;
    assert_true(sum > e.score - 1e-9 && sum < e.score + 1e-9);
    kt_dedupe_explain_clear(&e);
    kt_dedupe_rule_free(r);
}

static void merge_and_unmerge(void **state)
{
    fixture *f = *state;
    kt_id w = add(f->t.ws, "Jan", "Kos", "jan@kos.pl", NULL, 1);
    kt_id l = add(f->t.ws, "Jan", "Kos", "jan2@kos.pl", "1970-01-01", 1);
    kt_record *t = kt_record_new("task");
    kt_error err;
    char lid[32];
    snprintf(lid, sizeof lid, "%lld", l);
    kt_record_set(t, "title", "call", &err);
    kt_record_set(t, "person", lid, &err);
    assert_int_equal(kt_save(f->t.ws, t, NULL, NULL, &err), KT_OK);
    assert_int_equal(kt_merge(f->t.ws, w, &l, 1, NULL, &err), KT_OK);
    kt_record *r = NULL;
    assert_int_equal(kt_get(f->t.ws, w, &r, &err), KT_OK);
    assert_string_equal(kt_record_text(r, "birth_date"), "1970-01-01");
    assert_string_equal(kt_record_text(r, "personal_email"), "jan2@kos.pl");
    kt_record_free(r);
    assert_int_equal(kt_get(f->t.ws, t->id, &r, &err), KT_OK);
    assert_int_equal(strtoll(kt_record_text(r, "person"), NULL, 10), w);
    kt_record_free(r);
    assert_int_equal(kt_get(f->t.ws, l, &r, &err), KT_OK);
    assert_string_equal(r->state, "merged");
    assert_int_equal(r->merged_into, w);
    kt_record_free(r);
    assert_int_equal(kt_unmerge(f->t.ws, l, NULL, &err), KT_OK);
    assert_int_equal(kt_get(f->t.ws, w, &r, &err), KT_OK);
    assert_null(kt_record_text(r, "birth_date"));
    kt_record_free(r);
    assert_int_equal(kt_get(f->t.ws, t->id, &r, &err), KT_OK);
    assert_int_equal(strtoll(kt_record_text(r, "person"), NULL, 10), l);
    kt_record_free(r);
    assert_int_equal(kt_unmerge(f->t.ws, l, NULL, &err), KT_NOTFOUND);
    kt_record_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(builtin_rule, setup, kt_test_ws_teardown),
        cmocka_unit_test_setup_teardown(swapped_names_share_a_key, setup, kt_test_ws_teardown),
        cmocka_unit_test_setup_teardown(missing_values_do_not_count, setup, kt_test_ws_teardown),
        cmocka_unit_test_setup_teardown(entry_check_batch_and_distinct, setup, kt_test_ws_teardown),
        cmocka_unit_test_setup_teardown(merge_and_unmerge, setup, kt_test_ws_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
