/* The json and ndjson readers: values, types, nesting, streaming, errors and limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kartoteka/read.h"
#include "read_fixture.h"
#include "tmp_dir.h"

static void json_array(void **state)
{
    const char *p = kt_test_put_text(
        "a.json", "\xEF\xBB\xBF[\n {\"name\": \"Ala \\\"A\\\"\\nB\", \"age\": 42,\n"
                  "  \"score\": 12.5, \"big\": 1e300, \"neg\": -0.1, \"ok\": true,\n"
                  "  \"no\": false, \"gone\": null, \"tags\": [\"a\", {\"b\": 1}],\n"
                  "  \"city\": \"Łódź ]}\" },\n"
                  " {\"name\": \"Кира\"}, {}\n]\n");
    kt_reader *rd = kt_test_open(NULL, p, NULL);
    const kt_read_row *r = kt_test_next(rd);
    assert_int_equal(r->line, 2);
    assert_string_equal(kt_test_get(r, "name"), "Ala \"A\"\nB");
    assert_string_equal(kt_test_get(r, "age"), "42");
    assert_string_equal(kt_test_get(r, "score"), "12.5");
    assert_string_equal(kt_test_get(r, "big"), "1e+300");
    assert_string_equal(kt_test_get(r, "neg"), "-0.1");
    assert_string_equal(kt_test_get(r, "ok"), "true");
    assert_string_equal(kt_test_get(r, "no"), "false");
    assert_null(kt_test_get(r, "gone"));
    assert_string_equal(kt_test_get(r, "tags"), "[\"a\",{\"b\":1}]");
    assert_string_equal(kt_test_get(r, "city"), "Łódź ]}");
    assert_true(r->raw == r->values);
    r = kt_test_next(rd);
    assert_int_equal(r->line, 6);
    assert_int_equal(r->record, 2);
    assert_string_equal(kt_test_get(r, "name"), "Кира");
    r = kt_test_next(rd);
    assert_int_equal(r->count, 0);
    assert_non_null(r->keys);
    const kt_read_row *end;
    kt_error err;
    assert_int_equal(kt_reader_next(rd, &end, &err), KT_NOTFOUND);
    kt_reader_close(rd);
    assert_string_equal(kt_read_sniff(kt_test_put_text("x", "{\"a\": 1}\n{\"a\": 2}\n")), "ndjson");
    assert_string_equal(kt_read_sniff(kt_test_put_text("y", "{\n  \"a\": 1\n}\n")), "json");
    p = kt_test_put_text("one.json", "{\"a\": \"b\"}");
    rd = kt_test_open("json", p, NULL);
    assert_string_equal(kt_test_get(kt_test_next(rd), "a"), "b");
    assert_int_equal(kt_reader_next(rd, &end, &err), KT_NOTFOUND);
    kt_reader_close(rd);
}

static void json_errors(void **state)
{
    kt_error err;
    const char *p = kt_test_put_text("bad.json", "[\n{\"a\": 1},\n{\"a\": }\n]");
    assert_int_equal(kt_test_read_all(NULL, p, NULL, &err), KT_INVALID);
    assert_non_null(strstr(err.message, "line 3"));
    p = kt_test_put_text("cut.json", "[{\"a\": 1},\n{\"a\": \"x");
    assert_int_equal(kt_test_read_all(NULL, p, NULL, &err), KT_INVALID);
    p = kt_test_put_text("scalar.json", "[1, 2]");
    assert_int_equal(kt_test_read_all(NULL, p, NULL, &err), KT_INVALID);
    p = kt_test_put_text("trail.json", "[{}] x");
    assert_int_equal(kt_test_read_all(NULL, p, NULL, &err), KT_INVALID);
    char deep[400] = "[{\"a\": ";
    for (int i = 0; i < 100; i++)
        strcat(deep, "[");
    for (int i = 0; i < 100; i++)
        strcat(deep, "]");
    strcat(deep, "}]");
    p = kt_test_put_text("deep.json", deep);
    assert_int_equal(kt_test_read_all(NULL, p, NULL, &err), KT_LIMIT);
    assert_non_null(strstr(err.message, "max_depth"));
    kt_read_opts o = {.max_depth = 200};
    assert_int_equal(kt_test_read_all(NULL, p, &o, &err), KT_NOTFOUND);
    kt_read_opts small = {.max_record = 50};
    p = kt_test_put_text("long.json",
                         "[{\"a\": \"0123456789012345678901234567890123456789012345678901\"}]");
    assert_int_equal(kt_test_read_all(NULL, p, &small, &err), KT_LIMIT);
    assert_non_null(strstr(err.message, "max_record"));
    kt_read_opts cell = {.max_cell = 10};
    assert_int_equal(kt_test_read_all(NULL, p, &cell, &err), KT_LIMIT);
    assert_non_null(strstr(err.message, "max_cell"));
}

static void ndjson(void **state)
{
    const char *p =
        kt_test_put_text("a.ndjson", "{\"id\": 1, \"n\": \"x\"}\r\n\n{\"id\": 2.25, \"n\": null}\n"
                                     "{\"id\": 3}");
    kt_reader *rd = kt_test_open(NULL, p, NULL);
    const kt_read_row *r = kt_test_next(rd);
    assert_string_equal(kt_test_get(r, "id"), "1");
    assert_int_equal(r->line, 1);
    r = kt_test_next(rd);
    assert_string_equal(kt_test_get(r, "id"), "2.25");
    assert_null(kt_test_get(r, "n"));
    assert_int_equal(r->line, 3);
    r = kt_test_next(rd);
    assert_int_equal(r->line, 4);
    kt_error err;
    assert_int_equal(kt_reader_next(rd, &r, &err), KT_NOTFOUND);
    kt_reader_close(rd);
    p = kt_test_put_text("bad.jsonl", "{\"a\": 1}\n[1]\n");
    assert_int_equal(kt_test_read_all(NULL, p, NULL, &err), KT_INVALID);
    assert_non_null(strstr(err.message, "line 2"));
    p = kt_test_put_text("bad2.jsonl", "{\"a\": 1}\n{\"a\": 1,\n");
    assert_int_equal(kt_test_read_all(NULL, p, NULL, &err), KT_INVALID);
    assert_non_null(strstr(err.message, "line 2"));
}

/* "\u0000" used to cut a value short in silence (cJSON ends the C string there): it is
 * refused, naming the line; an escaped backslash before "u0000" is plain text. */
