/* Findings of the fuzz targets (tests/fuzz/), one test each, so a fixed bug stays fixed. The
 * input that found each one is kept in tests/fuzz/corpus/<target>/ as well. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kartoteka/alloc.h"
#include "kartoteka/match.h"

/* fuzz_text, corpus/text/crash_phone_prepared_00: kt_match_prepared must score exactly as
 * kt_match_score (match.h). "0000" scored 1 unprepared but -1 prepared: prepare keeps "00"
 * (the leading 00 already read as '+'), and the prepared comparison reads that "00" as a
 * leading 00 again, leaving no digits. */
static void phone_prepared_equals_unprepared(void **state)
{
    (void)state;
    const char *const values[] = {"0000", "00 00", "0048600100200", "+48 600 100 200"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        kt_error err;
        char *p = NULL;
        assert_int_equal(kt_match_prepare("phone", values[i], &p, &err), KT_OK);
        double raw = kt_match_score("phone", values[i], values[i]);
        double prepared = kt_match_prepared("phone", p, p);
        kt_free(p);
        if (raw != prepared)
            fail_msg("phone '%s': score %g, prepared %g", values[i], raw, prepared);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(phone_prepared_equals_unprepared),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
