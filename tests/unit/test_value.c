/* The value parsers: what people type, what is kept, and what is refused in which words. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kartoteka/alloc.h"
#include "kartoteka/value.h"

typedef struct {
    const char *in, *want; /* want NULL: refused, and the message must quote want_msg */
    const char *want_msg;
} text_case;

/* A refusal must name the value: check the message holds the (trimmed) input or a given part. */
static void assert_refused(kt_status st, const kt_error *err, const char *in, const char *part)
{
    if (st != KT_INVALID) fail_msg("\"%s\" was accepted (status %d)", in, st);
    if (!strstr(err->message, part)) fail_msg("message for \"%s\": %s", in, err->message);
}

static void test_date(void **state)
{
    (void)state;
    static const text_case cases[] = {
        {"2024-03-05", "2024-03-05", NULL},
        {"  2024-3-5 ", "2024-03-05", NULL},
        {"\xC2\xA0"
         "05.03.2024",
         "2024-03-05", NULL},
        {"5.3.2024", "2024-03-05", NULL},
        {"2024.03.05", "2024-03-05", NULL},
        {"2024/03/05", "2024-03-05", NULL},
        {"25/03/2024", "2024-03-25", NULL},
        {"03/25/2024", "2024-03-25", NULL}, /* only a US reading is possible */
        {"25-03-2024", "2024-03-25", NULL},
        {"07/07/2024", "2024-07-07", NULL},
        {"29.02.2000", "2000-02-29", NULL},
        {"0001-01-01", "0001-01-01", NULL},
        {"9999-12-31", "9999-12-31", NULL},
        {"31.02.2024", NULL, "\"31.02.2024\" is not a real calendar date"},
        {"29.02.1900", NULL, "February 1900 has 28 days"},
        {"2023-02-29", NULL, "2023-02-29"},
        {"2024-13-01", NULL, "month 13"},
        {"0000-01-01", NULL, "year 0"},
        {"10000-01-01", NULL, "10000-01-01"},
        {"03/04/2024", NULL, "ambiguous"},
        {"25/13/2024", NULL, "month 13"},
        {"05.03.24", NULL, "4 digits"},
        {"2024-03.05", NULL, "2024-03.05"},
        {"2024-03-05T10:00", NULL, "2024-03-05T10:00"},
        {"tomorrow", NULL, "\"tomorrow\" is not a date"},
        {"", NULL, "\"\""},
        {"2024--05", NULL, "2024--05"},
        {NULL, NULL, NULL},
    };
    for (int i = 0; cases[i].in; i++) {
        char out[KT_DATE_SIZE];
        kt_error err;
        kt_error_clear(&err);
        kt_status st = kt_value_parse_date(cases[i].in, out, &err);
        if (cases[i].want) {
            if (st != KT_OK) fail_msg("\"%s\": %s", cases[i].in, err.message);
            assert_string_equal(out, cases[i].want);
        } else {
            assert_refused(st, &err, cases[i].in, cases[i].want_msg);
        }
    }
}

