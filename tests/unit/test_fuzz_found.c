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

/* fuzz_text, corpus/text/crash_date_prepared_control_char: a value that is not a date was
 * prepared by folding, and folding removed the control character that had kept it from parsing:
 * "\x117.05.1980" against "1980-07-05" scored 0 raw but 0.8 (day and month swapped) prepared. */
static void date_prepared_equals_unprepared(void **state)
{
    (void)state;
    const char *const pairs[][2] = {{"\x11" "7.05.1980", "1980-07-05"},
                                    {"7.05.1980", "1980-07-05"},
                                    {"not a date", "1980-07-05"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        kt_error err;
        char *pa = NULL, *pb = NULL;
        assert_int_equal(kt_match_prepare("date", pairs[i][0], &pa, &err), KT_OK);
        assert_int_equal(kt_match_prepare("date", pairs[i][1], &pb, &err), KT_OK);
        double raw = kt_match_score("date", pairs[i][0], pairs[i][1]);
        double prepared = kt_match_prepared("date", pa, pb);
        kt_free(pa);
        kt_free(pb);
        if (raw != prepared) fail_msg("date pair %zu: score %g, prepared %g", i, raw, prepared);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(phone_prepared_equals_unprepared),
        cmocka_unit_test(date_prepared_equals_unprepared),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
