/* cJSON's allocations go through the core's counting allocator (base/alloc.c), so a fault walk
 * reaches them: failing the next allocation fails the next cJSON object. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "kartoteka/alloc.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(cjson_counts_against_the_allocator)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
