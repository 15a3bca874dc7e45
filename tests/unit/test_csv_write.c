/* CSV writing: RFC 4180 quoting and the neutralising of spreadsheet formulas. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "kartoteka/csv_write.h"

static void cell(const char *in, char delim, int neutralise, const char *want)
{
    kt_buf b = KT_BUF_INIT;
    kt_error err;
    assert_int_equal(kt_csv_write_cell(&b, in, delim, neutralise, &err), KT_OK);
    assert_string_equal(kt_buf_str(&b), want);
    kt_buf_free(&b);
}

static void quoting(void **state)
{
    cell("plain", ',', 0, "plain");
    cell(NULL, ',', 0, "");
    cell("", ',', 0, "");
    cell("a,b", ',', 0, "\"a,b\"");
    cell("a,b", ';', 0, "a,b");
    cell("a;b", ';', 0, "\"a;b\"");
    cell("tab\there", '\t', 0, "\"tab\there\"");
    cell("say \"hi\"", ',', 0, "\"say \"\"hi\"\"\"");
    cell("two\r\nlines", ',', 0, "\"two\r\nlines\"");
    cell("Zażółć gęślą jaźń", ',', 0, "Zażółć gęślą jaźń");
}

static void neutralising(void **state)
{
    cell("=1+2", ',', 1, "'=1+2");
    cell("=1+2", ',', 0, "=1+2");
    cell("+cmd", ',', 1, "'+cmd");
    cell("-2+3", ',', 1, "'-2+3");
    cell("@SUM(A1)", ',', 1, "'@SUM(A1)");
    cell("\tx", ',', 1, "'\tx");
    cell("\rx", ',', 1, "\"'\rx\"");
    cell("=HYPERLINK(\"http://x\",\"y\")", ',', 1, "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    cell("-12.50", ',', 1, "-12.50");
    cell("-12,50", ';', 1, "-12,50");
    cell("+48123456789", ',', 1, "+48123456789");
    cell("-", ',', 1, "'-");
    cell("-12.", ',', 1, "'-12.");
    cell("a=b", ',', 1, "a=b");
    assert_true(kt_csv_is_dangerous("=x"));
    assert_false(kt_csv_is_dangerous("-3"));
    assert_false(kt_csv_is_dangerous(NULL));
}

static void rows_and_limits(void **state)
{
    kt_buf b = KT_BUF_INIT;
    kt_error err;
    const char *v[] = {"1", NULL, "x,y", "=2"};
    assert_int_equal(kt_csv_write_row(&b, v, 4, ',', 1, &err), KT_OK);
    assert_string_equal(kt_buf_str(&b), "1,,\"x,y\",'=2\r\n");
    b.max = b.len + 5;
    size_t before = b.len;
    assert_int_equal(kt_csv_write_row(&b, v, 4, ',', 1, &err), KT_LIMIT);
    assert_int_equal(b.len, before);
    assert_string_equal(kt_buf_str(&b), "1,,\"x,y\",'=2\r\n");
    kt_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quoting),
        cmocka_unit_test(neutralising),
        cmocka_unit_test(rows_and_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
