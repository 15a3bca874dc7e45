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

static char dir[256];

static const char *put(const char *name, const char *s)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(s, f);
    fclose(f);
    return path;
}

static kt_reader *open_fmt(const char *fmt, const char *path, const kt_read_opts *o)
{
    kt_reader *rd = NULL;
    kt_error err;
    kt_status st = kt_reader_open(NULL, path, fmt, o, &rd, &err);
    if (st) print_error("%s\n", err.message);
    assert_int_equal(st, KT_OK);
    return rd;
}

static const kt_read_row *next_ok(kt_reader *rd)
{
    const kt_read_row *row;
    kt_error err;
    kt_status st = kt_reader_next(rd, &row, &err);
    if (st) print_error("%s\n", err.message);
    assert_int_equal(st, KT_OK);
    return row;
}

static const char *get(const kt_read_row *r, const char *key)
{
    for (size_t i = 0; i < r->count; i++)
        if (!strcmp(r->keys[i], key)) return r->values[i];
    return "(missing)";
}

static kt_status read_all(const char *fmt, const char *path, const kt_read_opts *o, kt_error *err)
{
    kt_reader *rd = NULL;
    kt_status st = kt_reader_open(NULL, path, fmt, o, &rd, err);
    const kt_read_row *row;
    while (!st)
        st = kt_reader_next(rd, &row, err);
    kt_reader_close(rd);
    return st;
}

static void json_array(void **state)
{
    const char *p =
        put("a.json", "\xEF\xBB\xBF[\n {\"name\": \"Ala \\\"A\\\"\\nB\", \"age\": 42,\n"
                      "  \"score\": 12.5, \"big\": 1e300, \"neg\": -0.1, \"ok\": true,\n"
                      "  \"no\": false, \"gone\": null, \"tags\": [\"a\", {\"b\": 1}],\n"
                      "  \"city\": \"Łódź ]}\" },\n"
                      " {\"name\": \"Кира\"}, {}\n]\n");
    kt_reader *rd = open_fmt(NULL, p, NULL);
    const kt_read_row *r = next_ok(rd);
    assert_int_equal(r->line, 2);
    assert_string_equal(get(r, "name"), "Ala \"A\"\nB");
    assert_string_equal(get(r, "age"), "42");
    assert_string_equal(get(r, "score"), "12.5");
    assert_string_equal(get(r, "big"), "1e+300");
    assert_string_equal(get(r, "neg"), "-0.1");
    assert_string_equal(get(r, "ok"), "true");
    assert_string_equal(get(r, "no"), "false");
    assert_null(get(r, "gone"));
    assert_string_equal(get(r, "tags"), "[\"a\",{\"b\":1}]");
    assert_string_equal(get(r, "city"), "Łódź ]}");
    assert_true(r->raw == r->values);
    r = next_ok(rd);
    assert_int_equal(r->line, 6);
    assert_int_equal(r->record, 2);
    assert_string_equal(get(r, "name"), "Кира");
    r = next_ok(rd);
    assert_int_equal(r->count, 0);
    assert_non_null(r->keys);
    const kt_read_row *end;
    kt_error err;
    assert_int_equal(kt_reader_next(rd, &end, &err), KT_NOTFOUND);
    kt_reader_close(rd);
    assert_string_equal(kt_read_sniff(put("x", "{\"a\": 1}\n{\"a\": 2}\n")), "ndjson");
    assert_string_equal(kt_read_sniff(put("y", "{\n  \"a\": 1\n}\n")), "json");
    p = put("one.json", "{\"a\": \"b\"}");
    rd = open_fmt("json", p, NULL);
    assert_string_equal(get(next_ok(rd), "a"), "b");
    assert_int_equal(kt_reader_next(rd, &end, &err), KT_NOTFOUND);
    kt_reader_close(rd);
}

