/* The write door through the public API: a real workspace on disk, the built-in schema,
 * declarations, saves that pass and fail, history, archive. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kartoteka/alloc.h"
#include "kartoteka/config.h"
#include "kartoteka/query.h"
#include "kartoteka/save.h"
#include "ws_fixture.h"

typedef struct fixture {
    kt_test_ws t;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    kt_test_ws_open(&f->t, "kt-unit");
    kt_error err;
    kt_field_decl pets = {"person", "pets",
                          "set",    "{\"required\":true,\"options\":[\"dog\",\"cat\",\"none\"]}",
                          "test",   0};
    assert_int_equal(kt_ws_declare_field(f->t.ws, &pets, &err), KT_OK);
    kt_field_decl card = {"person", "card", "text", "{\"pattern\":\"^[0-9]{8}$\",\"unique\":true}",
                          "test",   0};
    assert_int_equal(kt_ws_declare_field(f->t.ws, &card, &err), KT_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    kt_test_ws_close(&f->t);
    free(f);
    return 0;
}

static kt_record *person(const char *first, const char *pets, const char *card)
{
    kt_record *r = kt_record_new("person");
    kt_error err;
    assert_int_equal(kt_record_set(r, "first_name", first, &err), KT_OK);
    if (pets) assert_int_equal(kt_record_set_csv(r, "pets", pets, &err), KT_OK);
    if (card) assert_int_equal(kt_record_set(r, "card", card, &err), KT_OK);
    return r;
}

static void save_and_get(void **state)
{
    fixture *f = *state;
    kt_record *r = person("Łukasz", "cat,dog", "12345678");
    kt_error err;
    kt_failures fails;
    kt_failures_init(&fails);
    assert_int_equal(kt_save(f->t.ws, r, NULL, &fails, &err), KT_OK);
    assert_true(r->id > 0);
    assert_int_equal(fails.n, 0);
    kt_record *got = NULL;
    assert_int_equal(kt_get(f->t.ws, r->id, &got, &err), KT_OK);
    assert_string_equal(kt_record_text(got, "first_name"), "Łukasz");
    const kt_value *pets = kt_record_get(got, "pets");
    assert_int_equal(pets->nitems, 2);
    assert_string_equal(pets->items[0], "dog"); /* stored in the order of the options */
    assert_string_equal(got->state, "active");
    kt_record_free(got);
    kt_record_free(r);
    kt_failures_free(&fails);
}

static void every_failure_listed(void **state)
{
    fixture *f = *state;
    kt_record *r = person("Anna", "lizard", "12ab");
    kt_record_set(r, "birth_date", "2001-02-31", NULL);
    kt_record_set(r, "email", "nope", NULL);
    kt_error err;
    kt_failures fails;
    kt_failures_init(&fails);
    assert_int_equal(kt_save(f->t.ws, r, NULL, &fails, &err), KT_INVALID);
    assert_int_equal(r->id, 0);
    assert_int_equal(kt_failures_errors(&fails), 4);
    const char *rules[] = {"date", "email", "options", "pattern"};
    for (size_t i = 0; i < 4; i++) {
        int seen = 0;
        for (size_t j = 0; j < fails.n; j++)
            seen |= strcmp(fails.items[j].rule, rules[i]) == 0;
        assert_true(seen);
    }
    kt_failures_free(&fails);
    kt_record_free(r);
}

static void unique_and_update(void **state)
{
    fixture *f = *state;
    kt_error err;
    kt_record *a = person("A", "none", "11111111");
    assert_int_equal(kt_save(f->t.ws, a, NULL, NULL, &err), KT_OK);
    kt_record *b = person("B", "none", "11111111");
    assert_int_equal(kt_save(f->t.ws, b, NULL, NULL, &err), KT_INVALID);
    /* an update of the holder itself is fine */
    kt_record *patch = kt_record_new("person");
    patch->id = a->id;
    kt_record_set(patch, "city", "Kraków", NULL);
    assert_int_equal(kt_save(f->t.ws, patch, NULL, NULL, &err), KT_OK);
    int changes = 0;
    kt_record *got = NULL;
    assert_int_equal(kt_get(f->t.ws, a->id, &got, &err), KT_OK);
    assert_string_equal(kt_record_text(got, "card"), "11111111");
    assert_string_equal(kt_record_text(got, "city"), "Kraków");
    (void)changes;
    kt_record_free(got);
    kt_record_free(patch);
    kt_record_free(a);
    kt_record_free(b);
}

static int count_changes(void *ud, const kt_change *c)
{
    (void)c;
    (*(int *)ud)++;
    return 0;
}

static void archive_keeps_history(void **state)
{
    fixture *f = *state;
    kt_error err;
    kt_record *a = person("C", "dog", NULL);
    assert_int_equal(kt_save(f->t.ws, a, NULL, NULL, &err), KT_OK);
    assert_int_equal(kt_archive(f->t.ws, a->id, NULL, &err), KT_OK);
    assert_int_equal(kt_archive(f->t.ws, a->id, NULL, &err), KT_OK); /* idempotent */
    assert_int_equal(kt_restore(f->t.ws, a->id, NULL, &err), KT_OK);
    int n = 0;
    assert_int_equal(kt_history(f->t.ws, a->id, count_changes, &n, &err), KT_OK);
    /* create + first_name + pets + client_status default + archive + restore */
    assert_int_equal(n, 6);
    assert_int_equal(kt_archive(f->t.ws, 987654, NULL, &err), KT_NOTFOUND);
    kt_record_free(a);
}

/* Every core allocation in a save may fail: the save must fail cleanly, leak nothing (ASan
 * checks) and leave the database as it was. */
static void save_survives_allocation_failures(void **state)
{
    fixture *f = *state;
    kt_error err;
    for (unsigned long n = 1; n < 5000; n++) {
        kt_record *r = person("Fault", "dog", NULL);
        kt_alloc_fail_at(n);
        kt_status st = kt_save(f->t.ws, r, NULL, NULL, &err);
        kt_alloc_fail_at(0);
        kt_id id = r->id;
        kt_record_free(r);
        if (st == KT_OK) {
            assert_true(id > 0);
            return;
        }
        assert_true(st == KT_NOMEM || st == KT_INVALID || st == KT_INTERNAL);
        assert_int_equal(kt_store_depth(kt_ws_store(f->t.ws)), 0);
    }
    fail_msg("the save never succeeded");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(save_and_get, setup, teardown),
        cmocka_unit_test_setup_teardown(every_failure_listed, setup, teardown),
        cmocka_unit_test_setup_teardown(unique_and_update, setup, teardown),
        cmocka_unit_test_setup_teardown(archive_keeps_history, setup, teardown),
        cmocka_unit_test_setup_teardown(save_survives_allocation_failures, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
