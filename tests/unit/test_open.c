/* kt_open, the core's composition root: an embedding program that opens a workspace with it
 * gets the write door kt has, with the on-entry duplicate check installed; kt_ws_open alone
 * opens the bare handle. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "kartoteka/open.h"
#include "kartoteka/save.h"
#include "tmp_dir.h"

static kt_status add_anna(kt_ws *ws, const char *email)
{
    kt_record *r = kt_record_new("person");
    kt_error err;
    kt_record_set(r, "first_name", "Anna", &err);
    kt_record_set(r, "last_name", "Nowak", &err);
    kt_record_set(r, "email", email, &err);
    kt_record_set(r, "birth_date", "1980-03-04", &err);
    kt_save_opts o = {.source = "test"};
    kt_status st = kt_save(ws, r, &o, NULL, &err);
    kt_record_free(r);
    return st;
}

static void open_installs_the_duplicate_check(void **state)
{
    (void)state;
    char dir[300];
    snprintf(dir, sizeof dir, "%s/ws", kt_test_dir);
    kt_error err;
    assert_int_equal(kt_ws_create(dir, NULL, &err), KT_OK);
    kt_config_opts o = {0};
    o.skip_workspace = 1;
    kt_ws *ws = NULL;
    assert_int_equal(kt_open(dir, &o, &ws, &err), KT_OK);
    assert_int_equal(add_anna(ws, "anna.nowak@gmail.com"), KT_OK);
    assert_int_equal(add_anna(ws, "Anna.Nowak@gmail.com"), KT_CONSTRAINT);
    kt_ws_close(ws);

    /* the bare handle has no duplicate check: the same record goes in */
    assert_int_equal(kt_ws_open(dir, &ws, &err), KT_OK);
    assert_int_equal(kt_config_apply(ws, &o, &err), KT_OK);
    assert_int_equal(add_anna(ws, "anna.nowak@gmail.com"), KT_OK);
    kt_ws_close(ws);
}

static void open_failure_leaves_nothing_open(void **state)
{
    (void)state;
    char dir[300];
    snprintf(dir, sizeof dir, "%s/missing/deeper", kt_test_dir);
    kt_error err;
    kt_config_opts o = {0};
    kt_ws *ws = (kt_ws *)&err; /* must come back NULL */
    assert_int_not_equal(kt_open(dir, &o, &ws, &err), KT_OK);
    assert_null(ws);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(open_installs_the_duplicate_check),
        cmocka_unit_test(open_failure_leaves_nothing_open),
    };
    return cmocka_run_group_tests(tests, kt_test_dir_setup, kt_test_dir_teardown);
}