static void nul_escape(void **state)
{
    kt_error err;
    const char *p = kt_test_put_text(
        "nul.json", "[\n{\"a\": \"ok\"},\n{\"a\": \"x\",\n \"b\": \"abc\\u0000def\"}\n]");
    assert_int_equal(kt_test_read_all("json", p, NULL, &err), KT_INVALID);
    assert_non_null(strstr(err.message, "line 4"));
    assert_non_null(strstr(err.message, "\\u0000"));
    p = kt_test_put_text("nul.ndjson", "{\"a\": \"ok\"}\n{\"k\\u0000\": 1}\n");
    assert_int_equal(kt_test_read_all("ndjson", p, NULL, &err), KT_INVALID);
    assert_non_null(strstr(err.message, "line 2"));
    p = kt_test_put_text("bs.ndjson", "{\"a\": \"c:\\\\u0000\\\\x\"}\n");
    kt_reader *rd = kt_test_open("ndjson", p, NULL);
    assert_string_equal(kt_test_get(kt_test_next(rd), "a"), "c:\\u0000\\x");
    kt_reader_close(rd);
}

/* Many rows: each element parsed alone, whatever the file size. */
static void json_streaming(void **state)
{
    char path[512];
    snprintf(path, sizeof path, "%s/many.json", kt_test_dir);
    FILE *f = fopen(path, "wb");
    fputs("[", f);
    for (int i = 0; i < 20000; i++)
        fprintf(f, "%s{\"i\": %d, \"s\": \"v%d\"}\n", i ? "," : "", i, i);
    fputs("]", f);
    fclose(f);
    kt_reader *rd = kt_test_open(NULL, path, NULL);
    const kt_read_row *r;
    kt_error err;
    int n = 0;
    char want[32];
    while (kt_reader_next(rd, &r, &err) == KT_OK) {
        snprintf(want, sizeof want, "%d", n);
        assert_string_equal(kt_test_get(r, "i"), want);
        assert_int_equal(r->line, n + 1);
        n++;
    }
    assert_int_equal(n, 20000);
    kt_reader_close(rd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_array), cmocka_unit_test(json_errors),    cmocka_unit_test(ndjson),
        cmocka_unit_test(nul_escape), cmocka_unit_test(json_streaming),
    };
    return cmocka_run_group_tests(tests, kt_test_dir_setup, kt_test_dir_teardown);
}
