/* The write door's observers (kt_ws_observe_writes): what must follow a written record hears of
 * it from the door, inside the write's transaction, instead of the door calling it by name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/query.h"
#include "kartoteka/save.h"
#include "ws_fixture.h"

typedef struct heard {
    int created, updated;
    kt_id last;
    char email[64]; /* the stored email an update replaced */
    int fail;       /* refuse the next write */
} heard;

static kt_status on_written(void *ud, kt_ws *ws, const kt_record *old, const kt_record *full,
                            kt_error *err)
{
    (void)ws;
    heard *h = ud;
    if (h->fail) return kt_error_set(err, KT_INVALID, "refused by the observer");
    if (old) {
        h->updated++;
        const kt_value *v = kt_record_get(old, "email");
        snprintf(h->email, sizeof h->email, "%s", v && v->text ? v->text : "");
    } else {
        h->created++;
    }
    h->last = full->id;
    return KT_OK;
}

static kt_status save_person(kt_ws *ws, kt_id id, const char *email, kt_id *out)
{
    kt_error err;
    kt_record *r = kt_record_new("person");
    r->id = id;
    kt_record_set(r, "first_name", "Ola", &err);
    kt_record_set(r, "last_name", "Lis", &err);
    kt_record_set(r, "email", email, &err);
    kt_save_opts o = {.source = "test"};
    kt_status st = kt_save(ws, r, &o, NULL, &err);
    *out = r->id;
    kt_record_free(r);
    return st;
}

static void observers_hear_creates_and_changes(void **state)
{
    (void)state;
    kt_test_ws t;
    kt_test_ws_open(&t, "kt-observer");
    kt_error err;
    heard h = {0};
    assert_int_equal(kt_ws_observe_writes(t.ws, on_written, &h, &err), KT_OK);
    assert_int_equal(kt_ws_observe_writes(t.ws, on_written, &h, &err), KT_OK); /* counts once */
    kt_id id;
    assert_int_equal(save_person(t.ws, 0, "ola@example.com", &id), KT_OK);
    assert_int_equal(h.created, 1);
    assert_int_equal(h.last, id);
    kt_id same;
    assert_int_equal(save_person(t.ws, id, "ola@example.com", &same), KT_OK);
    assert_int_equal(h.updated, 0); /* nothing changed, nothing written */
    assert_int_equal(save_person(t.ws, id, "ola.lis@example.com", &same), KT_OK);
    assert_int_equal(h.updated, 1);
    assert_string_equal(h.email, "ola@example.com");
    kt_test_ws_close(&t);
}

static void a_failing_observer_fails_the_save(void **state)
{
    (void)state;
    kt_test_ws t;
    kt_test_ws_open(&t, "kt-observer");
    kt_error err;
    heard h = {.fail = 1};
    assert_int_equal(kt_ws_observe_writes(t.ws, on_written, &h, &err), KT_OK);
    kt_id id;
    assert_int_equal(save_person(t.ws, 0, "ola@example.com", &id), KT_INVALID);
    assert_int_equal(kt_test_ws_value(t.ws, "SELECT count(*) FROM kt_record"), 0);
    kt_test_ws_close(&t);
}

static int count(void *ud, const kt_record *r)
{
    (void)r;
    ++*(int *)ud;
    return 0;
}

/* Search is such an observer: kt_config_apply installs it, and installing it again does not
 * index a record twice (a second entry for a new record's id would fail the save). */
static void search_keeps_its_index_through_the_door(void **state)
{
    (void)state;
    kt_test_ws t;
    kt_test_ws_open(&t, "kt-observer");
    kt_error err;
    assert_int_equal(kt_search_install(t.ws, &err), KT_OK); /* a second time */
    kt_id id;
    assert_int_equal(save_person(t.ws, 0, "ola@example.com", &id), KT_OK);
    int n = 0;
    assert_int_equal(kt_find(t.ws, "Lis", 10, count, &n, &err), KT_OK);
    assert_int_equal(n, 1);
    assert_int_equal(kt_test_ws_value(t.ws, "SELECT count(*) FROM kt_search"), 1);
    kt_test_ws_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(observers_hear_creates_and_changes),
        cmocka_unit_test(a_failing_observer_fails_the_save),
        cmocka_unit_test(search_keeps_its_index_through_the_door),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