static void test_date_format(void **state)
{
    (void)state;
    static const struct {
        const char *in, *fmt, *want;
    } cases[] = {
        {"05.03.2024", "DD.MM.YYYY", "2024-03-05"},
        {"5.3.2024", "DD.MM.YYYY", "2024-03-05"},
        {"03/05/2024", "MM/DD/YYYY", "2024-03-05"},
        {"20240305", "YYYYMMDD", "2024-03-05"},
        {"05032024", "DDMMYYYY", "2024-03-05"},
        {"5.3.24", "D.M.YY", "2024-03-05"},
        {"5.3.26", "D.M.YY", "2026-03-05"},
        {"5.3.27", "D.M.YY", "1927-03-05"},
        {"17.5.99", "D.M.YY", "1999-05-17"},
        {"2024-03-05", "YYYY-MM-DD", "2024-03-05"},
        {"31.02.2024", "DD.MM.YYYY", NULL},
        {"05/03/2024", "DD.MM.YYYY", NULL},
        {"05.03.2024x", "DD.MM.YYYY", NULL},
        {"5.3.2024", "DDMMYYYY", NULL},
        {"", "DD.MM.YYYY", NULL},
        {NULL, NULL, NULL},
    };
    setenv("KT_TODAY", "2026-06-01", 1);
    for (int i = 0; cases[i].in; i++) {
        char out[KT_DATE_SIZE];
        kt_error err;
        kt_error_clear(&err);
        kt_status st = kt_value_parse_date_format(cases[i].in, cases[i].fmt, out, &err);
        if (cases[i].want) {
            if (st != KT_OK) fail_msg("\"%s\" as %s: %s", cases[i].in, cases[i].fmt, err.message);
            assert_string_equal(out, cases[i].want);
        } else {
            assert_refused(st, &err, cases[i].in, cases[i].in);
        }
    }
    char out[KT_DATE_SIZE];
    kt_error err;
    assert_int_equal(kt_value_parse_date_format("05.03", "DD.MM", out, &err), KT_USAGE);
    assert_int_equal(kt_value_parse_date_format("5", "YYY", out, &err), KT_USAGE);
    assert_int_equal(kt_value_parse_date_format("2024", NULL, out, &err), KT_USAGE);
    assert_int_equal(kt_value_parse_date_format("05.03.2024", "DD.MM.YYYY.YYYY", out, &err),
                     KT_USAGE);
    unsetenv("KT_TODAY");
}

static void test_datetime(void **state)
{
    (void)state;
    static const text_case cases[] = {
        {"2024-03-05 14:30", "2024-03-05T14:30:00", NULL},
        {"2024-03-05T14:30:15", "2024-03-05T14:30:15", NULL},
        {" 2024-03-05   9:05 ", "2024-03-05T09:05:00", NULL},
        {"05.03.2024 23:59:59", "2024-03-05T23:59:59", NULL},
        {"2024-03-05", "2024-03-05T00:00:00", NULL},
        {"2024-03-05 24:00", NULL, "not a real time"},
        {"2024-03-05 12:60", NULL, "2024-03-05 12:60"},
        {"2024-03-05 12:5", NULL, "no valid time"},
        {"2024-03-05T14:30:00.123", NULL, "fractions"},
        {"2024-03-05T14:30:00Z", NULL, "time zone"},
        {"2024-03-05T14:30+02:00", NULL, "time zone"},
        {"2024-02-30 10:00", NULL, "2024-02-30"},
        {"2024-03-05T", NULL, "no valid time"},
        {"2024-03-05 noon", NULL, "noon"},
        /* The whole value is quoted, never the part before a letter t or a space. */
        {"yesterday", NULL, "\"yesterday\" is not a date"},
        {"Tuesday", NULL, "\"Tuesday\" is not a date"},
        {"next week", NULL, "\"next week\" is not a date and time"},
        {"0123456789012345678901234567890123456789", NULL, "012345678901234567890"},
        {NULL, NULL, NULL},
    };
    for (int i = 0; cases[i].in; i++) {
        char out[KT_DATETIME_SIZE];
        kt_error err;
        kt_error_clear(&err);
        kt_status st = kt_value_parse_datetime(cases[i].in, out, &err);
        if (cases[i].want) {
            if (st != KT_OK) fail_msg("\"%s\": %s", cases[i].in, err.message);
            assert_string_equal(out, cases[i].want);
        } else {
            assert_refused(st, &err, cases[i].in, cases[i].want_msg);
        }
    }
}

