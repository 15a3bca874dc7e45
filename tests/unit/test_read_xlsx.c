/* The xlsx plugin as the import pipeline sees it: loaded by the real loader into the registry
 * next to the built-in readers, chosen by extension, header row turned into keys, a limit in
 * the plugin surfacing as KT_LIMIT. Skipped when the plugin has not been built. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "kartoteka/plugin_loader.h"
#include "kartoteka/read.h"
#include "tmp_dir.h"

static char path[512];

static void build(void)
{
    static const char *const names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                        "xl/styles.xml", "xl/worksheets/sheet1.xml"};
    static const char *const data[] = {
        "<workbook xmlns:r=\"r\"><sheets><sheet name=\"A\" sheetId=\"1\" r:id=\"rId1\"/>"
        "</sheets></workbook>",
        "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"
        "</Relationships>",
        "<styleSheet><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>",
        "<worksheet><sheetData>"
        "<row r=\"1\"><c t=\"inlineStr\"><is><t>Imię</t></is></c><c t=\"inlineStr\"><is>"
        "<t>Urodzony</t></is></c><c t=\"inlineStr\"><is><t>Imię</t></is></c></row>"
        "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>Кира</t></is></c>"
        "<c r=\"B3\" s=\"1\"><v>29403</v></c></row></sheetData></worksheet>"};
    snprintf(path, sizeof path, "%s/book.xlsx", kt_test_dir);
    int e;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &e);
    assert_non_null(z);
    for (int i = 0; i < 4; i++)
        assert_true(
            zip_file_add(z, names[i], zip_source_buffer(z, data[i], strlen(data[i]), 0), 0) >= 0);
    assert_int_equal(zip_close(z), 0);
}

static void through_the_registry(void **state)
{
    const char *plugins = getenv("KT_PLUGIN_PATH");
    char so[512];
    snprintf(so, sizeof so, "%s/xlsx.so", plugins ? plugins : "");
    if (!plugins || access(so, R_OK) != 0) skip();
    kt_ext *x = kt_ext_new();
    kt_plugins *p = kt_plugins_new(x);
    kt_error err;
    assert_int_equal(kt_read_register_builtin(x, &err), KT_OK);
    const char *dirs[] = {plugins};
    kt_status st = kt_plugins_load(p, "xlsx", dirs, 1, NULL, NULL, &err);
    if (st) print_error("%s\n", err.message);
    assert_int_equal(st, KT_OK);
    build();
    assert_string_equal(kt_read_sniff(path), "xlsx");
    kt_reader *rd = NULL;
    assert_int_equal(kt_reader_open(x, path, NULL, NULL, &rd, &err), KT_OK);
    const kt_read_row *r;
    assert_int_equal(kt_reader_next(rd, &r, &err), KT_OK);
    assert_int_equal(r->count, 3);
    assert_string_equal(r->keys[0], "Imię");
    assert_string_equal(r->keys[2], "Imię_2");
    assert_string_equal(r->values[0], "Кира");
    assert_string_equal(r->values[1], "1980-07-01");
    assert_null(r->values[2]);
    assert_int_equal(r->line, 3);
    assert_int_equal(r->record, 2);
    assert_int_equal(kt_reader_next(rd, &r, &err), KT_NOTFOUND);
    kt_reader_close(rd);
    kt_read_opts o = {.max_total = 100};
    assert_int_equal(kt_reader_open(x, path, "xlsx", &o, &rd, &err), KT_LIMIT);
    assert_non_null(strstr(err.message, "max_total"));
    kt_ext_free(x);
    kt_plugins_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(through_the_registry)};
    return cmocka_run_group_tests(tests, kt_test_dir_setup, kt_test_dir_teardown);
}
