/* The access log of personal data through the public API: only pii fields a role that sees
 * them was shown are noted, only inside a request; a request writes one row per record with its
 * fields sorted and each once, however many times and in whatever order they were noted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/auth.h"
#include "ws_fixture.h"

static int setup(void **state)
{
    kt_test_ws *t = calloc(1, sizeof *t);
    kt_test_ws_open(t, "kt-pii-access");
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    kt_test_ws_close(*state);
    free(*state);
    return 0;
}

static void act_as(kt_ws *ws, const char *name, kt_role role)
{
    kt_actor a = {"", role, ""};
    snprintf(a.name, sizeof a.name, "%s", name);
    snprintf(a.source, sizeof a.source, "api:%s", name);
    kt_error err;
    assert_int_equal(kt_auth_set_actor(ws, &a, &err), KT_OK);
}

typedef struct rows {
    int n;
    char last[512]; /* "who role record entity fields route" of the last row */
} rows;

static int on_row(void *ud, const kt_pii_access_info *a)
{
    rows *r = ud;
    r->n++;
    snprintf(r->last, sizeof r->last, "%s %s %lld %s %s %s", a->who, a->role, a->record, a->entity,
             a->fields, a->route);
    return 0;
}

static rows read_log(kt_ws *ws, kt_id id)
{
    rows r = {0, ""};
    kt_error err;
    assert_int_equal(kt_pii_access_each(ws, id, on_row, &r, &err), KT_OK);
    return r;
}

static void test_one_row_per_record(void **state)
{
    kt_ws *ws = ((kt_test_ws *)*state)->ws;
    kt_error err;
    act_as(ws, "sync", KT_ROLE_STAFF);
    kt_pii_access_note(ws, "person", 7, "email"); /* outside a request: nothing */
    assert_int_equal(kt_pii_access_begin(ws, "GET /api/v1/person/7", &err), KT_OK);
    assert_true(kt_pii_access_on(ws));
    for (int i = 0; i < 3; i++) {
        kt_pii_access_note(ws, "person", 7, "mobile");
        kt_pii_access_note(ws, "person", 7, "email");
        kt_pii_access_note(ws, "person", 7, "city"); /* not pii */
        kt_pii_access_note(ws, "person", 7, "nope"); /* not a field */
    }
    kt_pii_access_note(ws, "person", 8, "last_name");
    assert_int_equal(kt_pii_access_end(ws, &err), KT_OK);
    assert_false(kt_pii_access_on(ws));
    rows r = read_log(ws, 7);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.last, "api:sync staff 7 person email,mobile GET /api/v1/person/7");
    assert_int_equal(read_log(ws, 0).n, 2);
    assert_int_equal(read_log(ws, 9).n, 0);
    kt_pii_access_note(ws, "person", 7, "email"); /* after the end: nothing */
    assert_int_equal(kt_pii_access_end(ws, &err), KT_OK);
    assert_int_equal(read_log(ws, 0).n, 2);
}

static void test_masked_reads_are_not_logged(void **state)
{
    kt_ws *ws = ((kt_test_ws *)*state)->ws;
    kt_error err;
    act_as(ws, "vera", KT_ROLE_VIEWER);
    assert_int_equal(kt_pii_access_begin(ws, "GET /e/person/7", &err), KT_OK);
    kt_pii_access_note(ws, "person", 7, "email");
    assert_int_equal(kt_pii_access_end(ws, &err), KT_OK);
    act_as(ws, "owner", KT_ROLE_OWNER);
    assert_int_equal(kt_auth_mask_pii(ws, 1, &err), KT_OK); /* kt list without --show-pii */
    assert_false(kt_auth_sees_pii(ws));
    assert_int_equal(kt_pii_access_begin(ws, "GET /e/person/7", &err), KT_OK);
    kt_pii_access_note(ws, "person", 7, "email");
    assert_int_equal(kt_pii_access_end(ws, &err), KT_OK);
    assert_int_equal(read_log(ws, 0).n, 0);
    assert_int_equal(kt_auth_mask_pii(ws, 0, &err), KT_OK);
    assert_true(kt_auth_sees_pii(ws));
}

/* A long export notes records over and over, in an order of its own: what is kept folds. */
static void test_many_notes_fold(void **state)
{
    kt_ws *ws = ((kt_test_ws *)*state)->ws;
    kt_error err;
    act_as(ws, "mia", KT_ROLE_MANAGER);
    assert_int_equal(kt_pii_access_begin(ws, "GET /e/person", &err), KT_OK);
    static const char *const fields[] = {"first_name", "last_name", "email"};
    for (int pass = 0; pass < 4; pass++)
        for (kt_id id = 3000; id >= 1; id--)
            kt_pii_access_note(ws, "person", id, fields[(id + pass) % 3]);
    assert_int_equal(kt_pii_access_end(ws, &err), KT_OK);
    assert_int_equal(read_log(ws, 0).n, 3000);
    rows r = read_log(ws, 1234);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.last, "api:mia manager 1234 person email,first_name,last_name "
                                "GET /e/person");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_one_row_per_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_masked_reads_are_not_logged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_notes_fold, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