static void test_integer(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        long long want;
        int ok;
    } cases[] = {
        {"42", 42, 1},
        {" -7 ", -7, 1},
        {"+3", 3, 1},
        {"1 234 567", 1234567, 1},
        {"1\xC2\xA0"
         "234",
         1234, 1},
        {"1'234'567", 1234567, 1},
        {"12.00", 12, 1},
        {"007", 7, 1},
        {"9223372036854775807", LLONG_MAX, 1},
        {"-9223372036854775808", LLONG_MIN, 1},
        {"9223372036854775808", 0, 0},
        {"-9223372036854775809", 0, 0},
        {"99999999999999999999999", 0, 0},
        {"12 34", 0, 0},
        {"1 234'567", 0, 0},
        {"1234 567", 0, 0},
        {"12.5", 0, 0},
        {"1,234", 0, 0},
        {"abc", 0, 0},
        {"", 0, 0},
        {"-", 0, 0},
        {"1e3", 0, 0},
        {"- 5", 0, 0},
        {NULL, 0, 0},
    };
    for (int i = 0; cases[i].in; i++) {
        long long v = -1;
        kt_error err;
        kt_error_clear(&err);
        kt_status st = kt_value_parse_integer(cases[i].in, &v, &err);
        if (cases[i].ok) {
            if (st != KT_OK) fail_msg("\"%s\": %s", cases[i].in, err.message);
            assert_true(v == cases[i].want);
        } else {
            const char *part = cases[i].in[0] == ' ' ? cases[i].in + 1 : cases[i].in;
            assert_refused(st, &err, cases[i].in, part);
        }
    }
    long long v;
    kt_error err;
    assert_int_equal(kt_value_parse_integer("12.5", &v, &err), KT_INVALID);
    assert_string_equal(err.message, "\"12.5\" is not a whole number");
    assert_int_equal(kt_value_parse_integer("9223372036854775808", &v, &err), KT_INVALID);
    assert_non_null(strstr(err.message, "too large"));
}

static void test_decimal(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int scale;
        long long want;
        int ok;
    } cases[] = {
        {"12.5", 2, 1250, 1},
        {"12,50", 2, 1250, 1},
        {"1 234,50", 2, 123450, 1},
        {"-0.01", 2, -1, 1},
        {"+3", 2, 300, 1},
        {".5", 2, 50, 1},
        {"12.", 2, 1200, 1},
        {"12.500", 2, 1250, 1},
        {"1.234,56", 2, 123456, 1},
        {"1,234.56", 2, 123456, 1},
        {"1,234,567.5", 1, 12345675, 1},
        {"-0.00", 2, 0, 1},
        {"92233720368547758.07", 2, LLONG_MAX, 1},
        {"-92233720368547758.08", 2, LLONG_MIN, 1},
        {"0.000000000000000001", 18, 1, 1},
        {"\xE2\x88\x92"
         "5",
         0, -5, 1},
        {"92233720368547758.08", 2, 0, 0},
        {"9223372036854775807", 2, 0, 0},
        {"12.345", 2, 0, 0},
        {"1.2.3", 2, 0, 0},
        {"1,2.3", 2, 0, 0},
        {"abc", 2, 0, 0},
        {".", 2, 0, 0},
        {"12.5a", 2, 0, 0},
        {"12 .5", 2, 0, 0},
        {"1.234.567,5", 1, 12345675, 1},
        {"NaN", 2, 0, 0},
        {"1e2", 2, 0, 0},
        {NULL, 0, 0, 0},
    };
    for (int i = 0; cases[i].in; i++) {
        long long v = -1;
        kt_error err;
        kt_error_clear(&err);
        kt_status st = kt_value_parse_decimal(cases[i].in, cases[i].scale, &v, &err);
        if (cases[i].ok) {
            if (st != KT_OK) fail_msg("\"%s\": %s", cases[i].in, err.message);
            if (v != cases[i].want) fail_msg("\"%s\" gave %lld", cases[i].in, v);
        } else {
            assert_refused(st, &err, cases[i].in, cases[i].in);
        }
    }
    long long v;
    kt_error err;
    assert_int_equal(kt_value_parse_decimal("12.345", 2, &v, &err), KT_INVALID);
    assert_string_equal(err.message, "\"12.345\" has more than 2 decimal places");
    assert_int_equal(kt_value_parse_decimal("1", -1, &v, &err), KT_USAGE);
    assert_int_equal(kt_value_parse_decimal("1", 19, &v, &err), KT_USAGE);
}

