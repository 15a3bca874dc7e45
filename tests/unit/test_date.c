/* Calendar arithmetic and the clock: day numbers, month arithmetic, anniversaries, overrides. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kartoteka/date.h"

static void test_leap_years(void **state)
{
    (void)state;
    assert_false(kt_date_is_leap(1900));
    assert_true(kt_date_is_leap(2000));
    assert_true(kt_date_is_leap(2024));
    assert_false(kt_date_is_leap(2023));
    assert_false(kt_date_is_leap(2100));
    assert_int_equal(kt_date_days_in_month(1900, 2), 28);
    assert_int_equal(kt_date_days_in_month(2000, 2), 29);
    assert_int_equal(kt_date_days_in_month(2023, 4), 30);
    assert_int_equal(kt_date_days_in_month(2023, 12), 31);
    assert_int_equal(kt_date_days_in_month(2023, 13), 0);
    assert_int_equal(kt_date_days_in_month(2023, 0), 0);
}

static void test_known_day_numbers(void **state)
{
    (void)state;
    long d = 1;
    kt_error err;
    assert_int_equal(kt_date_days("1970-01-01", &d, &err), KT_OK);
    assert_int_equal(d, 0);
    assert_int_equal(kt_date_days("2000-03-01", &d, &err), KT_OK);
    assert_int_equal(d, 11017);
    assert_int_equal(kt_date_days("1969-12-31", &d, &err), KT_OK);
    assert_int_equal(d, -1);
    assert_int_equal(kt_date_days("0001-01-01", &d, &err), KT_OK);
    assert_int_equal(d, KT_DATE_MIN_DAYS);
    assert_int_equal(kt_date_days("9999-12-31", &d, &err), KT_OK);
    assert_int_equal(d, KT_DATE_MAX_DAYS);
    char out[KT_DATE_SIZE];
    kt_date_from_days(19787, out);
    assert_string_equal(out, "2024-03-05");
    kt_date_from_days(KT_DATE_MAX_DAYS + 1, out);
    assert_string_equal(out, "");
    kt_date_from_days(KT_DATE_MIN_DAYS - 1, out);
    assert_string_equal(out, "");
}

static void test_bad_canonical_dates(void **state)
{
    (void)state;
    const char *bad[] = {"2023-02-29", "1900-02-29",  "2024-13-01", "2024-00-10",
                         "0000-01-01", "2024-1-01",   "05.03.2024", "2024-04-31",
                         "",           "2024-03-05x", NULL};
    for (int i = 0; bad[i]; i++) {
        long d;
        kt_error err;
        kt_error_clear(&err);
        assert_int_equal(kt_date_days(bad[i], &d, &err), KT_INVALID);
        assert_non_null(strstr(err.message, bad[i]));
    }
    long d;
    assert_int_equal(kt_date_days("2000-02-29", &d, NULL), KT_OK);
    assert_int_equal(kt_date_days(NULL, &d, NULL), KT_INVALID);
}

/* Every day of years 1..9999 survives the trip, and consecutive days are consecutive numbers. */
static void test_round_trip_all_days(void **state)
{
    (void)state;
    long expect = KT_DATE_MIN_DAYS;
    for (int y = 1; y <= 9999; y++) {
        for (int m = 1; m <= 12; m++) {
            for (int d = 1; d <= kt_date_days_in_month(y, m); d++) {
                long n = kt_date_from_civil(y, m, d);
                if (n != expect)
                    fail_msg("%04d-%02d-%02d -> %ld, expected %ld", y, m, d, n, expect);
                int y2, m2, d2;
                kt_date_to_civil(n, &y2, &m2, &d2);
                if (y2 != y || m2 != m || d2 != d) fail_msg("%ld does not come back", n);
                expect++;
            }
        }
    }
    assert_int_equal(expect - 1, KT_DATE_MAX_DAYS);
    assert_int_equal(kt_date_year(0), 1970);
    assert_int_equal(kt_date_month(31), 2);
    assert_int_equal(kt_date_day(31), 1);
}

static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(kt_date_weekday(0), 4); /* 1970-01-01, Thursday */
    assert_int_equal(kt_date_weekday(-1), 3);
    assert_int_equal(kt_date_weekday(-4), 7);
    long d;
    assert_int_equal(kt_date_days("2024-03-04", &d, NULL), KT_OK);
    assert_int_equal(kt_date_weekday(d), 1);
    assert_int_equal(kt_date_days("2000-01-01", &d, NULL), KT_OK);
    assert_int_equal(kt_date_weekday(d), 6);
    assert_int_equal(kt_date_weekday(KT_DATE_MIN_DAYS), 1); /* 0001-01-01 was a Monday */
}

