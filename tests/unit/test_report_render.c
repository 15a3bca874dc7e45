/* The report renderers on hand-made reports: exact decimals, terminal widths, CSV
 * neutralising, JSON numbers and escaping, SVG well-formedness of hostile text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/report.h"

/* A report of n rows of (label TEXT, amount decimal scale 2, ratio REAL digits 2). */
static kt_report *make(size_t n, const char *const *labels, const long long *amounts,
                       const double *ratios)
{
    kt_report *r = kt_calloc(1, sizeof *r);
    r->name = kt_strdup("t");
    r->title = kt_strdup("Test <report> & co");
    kt_report_table *t = &r->table;
    t->ncolumns = 3;
    t->columns = kt_calloc(3, sizeof *t->columns);
    t->columns[0] = (kt_report_column){kt_strdup("label"), 0, -1};
    t->columns[1] = (kt_report_column){kt_strdup("amount"), 2, -1};
    t->columns[2] = (kt_report_column){kt_strdup("ratio"), 0, 2};
    t->nrows = n;
    t->cells = kt_calloc(n * 3, sizeof *t->cells);
    for (size_t i = 0; i < n; i++) {
        t->cells[i * 3] = (kt_report_cell){KT_CELL_TEXT, 0, 0, kt_strdup(labels[i])};
        t->cells[i * 3 + 1] = (kt_report_cell){KT_CELL_INT, amounts[i], 0, NULL};
        t->cells[i * 3 + 2] = (kt_report_cell){KT_CELL_REAL, 0, ratios[i], NULL};
    }
    return r;
}

static char *render(const kt_report *r, kt_report_format f, int width, int raw)
{
    kt_buf b = KT_BUF_INIT;
    kt_error err;
    kt_report_render_opts o = {width, raw};
    assert_int_equal(kt_report_render(r, f, &o, &b, &err), KT_OK);
    return kt_buf_take(&b);
}

static void test_decimal_text(void **state)
{
    (void)state;
    char buf[64];
    assert_string_equal(kt_report_decimal_text(1250, 2, buf, sizeof buf), "12.50");
    assert_string_equal(kt_report_decimal_text(-5, 2, buf, sizeof buf), "-0.05");
    assert_string_equal(kt_report_decimal_text(0, 2, buf, sizeof buf), "0.00");
    assert_string_equal(kt_report_decimal_text(2907670000, 2, buf, sizeof buf), "29076700.00");
    assert_string_equal(kt_report_decimal_text(42, 0, buf, sizeof buf), "42");
    assert_string_equal(kt_report_decimal_text(INT64_MIN, 2, buf, sizeof buf),
                        "-92233720368547758.08");
}

static void test_table_aligns_and_fits(void **state)
{
    (void)state;
    const char *labels[] = {"Żółć", "日本語の名前", "plain"};
    long long amounts[] = {1250, -99, 100000001};
    double ratios[] = {0.5, 0.125, 1.0 / 3};
    kt_report *r = make(3, labels, amounts, ratios);
    char *out = render(r, KT_REPORT_TABLE, 0, 0);
    /* numbers right-aligned to the widest ("1000000.01"), text padded by display width */
    assert_non_null(strstr(out, "Żółć               12.50   0.50\n"));
    assert_non_null(strstr(out, "日本語の名前       -0.99   0.12\n"));
    assert_non_null(strstr(out, "plain         1000000.01   0.33\n"));
    assert_non_null(strstr(out, "(3 rows)"));
    kt_free(out);
    /* 26 columns: the text column is cut with an ellipsis, numbers never */
    out = render(r, KT_REPORT_TABLE, 26, 0);
    assert_non_null(strstr(out, "日本語\xE2\x80\xA6       -0.99   0.12\n"));
    assert_non_null(strstr(out, "1000000.01"));
    kt_free(out);
    kt_report_free(r);
}

static void test_table_never_prints_controls(void **state)
{
    (void)state;
    const char *labels[] = {"evil\x1b[2J\nline"};
    long long amounts[] = {1};
    double ratios[] = {0};
    kt_report *r = make(1, labels, amounts, ratios);
    char *out = render(r, KT_REPORT_TABLE, 0, 0);
    assert_null(strchr(out, '\x1b'));
    assert_non_null(strstr(out, "evil?[2J line"));
    kt_free(out);
    kt_report_free(r);
}

static void test_csv_neutralises(void **state)
{
    (void)state;
    const char *labels[] = {"=1+1", "@x", "+48 600", "-x", "\tt", "ok"};
    long long amounts[] = {-1250, 1, 2, 3, 4, 5};
    double ratios[] = {0.25, 0, 0, 0, 0, 0};
    kt_report *r = make(6, labels, amounts, ratios);
    char *out = render(r, KT_REPORT_CSV, 0, 0);
    assert_string_equal(
        out, "label,amount,ratio\r\n'=1+1,-12.50,0.25\r\n'@x,0.01,0.00\r\n"
             "'+48 600,0.02,0.00\r\n'-x,0.03,0.00\r\n'\tt,0.04,0.00\r\nok,0.05,0.00\r\n");
    kt_free(out);
    out = render(r, KT_REPORT_CSV, 0, 1);
    assert_non_null(strstr(out, "\r\n=1+1,-12.50,0.25\r\n"));
    kt_free(out);
    kt_report_free(r);
}