static void test_format_decimal(void **state)
{
    (void)state;
    char out[KT_DECIMAL_TEXT_SIZE];
    kt_value_format_decimal(1250, 2, out, sizeof out);
    assert_string_equal(out, "12.50");
    kt_value_format_decimal(-1, 2, out, sizeof out);
    assert_string_equal(out, "-0.01");
    kt_value_format_decimal(0, 2, out, sizeof out);
    assert_string_equal(out, "0.00");
    kt_value_format_decimal(7, 0, out, sizeof out);
    assert_string_equal(out, "7");
    kt_value_format_decimal(LLONG_MIN, 2, out, sizeof out);
    assert_string_equal(out, "-92233720368547758.08");
    kt_value_format_decimal(LLONG_MAX, 18, out, sizeof out);
    assert_string_equal(out, "9.223372036854775807");
    kt_value_format_decimal(5, 18, out, sizeof out);
    assert_string_equal(out, "0.000000000000000005");
    kt_value_format_decimal(1250, 2, out, 4);
    assert_string_equal(out, "12.");
    kt_value_format_decimal(1250, 99, out, sizeof out);
    assert_string_equal(out, "1250");
    /* Parse and format agree on every scale. */
    const long long samples[] = {0, 1, -1, 99, -100, 123456789, LLONG_MAX, LLONG_MIN};
    for (int scale = 0; scale <= KT_DECIMAL_MAX_SCALE; scale++) {
        for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
            long long back;
            kt_value_format_decimal(samples[i], scale, out, sizeof out);
            assert_int_equal(kt_value_parse_decimal(out, scale, &back, NULL), KT_OK);
            assert_true(back == samples[i]);
        }
    }
}

static void test_bool(void **state)
{
    (void)state;
    const char *yes[] = {"true",
                         "TRUE",
                         "Yes",
                         "1",
                         "y",
                         "T",
                         "on",
                         "Tak",
                         " TAK ",
                         "\xD0\xB4\xD0\xB0",
                         "\xD0\x94\xD0\x90",
                         "\xD0\x94\xD0\xB0",
                         NULL};
    const char *no[] = {"false",
                        "No",
                        "0",
                        "N",
                        "f",
                        "OFF",
                        "nie",
                        "NIE",
                        "\xD0\xBD\xD0\xB5\xD1\x82",
                        "\xD0\x9D\xD0\x95\xD0\xA2",
                        NULL};
    for (int i = 0; yes[i]; i++) {
        int v = -1;
        assert_int_equal(kt_value_parse_bool(yes[i], &v, NULL), KT_OK);
        assert_int_equal(v, 1);
    }
    for (int i = 0; no[i]; i++) {
        int v = -1;
        assert_int_equal(kt_value_parse_bool(no[i], &v, NULL), KT_OK);
        assert_int_equal(v, 0);
    }
    const char *bad[] = {
        "maybe", "", "2", "yess", "t r u e", "\xFF", "nein", "truetruetruetruetruetrue", NULL};
    for (int i = 0; bad[i]; i++) {
        int v;
        kt_error err;
        assert_refused(kt_value_parse_bool(bad[i], &v, &err), &err, bad[i], bad[i]);
        assert_non_null(strstr(err.message, "yes/no"));
    }
}

static void check_text(kt_status (*fn)(const char *, char **, kt_error *), const text_case *c)
{
    for (; c->in; c++) {
        char *out = (char *)1;
        kt_error err;
        kt_error_clear(&err);
        kt_status st = fn(c->in, &out, &err);
        if (c->want) {
            if (st != KT_OK) fail_msg("\"%s\": %s", c->in, err.message);
            assert_string_equal(out, c->want);
        } else {
            assert_refused(st, &err, c->in, c->want_msg);
            assert_null(out);
        }
        kt_free(out);
    }
}