static void test_add_days(void **state)
{
    (void)state;
    char out[KT_DATE_SIZE];
    kt_error err;
    assert_int_equal(kt_date_add_days("2024-02-28", 1, out, &err), KT_OK);
    assert_string_equal(out, "2024-02-29");
    assert_int_equal(kt_date_add_days("2023-02-28", 1, out, &err), KT_OK);
    assert_string_equal(out, "2023-03-01");
    assert_int_equal(kt_date_add_days("2024-01-01", -1, out, &err), KT_OK);
    assert_string_equal(out, "2023-12-31");
    assert_int_equal(kt_date_add_days("2024-03-05", 7, out, &err), KT_OK);
    assert_string_equal(out, "2024-03-12");
    assert_int_equal(kt_date_add_days("9999-12-31", 1, out, &err), KT_INVALID);
    assert_non_null(strstr(err.message, "9999-12-31"));
    assert_int_equal(kt_date_add_days("0001-01-01", -1, out, &err), KT_INVALID);
    assert_int_equal(kt_date_add_days("2024-01-01", 9223372036854775807L, out, &err), KT_INVALID);
    assert_int_equal(kt_date_add_days("2024-01-01", -9223372036854775807L - 1, out, &err),
                     KT_INVALID);
    assert_int_equal(kt_date_add_days("2024-02-30", 1, out, &err), KT_INVALID);
}

static void test_add_months(void **state)
{
    (void)state;
    char out[KT_DATE_SIZE];
    kt_error err;
    assert_int_equal(kt_date_add_months("2024-01-31", 1, out, &err), KT_OK);
    assert_string_equal(out, "2024-02-29");
    assert_int_equal(kt_date_add_months("2023-01-31", 1, out, &err), KT_OK);
    assert_string_equal(out, "2023-02-28");
    assert_int_equal(kt_date_add_months("2024-03-31", -1, out, &err), KT_OK);
    assert_string_equal(out, "2024-02-29");
    assert_int_equal(kt_date_add_months("2024-11-15", 2, out, &err), KT_OK);
    assert_string_equal(out, "2025-01-15");
    assert_int_equal(kt_date_add_months("2024-01-15", -13, out, &err), KT_OK);
    assert_string_equal(out, "2022-12-15");
    assert_int_equal(kt_date_add_months("2024-02-29", 12, out, &err), KT_OK);
    assert_string_equal(out, "2025-02-28");
    assert_int_equal(kt_date_add_months("9999-12-01", 1, out, &err), KT_INVALID);
    assert_int_equal(kt_date_add_months("0001-01-01", -1, out, &err), KT_INVALID);
    assert_int_equal(kt_date_add_months("2024-01-01", 9223372036854775807L, out, &err), KT_INVALID);
    assert_int_equal(kt_date_add_months("garbage", 1, out, &err), KT_INVALID);
    assert_non_null(strstr(err.message, "garbage"));
}

static void test_anniversary(void **state)
{
    (void)state;
    assert_true(kt_date_anniversary("1990-05-17", "2024-05-17"));
    assert_true(kt_date_anniversary("1990-05-17", "1990-05-17"));
    assert_false(kt_date_anniversary("1990-05-17", "1989-05-17"));
    assert_false(kt_date_anniversary("1990-05-17", "2024-05-18"));
    /* 29 February: the 28th in common years, the 29th in leap years, never 1 March. */
    assert_true(kt_date_anniversary("2000-02-29", "2023-02-28"));
    assert_false(kt_date_anniversary("2000-02-29", "2023-03-01"));
    assert_true(kt_date_anniversary("2000-02-29", "2024-02-29"));
    assert_false(kt_date_anniversary("2000-02-29", "2024-02-28"));
    assert_true(kt_date_anniversary("2000-02-29", "2100-02-28")); /* 2100 is not leap */
    assert_false(kt_date_anniversary("2001-02-28", "2024-02-29"));
    assert_true(kt_date_anniversary("2001-02-28", "2024-02-28"));
    assert_false(kt_date_anniversary("bad", "2024-02-28"));
    assert_false(kt_date_anniversary("2000-02-29", NULL));
}