static void json_errors(void **state)
{
    kt_error err;
    const char *p = put("bad.json", "[\n{\"a\": 1},\n{\"a\": }\n]");
    assert_int_equal(read_all(NULL, p, NULL, &err), KT_INVALID);
    assert_non_null(strstr(err.message, "line 3"));
    p = put("cut.json", "[{\"a\": 1},\n{\"a\": \"x");
    assert_int_equal(read_all(NULL, p, NULL, &err), KT_INVALID);
    p = put("scalar.json", "[1, 2]");
    assert_int_equal(read_all(NULL, p, NULL, &err), KT_INVALID);
    p = put("trail.json", "[{}] x");
    assert_int_equal(read_all(NULL, p, NULL, &err), KT_INVALID);
    char deep[400] = "[{\"a\": ";
    for (int i = 0; i < 100; i++)
        strcat(deep, "[");
    for (int i = 0; i < 100; i++)
        strcat(deep, "]");
    strcat(deep, "}]");
    p = put("deep.json", deep);
    assert_int_equal(read_all(NULL, p, NULL, &err), KT_LIMIT);
    assert_non_null(strstr(err.message, "max_depth"));
    kt_read_opts o = {.max_depth = 200};
    assert_int_equal(read_all(NULL, p, &o, &err), KT_NOTFOUND);
    kt_read_opts small = {.max_record = 50};
    p = put("long.json", "[{\"a\": \"0123456789012345678901234567890123456789012345678901\"}]");
    assert_int_equal(read_all(NULL, p, &small, &err), KT_LIMIT);
    assert_non_null(strstr(err.message, "max_record"));
    kt_read_opts cell = {.max_cell = 10};
    assert_int_equal(read_all(NULL, p, &cell, &err), KT_LIMIT);
    assert_non_null(strstr(err.message, "max_cell"));
}

static void ndjson(void **state)
{
    const char *p = put("a.ndjson", "{\"id\": 1, \"n\": \"x\"}\r\n\n{\"id\": 2.25, \"n\": null}\n"
                                    "{\"id\": 3}");
    kt_reader *rd = open_fmt(NULL, p, NULL);
    const kt_read_row *r = next_ok(rd);
    assert_string_equal(get(r, "id"), "1");
    assert_int_equal(r->line, 1);
    r = next_ok(rd);
    assert_string_equal(get(r, "id"), "2.25");
    assert_null(get(r, "n"));
    assert_int_equal(r->line, 3);
    r = next_ok(rd);
    assert_int_equal(r->line, 4);
    kt_error err;
    assert_int_equal(kt_reader_next(rd, &r, &err), KT_NOTFOUND);
    kt_reader_close(rd);
    p = put("bad.jsonl", "{\"a\": 1}\n[1]\n");
    assert_int_equal(read_all(NULL, p, NULL, &err), KT_INVALID);
    assert_non_null(strstr(err.message, "line 2"));
    p = put("bad2.jsonl", "{\"a\": 1}\n{\"a\": 1,\n");
    assert_int_equal(read_all(NULL, p, NULL, &err), KT_INVALID);
    assert_non_null(strstr(err.message, "line 2"));
}

/* Many rows: each element parsed alone, whatever the file size. */
static void json_streaming(void **state)
{
    char path[512];
    snprintf(path, sizeof path, "%s/many.json", dir);
    FILE *f = fopen(path, "wb");
    fputs("[", f);
    for (int i = 0; i < 20000; i++)
        fprintf(f, "%s{\"i\": %d, \"s\": \"v%d\"}\n", i ? "," : "", i, i);
    fputs("]", f);
    fclose(f);
    kt_reader *rd = open_fmt(NULL, path, NULL);
    const kt_read_row *r;
    kt_error err;
    int n = 0;
    char want[32];
    while (kt_reader_next(rd, &r, &err) == KT_OK) {
        snprintf(want, sizeof want, "%d", n);
        assert_string_equal(get(r, "i"), want);
        assert_int_equal(r->line, n + 1);
        n++;
    }
    assert_int_equal(n, 20000);
    kt_reader_close(rd);
}

static int setup(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/readjsonXXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_array),
        cmocka_unit_test(json_errors),
        cmocka_unit_test(ndjson),
        cmocka_unit_test(json_streaming),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