static void test_email(void **state)
{
    (void)state;
    static const text_case cases[] = {
        {"  Jan.Kowalski@Example.PL ", "Jan.Kowalski@example.pl", NULL},
        {"mailto:a@b.co", "a@b.co", NULL},
        {"o'brien+crm@mail.example.com", "o'brien+crm@mail.example.com", NULL},
        {"anna@ПОЧТА.РФ", "anna@почта.рф", NULL},
        {"zofia@łódź.pl", "zofia@łódź.pl", NULL},
        {"user@xn--80a1acny.xn--p1ai", "user@xn--80a1acny.xn--p1ai", NULL},
        {"info@مثال.ایران", "info@مثال.ایران", NULL},
        {"jan.kowalski.example.pl", NULL, "has no @"},
        {"a@@b.pl", NULL, "more than one @"},
        {"a@b@c.pl", NULL, "more than one @"},
        {"jan@example", NULL, "domain has no dot"},
        {".jan@example.pl", NULL, "start or end"},
        {"jan.@example.pl", NULL, "start or end"},
        {"ja..n@example.pl", NULL, "two dots"},
        {"jan kowalski@example.pl", NULL, "space"},
        {"jan@example.p", NULL, "2 or more letters"},
        {"jan@example.123", NULL, "2 or more letters"},
        {"jan@-example.pl", NULL, "hyphen"},
        {"jan@example..pl", NULL, "empty part"},
        {"jan@example.pl.", NULL, "empty part"},
        {"jan@ex_ample.pl", NULL, "\"_\""},
        {"@example.pl", NULL, "nothing before"},
        {"jan@", NULL, "has no domain"},
        {"<jan@example.pl>", NULL, "\"<\""},
        {"jan@[127.0.0.1]", NULL, "\"[\""},
        {"\"jan\"@example.pl", NULL, "not allowed before the @"},
        {"jan\xFF@example.pl", NULL, "UTF-8"},
        {"", NULL, "\"\""},
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@x.pl", NULL,
         "64 bytes"},
        {NULL, NULL, NULL},
    };
    check_text(kt_value_check_email, cases);
}

static void test_url(void **state)
{
    (void)state;
    static const text_case cases[] = {
        {"example.com", "https://example.com", NULL},
        {" www.Example.COM/Path?Q=1#Top ", "https://www.example.com/Path?Q=1#Top", NULL},
        {"HTTP://Shop.Example.pl:8080/a", "http://shop.example.pl:8080/a", NULL},
        {"https://sklep.łódź.pl/", "https://sklep.łódź.pl/", NULL},
        {"https://192.168.1.10/admin", "https://192.168.1.10/admin", NULL},
        {"example.com:443", "https://example.com:443", NULL},
        {"ftp://example.com", NULL, "only http and https"},
        {"javascript:alert(1)", NULL, "only http and https"},
        {"mailto:a@b.pl", NULL, "only http and https"},
        {"localhost", NULL, "host has no dot"},
        {"http://localhost:8080", NULL, "host has no dot"},
        {"https://exa mple.com", NULL, "space"},
        {"https://", NULL, "has no host"},
        {"https:///path", NULL, "has no host"},
        {"https://user:pw@example.com", NULL, "user name or password"},
        {"https://example.com:99999", NULL, "port"},
        {"https://example.com:", NULL, "port"},
        {"https://example.com:8o", NULL, "port"},
        {"example.com:abc", NULL, "port"},
        {"shop:8080/a", NULL, "host has no dot"},
        {"https://ex_ample.com", NULL, "\"_\""},
        {"https://example..com", NULL, "empty part"},
        {"", NULL, "has no host"},
        {NULL, NULL, NULL},
    };
    check_text(kt_value_check_url, cases);
}

/* Every error path frees what it took: fail each allocation in turn. */
static void test_email_url_out_of_memory(void **state)
{
    (void)state;
    for (unsigned long n = 1; n < 20; n++) {
        char *out = NULL;
        kt_error err;
        kt_alloc_fail_at(n);
        kt_status st = kt_value_check_email("Jan@Example.PL", &out, &err);
        kt_alloc_fail_at(0);
        assert_true(st == KT_OK || st == KT_NOMEM);
        kt_free(out);
        out = NULL;
        kt_alloc_fail_at(n);
        st = kt_value_check_url("www.example.com/a", &out, &err);
        kt_alloc_fail_at(0);
        assert_true(st == KT_OK || st == KT_NOMEM);
        kt_free(out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date),     cmocka_unit_test(test_date_format),
        cmocka_unit_test(test_datetime), cmocka_unit_test(test_integer),
        cmocka_unit_test(test_decimal),  cmocka_unit_test(test_format_decimal),
        cmocka_unit_test(test_bool),     cmocka_unit_test(test_email),
        cmocka_unit_test(test_url),      cmocka_unit_test(test_email_url_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
