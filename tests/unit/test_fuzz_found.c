/* Findings of the fuzz targets (tests/fuzz/), one test each, so a fixed bug stays fixed. The
 * input that found each one is kept in tests/fuzz/corpus/<target>/ as well. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kartoteka/alloc.h"
#include "kartoteka/match.h"

/* kt_match_prepared must score exactly as kt_match_score (match.h). */
static void assert_prepared_equals(const char *method, const char *a, const char *b)
{
    kt_error err;
    char *pa = NULL, *pb = NULL;
    assert_int_equal(kt_match_prepare(method, a, &pa, &err), KT_OK);
    assert_int_equal(kt_match_prepare(method, b, &pb, &err), KT_OK);
    double raw = kt_match_score(method, a, b);
    double prepared = kt_match_prepared(method, pa, pb);
    kt_free(pa);
    kt_free(pb);
    if (raw != prepared)
        fail_msg("%s '%s' / '%s': score %g, prepared %g", method, a, b, raw, prepared);
}

/* fuzz_text, corpus/text/crash_phone_prepared_00: "0000" scored 1 unprepared but -1 prepared:
 * prepare keeps "00" (the leading 00 already read as '+'), and the prepared comparison reads that
 * "00" as a leading 00 again, leaving no digits. */
static void phone_prepared_equals_unprepared(void **state)
{
    (void)state;
    const char *const values[] = {"0000", "00 00", "0048600100200", "+48 600 100 200"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        assert_prepared_equals("phone", values[i], values[i]);
}

/* fuzz_text, corpus/text/crash_date_prepared_control_char: a value that is not a date was
 * prepared by folding, and folding removed the control character that had kept it from parsing:
 * "\x117.05.1980" against "1980-07-05" scored 0 raw but 0.8 (day and month swapped) prepared. */
static void date_prepared_equals_unprepared(void **state)
{
    (void)state;
    assert_prepared_equals("date",
                           "\x11"
                           "7.05.1980",
                           "1980-07-05");
    assert_prepared_equals("date", "7.05.1980", "1980-07-05");
    assert_prepared_equals("date", "not a date", "1980-07-05");
}

/* fuzz_text, corpus/text/crash_email_prepared_mailto_space: the prepared comparison of e-mails
 * canonicalised the canonical forms again, and canonicalising was not idempotent: "mailto: x"
 * became " x", which a second pass trimmed to "x", so " x" against "x" scored 0 raw and 1
 * prepared. Prepared forms are now compared as they are, and the blanks after "mailto:" (and a
 * "<...>" inside it) go in the first pass: "mailto: anna@x.pl" is anna@x.pl. */
static void email_prepared_equals_unprepared(void **state)
{
    (void)state;
    assert_prepared_equals("email", "mailto: \xc5\xbb\xc3\t\xb3\xc5", " \xc5\xbb\xc3\t\xb3\xc5");
    assert_prepared_equals("email", "MAILTO:Anna@X.pl", "anna@x.pl");
    assert_prepared_equals("email", "mailto:<anna@x.pl>", "Anna <anna@x.pl>");
    assert_prepared_equals("email", "mailto:+x@y.pl", "x@y.pl");
    const char *const same[][2] = {{"mailto: anna@x.pl", "anna@x.pl"},
                                   {"MAILTO:Anna@X.pl", "anna@x.pl"},
                                   {"mailto: <anna@x.pl>", "anna@x.pl"}};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        if (kt_match_email(same[i][0], same[i][1]) != 1)
            fail_msg("'%s' and '%s' are one address: %g", same[i][0], same[i][1],
                     kt_match_email(same[i][0], same[i][1]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(phone_prepared_equals_unprepared),
        cmocka_unit_test(date_prepared_equals_unprepared),
        cmocka_unit_test(email_prepared_equals_unprepared),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