static void test_json_numbers_and_escapes(void **state)
{
    (void)state;
    const char *labels[] = {"a \"q\" \\ \n\x01 \xff"};
    long long amounts[] = {2907670000};
    double ratios[] = {0.1};
    kt_report *r = make(1, labels, amounts, ratios);
    char *out = render(r, KT_REPORT_JSON, 0, 0);
    assert_string_equal(out, "[\n  {\"label\": \"a \\\"q\\\" \\\\ \\n\\u0001 \\ufffd\", "
                             "\"amount\": 29076700.00, \"ratio\": 0.1}\n]\n");
    kt_free(out);
    kt_report_free(r);
    r = make(0, NULL, NULL, NULL);
    out = render(r, KT_REPORT_JSON, 0, 0);
    assert_string_equal(out, "[]\n");
    kt_free(out);
    kt_report_free(r);
}

static kt_report_chart *chart_of(const kt_report *r, const char *kind)
{
    kt_report_chart *c = kt_calloc(1, sizeof *c);
    c->kind = kt_strdup(kind);
    c->title = kt_strdup(r->title);
    c->label = kt_strdup("label");
    c->value = kt_strdup("amount");
    c->note = kt_strdup("ratio");
    c->beside = kt_calloc(1, sizeof *c->beside);
    c->beside[0] = kt_strdup("won");
    c->nbeside = 1;
    /* the same three columns: copy the table */
    kt_report_table *t = &c->data;
    t->ncolumns = 3;
    t->columns = kt_calloc(3, sizeof *t->columns);
    for (size_t j = 0; j < 3; j++) {
        t->columns[j] = r->table.columns[j];
        t->columns[j].name = kt_strdup(r->table.columns[j].name);
    }
    t->nrows = r->table.nrows;
    t->cells = kt_calloc(t->nrows * 3, sizeof *t->cells);
    for (size_t i = 0; i < t->nrows * 3; i++) {
        t->cells[i] = r->table.cells[i];
        t->cells[i].text = kt_strdup(r->table.cells[i].text);
    }
    return c;
}

static void test_svg(void **state)
{
    (void)state;
    const char *labels[] = {"new", "<script>&", "won"};
    long long amounts[] = {300, 100, 50};
    double ratios[] = {1, 2, 3};
    kt_report *r = make(3, labels, amounts, ratios);
    kt_buf b = KT_BUF_INIT;
    kt_error err;
    assert_int_equal(kt_report_render(r, KT_REPORT_SVG, NULL, &b, &err), KT_INVALID);
    kt_buf_free(&b);
    r->chart = chart_of(r, "funnel");
    char *out = render(r, KT_REPORT_SVG, 0, 0);
    assert_non_null(strstr(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "));
    assert_non_null(strstr(out, "<title>Test &lt;report&gt; &amp; co</title>"));
    assert_non_null(strstr(out, ">new</tspan> 3.00"));
    assert_non_null(strstr(out, ">&lt;script&gt;&amp;</tspan>"));
    assert_null(strstr(out, "<script>"));
    assert_non_null(strstr(out, ">won</tspan>"));
    assert_int_equal(strstr(out, "<polygon") != NULL, 1); /* open stages as trapezoids */
    assert_non_null(strstr(out, "</svg>\n"));
    kt_free(out);
    kt_report_free(r);
    r = make(3, labels, amounts, ratios);
    r->chart = chart_of(r, "bar");
    out = render(r, KT_REPORT_SVG, 0, 0);
    assert_non_null(strstr(out, "<rect x=\"270\""));
    assert_non_null(strstr(out, "&lt;script&gt;&amp;</text>"));
    kt_free(out);
    kt_report_free(r);
}

/* Every allocation of the renderers may fail: they report it and leak nothing. */
static void test_render_allocation_failures(void **state)
{
    (void)state;
    const char *labels[] = {"Żółć", "x"};
    long long amounts[] = {1, 2};
    double ratios[] = {0.5, 0.25};
    kt_report *r = make(2, labels, amounts, ratios);
    r->chart = chart_of(r, "funnel");
    for (int f = KT_REPORT_TABLE; f <= KT_REPORT_SVG; f++) {
        for (unsigned long n = 1; n < 200; n++) {
            kt_buf b = KT_BUF_INIT;
            kt_error err;
            kt_alloc_fail_at(n);
            kt_status st = kt_report_render(r, (kt_report_format)f, NULL, &b, &err);
            unsigned long seen = kt_alloc_fail_at(0);
            kt_buf_free(&b);
            if (st == KT_OK && seen < n) break;
            assert_true(st == KT_NOMEM || st == KT_LIMIT || st == KT_OK);
        }
    }
    kt_report_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimal_text),
        cmocka_unit_test(test_table_aligns_and_fits),
        cmocka_unit_test(test_table_never_prints_controls),
        cmocka_unit_test(test_csv_neutralises),
        cmocka_unit_test(test_json_numbers_and_escapes),
        cmocka_unit_test(test_svg),
        cmocka_unit_test(test_render_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
