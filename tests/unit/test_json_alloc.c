/* cJSON's allocations go through the core's counting allocator (base/alloc.c), so a fault walk
 * reaches them: failing the next allocation fails the next cJSON object. And the record encoder
 * behind the JSON exports, walked over every allocation, is whole or NULL, never a record with
 * a field left out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "kartoteka/alloc.h"
#include "kartoteka/json.h"
#include "kartoteka/record.h"
#include "ws_fixture.h"

static void cjson_counts_against_the_allocator(void **state)
{
    (void)state;
    kt_alloc_fail_at(0);
    cJSON *ok = cJSON_CreateObject();
    assert_non_null(ok);
    assert_true(kt_alloc_fail_at(1) >= 1); /* the object above was counted */
    assert_null(cJSON_CreateObject());
    kt_alloc_fail_at(0);
    cJSON_Delete(ok);
}

static char *printed(kt_ws *ws, const kt_record *r, const kt_json_record_opts *o)
{
    cJSON *j = kt_json_record(ws, r, o);
    char *s = j ? cJSON_PrintUnformatted(j) : NULL;
    cJSON_Delete(j);
    return s;
}

static void record_json_is_whole_or_null(void **state)
{
    (void)state;
    kt_test_ws t;
    kt_test_ws_open(&t, "kt-json-alloc");
    kt_error err;
    kt_record *r = kt_record_new("person");
    assert_non_null(r);
    const char *tags[] = {"vip", "newsletter", "b2b"};
    assert_int_equal(kt_record_set(r, "first_name", "Ewa", &err), KT_OK);
    assert_int_equal(kt_record_set(r, "last_name", "Kot", &err), KT_OK);
    assert_int_equal(kt_record_set(r, "email", "ewa@example.pl", &err), KT_OK);
    assert_int_equal(kt_record_set_list(r, "tags", tags, 3, &err), KT_OK);
    r->id = 42;
    r->merged_into = 7;
    kt_json_record_opts opts[] = {{0, NULL}, {1, "ws1"}};
    for (size_t k = 0; k < 2; k++) {
        char *whole = printed(t.ws, r, &opts[k]);
        assert_non_null(whole);
        unsigned long n = 1, seen = 0;
        for (;; n++) {
            kt_alloc_fail_at(n);
            cJSON *j = kt_json_record(t.ws, r, &opts[k]);
            seen = kt_alloc_fail_at(0);
            char *s = j ? cJSON_PrintUnformatted(j) : NULL;
            cJSON_Delete(j);
            if (j) assert_string_equal(s, whole); /* a fault must not drop a member */
            cJSON_free(s);
            if (seen < n) break;
        }
        assert_true(n > 10); /* the walk reached cJSON's allocations */
        cJSON_free(whole);
    }
    kt_record_free(r);
    kt_test_ws_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(cjson_counts_against_the_allocator),
                                       cmocka_unit_test(record_json_is_whole_or_null)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