static void test_years_between(void **state)
{
    (void)state;
    assert_int_equal(kt_date_years_between("1990-05-17", "2024-05-16"), 33);
    assert_int_equal(kt_date_years_between("1990-05-17", "2024-05-17"), 34);
    assert_int_equal(kt_date_years_between("2000-02-29", "2023-02-27"), 22);
    assert_int_equal(kt_date_years_between("2000-02-29", "2023-02-28"), 23);
    assert_int_equal(kt_date_years_between("2000-02-29", "2024-02-28"), 23);
    assert_int_equal(kt_date_years_between("2000-02-29", "2024-02-29"), 24);
    assert_int_equal(kt_date_years_between("2024-01-01", "2024-01-01"), 0);
    assert_int_equal(kt_date_years_between("2024-01-02", "2024-01-01"), -1);
    assert_int_equal(kt_date_years_between("x", "2024-01-01"), -1);
}

static void test_today_overrides(void **state)
{
    (void)state;
    char day[KT_DATE_SIZE], now[KT_DATETIME_SIZE];
    kt_error err;
    unsetenv("KT_NOW");
    setenv("KT_TODAY", "2024-02-29", 1);
    assert_int_equal(kt_date_today(NULL, day, &err), KT_OK);
    assert_string_equal(day, "2024-02-29");
    assert_int_equal(kt_date_today("Asia/Tehran", day, &err), KT_OK);
    assert_string_equal(day, "2024-02-29");
    assert_int_equal(kt_date_now("UTC", now, &err), KT_OK);
    assert_memory_equal(now, "2024-02-29T", 11);
    assert_int_equal(strlen(now), 19);

    setenv("KT_NOW", "2024-03-05T14:30:00", 1);
    unsetenv("KT_TODAY");
    assert_int_equal(kt_date_now(NULL, now, &err), KT_OK);
    assert_string_equal(now, "2024-03-05T14:30:00");
    assert_int_equal(kt_date_today(NULL, day, &err), KT_OK);
    assert_string_equal(day, "2024-03-05");

    setenv("KT_TODAY", "2023-02-29", 1);
    assert_int_equal(kt_date_today(NULL, day, &err), KT_INVALID);
    assert_non_null(strstr(err.message, "KT_TODAY"));
    assert_non_null(strstr(err.message, "2023-02-29"));
    setenv("KT_NOW", "yesterday", 1);
    unsetenv("KT_TODAY");
    assert_int_equal(kt_date_now(NULL, now, &err), KT_INVALID);
    assert_non_null(strstr(err.message, "KT_NOW"));
    unsetenv("KT_NOW");
}

static void test_today_clock_and_zones(void **state)
{
    (void)state;
    char day[KT_DATE_SIZE], now[KT_DATETIME_SIZE];
    kt_error err;
    unsetenv("KT_NOW");
    unsetenv("KT_TODAY");
    setenv("TZ", "Europe/Warsaw", 1);
    assert_int_equal(kt_date_today(NULL, day, &err), KT_OK);
    long d;
    assert_int_equal(kt_date_days(day, &d, &err), KT_OK);
    assert_int_equal(kt_date_today("UTC", day, &err), KT_OK);
    assert_int_equal(kt_date_now("Pacific/Kiritimati", now, &err), KT_OK);
    assert_int_equal(strlen(now), 19);
    assert_int_equal(now[10], 'T');
    /* The caller's TZ is put back. */
    assert_string_equal(getenv("TZ"), "Europe/Warsaw");
    unsetenv("TZ");
    assert_int_equal(kt_date_today("Europe/Warsaw", day, &err), KT_OK);
    assert_null(getenv("TZ"));

    assert_int_equal(kt_date_today("Mars/Olympus_Mons", day, &err), KT_INVALID);
    assert_non_null(strstr(err.message, "Mars/Olympus_Mons"));
    assert_int_equal(kt_date_today("../../etc/passwd", day, &err), KT_INVALID);
    assert_int_equal(kt_date_today("/etc/localtime", day, &err), KT_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_known_day_numbers),
        cmocka_unit_test(test_bad_canonical_dates),
        cmocka_unit_test(test_round_trip_all_days),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_add_days),
        cmocka_unit_test(test_add_months),
        cmocka_unit_test(test_anniversary),
        cmocka_unit_test(test_years_between),
        cmocka_unit_test(test_today_overrides),
        cmocka_unit_test(test_today_clock_and_zones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
