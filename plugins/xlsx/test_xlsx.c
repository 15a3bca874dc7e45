/* The xlsx plugin through its descriptor and a small fake host: workbooks are written with
 * libzip in the test, good ones and hostile ones. */
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

#include <kartoteka/plugin.h>

#include "tmp_dir.h"

extern const kt_plugin_desc kt_plugin;

static const kt_plugin_reader *reader;
static int reg_reader(void *h, const kt_plugin_reader *r)
{
    reader = r;
    return KT_PLUGIN_OK;
}

static int reg_none(void *h, const void *x)
{
    return KT_PLUGIN_FAIL;
}

static const char *setting(void *h, const char *k)
{
    return NULL;
}

static const char *WB =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<workbookPr/><sheets><sheet name=\"Klienci\" sheetId=\"1\" r:id=\"rId1\"/>"
    "<sheet name=\"Inne\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";
static const char *RELS =
    "<?xml version=\"1.0\"?><Relationships xmlns=\"x\">"
    "<Relationship Id=\"rId2\" Target=\"worksheets/sheet2.xml\" Type=\"t\"/>"
    "<Relationship Id=\"rId1\" Target=\"/xl/worksheets/sheet1.xml\" Type=\"t\"/>"
    "</Relationships>";
static const char *STYLES = "<styleSheet><numFmts count=\"1\"><numFmt numFmtId=\"164\" "
                            "formatCode=\"dd\\.mm\\.yyyy\"/></numFmts>"
                            "<cellStyleXfs><xf numFmtId=\"14\"/></cellStyleXfs>"
                            "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/>"
                            "<xf numFmtId=\"164\"/><xf numFmtId=\"20\"/></cellXfs></styleSheet>";
static const char *SST = "<sst><si><t>Imię</t></si><si><t>Nazwisko</t></si>"
                         "<si><r><t>Data </t></r><r><t>urodzenia</t></r><rPh><t>x</t></rPh></si>"
                         "<si><t>Józef</t></si></sst>";
static const char *SHEET1 =
    "<worksheet><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
    "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"inlineStr\"><is><t>Kwota</t></is></c></row>"
    "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>3</v></c><c r=\"C2\" s=\"1\"><v>15670</v></c>"
    "<c r=\"D2\"><v>12.5</v></c></row>"
    "<row r=\"4\"><c r=\"B4\" t=\"inlineStr\"><is><t>Małysz &amp; syn</t></is></c>"
    "<c r=\"C4\" s=\"2\"><v>45000.75</v></c><c r=\"D4\" t=\"b\"><v>1</v></c>"
    "<c r=\"E4\" s=\"3\"><v>0.5</v></c></row>"
    "</sheetData></worksheet>";
static const char *SHEET2 = "<worksheet><sheetData><row><c t=\"str\"><v>inna</v></c></row>"
                            "</sheetData></worksheet>";

static const char *build(const char *name, const char *sheet1, const char *sst)
{
    const char *path = kt_test_path(name);
    unlink(path);
    int e;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &e);
    assert_non_null(z);
    const char *names[] = {
        "xl/workbook.xml",      "xl/_rels/workbook.xml.rels", "xl/styles.xml",
        "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml",   "xl/worksheets/sheet2.xml"};
    const char *data[] = {WB, RELS, STYLES, sst, sheet1, SHEET2};
    for (int i = 0; i < 6; i++) {
        zip_source_t *s = zip_source_buffer(z, data[i], strlen(data[i]), 0);
        assert_true(zip_file_add(z, names[i], s, ZIP_FL_OVERWRITE) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
    return path;
}

/* A zip of the given parts: names[i] holds data[i]. */
static const char *build_parts(const char *name, const char *const *names, const char *const *data,
                               size_t n)
{
    const char *path = kt_test_path(name);
    unlink(path);
    int e;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &e);
    assert_non_null(z);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(z, data[i], strlen(data[i]), 0);
        assert_true(zip_file_add(z, names[i], s, ZIP_FL_OVERWRITE | ZIP_FL_ENC_RAW) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
    return path;
}

static void *open_x(const char *path, const char *sheet, size_t max_total, char *msg)
{
    kt_plugin_reader_opts o = {NULL, sheet, 0, 0, max_total};
    return reader->open(reader->ud, path, &o, msg, 512);
}

/* Opens a workbook that must open; the test fails with the plugin's message. */
static void *open_ok(const char *path, const char *sheet)
{
    char msg[512];
    void *h = open_x(path, sheet, 0, msg);
    if (!h) print_error("%s\n", msg);
    assert_non_null(h);
    return h;
}

static void first_sheet(void **state)
{
    char msg[512];
    void *h = open_x(build("a.xlsx", SHEET1, SST), NULL, 0, msg);
    if (!h) print_error("%s\n", msg);
    assert_non_null(h);
    kt_plugin_row r;
    assert_int_equal(reader->next(h, &r, msg, sizeof msg), 1);
    assert_null(r.keys);
    assert_int_equal(r.count, 4);
    assert_string_equal(r.values[0], "Imię");
    assert_string_equal(r.values[2], "Data urodzenia");
    assert_string_equal(r.values[3], "Kwota");
    assert_int_equal(reader->next(h, &r, msg, sizeof msg), 1);
    assert_int_equal(r.line, 2);
    assert_int_equal(r.count, 4);
    assert_string_equal(r.values[0], "Józef");
    assert_null(r.values[1]);
    assert_string_equal(r.values[2], "1942-11-25");
    assert_string_equal(r.values[3], "12.5");
    assert_int_equal(reader->next(h, &r, msg, sizeof msg), 1);
    assert_int_equal(r.line, 4);
    assert_null(r.values[0]);
    assert_string_equal(r.values[1], "Małysz & syn");
    assert_string_equal(r.values[2], "2023-03-15");
    assert_string_equal(r.values[3], "true");
    assert_string_equal(r.values[4], "0.5");
    assert_int_equal(reader->next(h, &r, msg, sizeof msg), 0);
    reader->close(h);
}

static void named_sheet(void **state)
{
    char msg[512];
    const char *p = build("b.xlsx", SHEET1, SST);
    void *h = open_x(p, "Inne", 0, msg);
    assert_non_null(h);
    kt_plugin_row r;
    assert_int_equal(reader->next(h, &r, msg, sizeof msg), 1);
    assert_string_equal(r.values[0], "inna");
    reader->close(h);
    assert_null(open_x(p, "Brak", 0, msg));
    assert_non_null(strstr(msg, "Brak"));
}

static void hostile(void **state)
{
    char msg[512];
    kt_plugin_row r;
    /* shared string index out of range */
    void *h = open_x(build("c.xlsx",
                           "<worksheet><sheetData><row><c t=\"s\"><v>99</v></c></row>"
                           "</sheetData></worksheet>",
                           SST),
                     NULL, 0, msg);
    assert_non_null(h);
    assert_int_equal(reader->next(h, &r, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "out of range"));
    reader->close(h);
    /* entity expansion */
    const char *bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                       "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]><sst><si><t>&lol2;</t></si></sst>";
    assert_null(open_x(build("d.xlsx", SHEET1, bomb), NULL, 0, msg));
    assert_non_null(strstr(msg, "DOCTYPE"));
    /* a small zip unpacking to more than allowed */
    size_t n = 2000000;
    char *big = malloc(n + 200);
    strcpy(big, "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>");
    size_t len = strlen(big);
    memset(big + len, 'a', n);
    strcpy(big + len + n, "</t></is></c></row></sheetData></worksheet>");
    const char *p = build("e.xlsx", big, SST);
    free(big);
    assert_null(open_x(p, NULL, 100000, msg));
    assert_non_null(strstr(msg, "max_total"));
    h = open_x(p, NULL, 0, msg);
    assert_non_null(h);
    kt_plugin_reader_opts o = {NULL, NULL, 1000, 0, 0};
    reader->close(h);
    h = reader->open(NULL, p, &o, msg, sizeof msg);
    assert_non_null(h);
    assert_int_equal(reader->next(h, &r, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "max_cell"));
    reader->close(h);
    /* truncated file */
    p = build("f.xlsx", SHEET1, SST);
    FILE *f = fopen(p, "r+b");
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fclose(f);
    assert_int_equal(truncate(p, size / 2), 0);
    assert_null(open_x(p, NULL, 0, msg));
    assert_true(strlen(msg) > 0);
    /* not a zip */
    f = fopen(p, "wb");
    fputs("a,b\n", f);
    fclose(f);
    assert_null(open_x(p, NULL, 0, msg));
    assert_non_null(strstr(msg, "XLSX"));
}

static const char *REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

/* A 1904 workbook that also carries Excel's <x14:workbookPr> extension, which has no
 * date1904 attribute: it must not turn the workbook back into the 1900 system. */
static void date1904_with_extension(void **state)
{
    const char *wb =
        "<workbook xmlns:r=\"r\" xmlns:x14=\"x14\"><workbookPr date1904=\"1\"/>"
        "<sheets><sheet name=\"Klienci\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
        "<extLst><ext uri=\"{1}\"><x14:workbookPr defaultImageDpi=\"220\"/></ext></extLst>"
        "</workbook>";
    const char *sheet = "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>d</t></is>"
                        "</c></row><row r=\"2\"><c s=\"1\"><v>14000</v></c></row>"
                        "</sheetData></worksheet>";
    const char *names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                           "xl/worksheets/sheet1.xml"};
    const char *data[] = {wb, RELS, STYLES, sheet};
    char msg[512];
    void *h = open_ok(build_parts("g.xlsx", names, data, 4), NULL);
    kt_plugin_row r;
    assert_int_equal(reader->next(h, &r, msg, sizeof msg), 1);
    assert_int_equal(reader->next(h, &r, msg, sizeof msg), 1);
    assert_string_equal(r.values[0], "1942-05-01"); /* 1904-01-01 + 14000 days */
    reader->close(h);
}

/* The workbook found through _rels/.rels under another name, its parts through its own
 * relationships (shared strings not at the usual name). */
static void workbook_by_relationships(void **state)
{
    char root[600], rels[1200];
    snprintf(root, sizeof root,
             "<Relationships><Relationship Id=\"rId1\" Type=\"%sofficeDocument\" "
             "Target=\"xl/workbook2.xml\"/></Relationships>",
             REL_NS);
    snprintf(rels, sizeof rels,
             "<Relationships><Relationship Id=\"rId7\" Type=\"%sworksheet\" "
             "Target=\"./sheets/../worksheets/data.xml\"/>"
             "<Relationship Id=\"rId8\" Type=\"%ssharedStrings\" Target=\"strings.xml\"/>"
             "<Relationship Id=\"rId9\" Type=\"%shyperlink\" Target=\"http://x\" "
             "TargetMode=\"External\"/></Relationships>",
             REL_NS, REL_NS, REL_NS);
    const char *wb = "<workbook xmlns:r=\"r\"><sheets><sheet name=\"Dane\" sheetId=\"1\" "
                     "r:id=\"rId7\"/></sheets></workbook>";
    const char *sheet = "<worksheet><sheetData><row><c t=\"s\"><v>1</v></c></row>"
                        "</sheetData></worksheet>";
    const char *names[] = {"_rels/.rels", "xl/workbook2.xml", "xl/_rels/workbook2.xml.rels",
                           "xl/strings.xml", "xl/worksheets/data.xml"};
    const char *data[] = {root, wb, rels, SST, sheet};
    char msg[512];
    void *h = open_ok(build_parts("h.xlsx", names, data, 5), NULL);
    kt_plugin_row r;
    assert_int_equal(reader->next(h, &r, msg, sizeof msg), 1);
    assert_string_equal(r.values[0], "Nazwisko");
    reader->close(h);
}

/* Some Windows tools write zip entry names with backslashes. */
static void backslash_names(void **state)
{
    const char *names[] = {"xl\\workbook.xml", "xl\\_rels\\workbook.xml.rels", "xl\\styles.xml",
                           "xl\\sharedStrings.xml", "xl\\worksheets\\sheet1.xml"};
    const char *data[] = {WB, RELS, STYLES, SST, SHEET1};
    char msg[512];
    void *h = open_ok(build_parts("i.xlsx", names, data, 5), NULL);
    kt_plugin_row r;
    assert_int_equal(reader->next(h, &r, msg, sizeof msg), 1);
    assert_string_equal(r.values[0], "Imię");
    assert_int_equal(reader->next(h, &r, msg, sizeof msg), 1);
    assert_string_equal(r.values[2], "1942-11-25");
    reader->close(h);
}

/* A first sheet that is a chart: a message naming the sheets, never 0 rows in silence. */
static void chart_first(void **state)
{
    char rels[800];
    snprintf(rels, sizeof rels,
             "<Relationships><Relationship Id=\"rId1\" Type=\"%schartsheet\" "
             "Target=\"chartsheets/sheet1.xml\"/><Relationship Id=\"rId2\" "
             "Type=\"%sworksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>",
             REL_NS, REL_NS);
    const char *wb = "<workbook xmlns:r=\"r\"><sheets><sheet name=\"Wykres\" sheetId=\"1\" "
                     "r:id=\"rId1\"/><sheet name=\"Dane\" sheetId=\"2\" r:id=\"rId2\"/>"
                     "</sheets></workbook>";
    const char *chart = "<chartsheet><drawing r:id=\"rId1\" xmlns:r=\"r\"/></chartsheet>";
    const char *names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                           "xl/chartsheets/sheet1.xml", "xl/worksheets/sheet1.xml"};
    const char *data[] = {wb, rels, chart, SHEET2};
    char msg[512];
    const char *p = build_parts("j.xlsx", names, data, 4);
    assert_null(open_x(p, NULL, 0, msg));
    assert_non_null(strstr(msg, "'Wykres' is a chart"));
    assert_non_null(strstr(msg, "'Dane'"));
    assert_null(open_x(p, "Nie ma", 0, msg));
    assert_non_null(strstr(msg, "'Wykres' (a chart), 'Dane'"));
    void *h = open_x(p, "Dane", 0, msg);
    assert_non_null(h);
    reader->close(h);
    /* the relationship does not say it is a chart; the part itself does */
    const char *plain = "<Relationships><Relationship Id=\"rId1\" Target=\"chartsheets/"
                        "sheet1.xml\"/></Relationships>";
    const char *data2[] = {wb, plain, chart, SHEET2};
    h = open_x(build_parts("k.xlsx", names, data2, 4), NULL, 0, msg);
    assert_non_null(h);
    kt_plugin_row r;
    assert_int_equal(reader->next(h, &r, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "'Wykres' is not a table of rows"));
    reader->close(h);
    /* no sheets at all */
    const char *empty = "<workbook><sheets/></workbook>";
    const char *data3[] = {empty, plain, chart, SHEET2};
    assert_null(open_x(build_parts("l.xlsx", names, data3, 4), NULL, 0, msg));
    assert_non_null(strstr(msg, "no sheets"));
}

/* Shared strings past the in-memory budget are kept in a temporary file and read back by
 * index; a row made of many references to one long string is bounded too. */
static void many_shared_strings(void **state)
{
    size_t n = 3000, len = 4000; /* 12 MB of text, over the 8 MB kept in memory */
    char *sst = malloc(n * (len + 40) + 32), *q = sst;
    q += sprintf(q, "<sst>");
    for (size_t i = 0; i < n; i++) {
        q += sprintf(q, "<si><t>%04zu", i);
        memset(q, 'a' + (int)(i % 26), len);
        q += len;
        q += sprintf(q, "</t></si>");
    }
    sprintf(q, "</sst>");
    const char *sheet = "<worksheet><sheetData><row><c t=\"s\"><v>2999</v></c>"
                        "<c t=\"s\"><v>5</v></c><c t=\"s\"><v>0</v></c></row>"
                        "<row><c t=\"s\"><v>7</v></c><c t=\"s\"><v>7</v></c><c t=\"s\">"
                        "<v>7</v></c><c t=\"s\"><v>7</v></c><c t=\"s\"><v>7</v></c></row>"
                        "</sheetData></worksheet>";
    const char *p = build("m.xlsx", sheet, sst);
    free(sst);
    char msg[512];
    void *h = open_x(p, NULL, 0, msg);
    assert_non_null(h);
    kt_plugin_row r;
    assert_int_equal(reader->next(h, &r, msg, sizeof msg), 1);
    assert_int_equal(r.count, 3);
    assert_int_equal(strlen(r.values[0]), len + 4);
    assert_memory_equal(r.values[0], "2999jjj", 7);
    assert_memory_equal(r.values[1], "0005fff", 7);
    assert_memory_equal(r.values[2], "0000aaa", 7);
    assert_int_equal(reader->next(h, &r, msg, sizeof msg), 1);
    assert_int_equal(r.count, 5);
    assert_memory_equal(r.values[4], "0007hhh", 7);
    reader->close(h);
    /* five 4 KB cells over a row budget of 4 x max_cell = 16 100 bytes */
    kt_plugin_reader_opts o = {NULL, NULL, 4025, 0, 0};
    h = reader->open(NULL, p, &o, msg, sizeof msg);
    assert_non_null(h);
    assert_int_equal(reader->next(h, &r, msg, sizeof msg), 1);
    assert_int_equal(reader->next(h, &r, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "in one row"));
    assert_non_null(strstr(msg, "max_cell"));
    reader->close(h);
}

static int setup(void **state)
{
    kt_plugin_host host = {KT_PLUGIN_ABI_VERSION,
                           sizeof(kt_plugin_host),
                           NULL,
                           (int (*)(void *, const kt_plugin_type *))reg_none,
                           (int (*)(void *, const kt_plugin_function *))reg_none,
                           reg_reader,
                           (int (*)(void *, const kt_plugin_channel *))reg_none,
                           setting,
                           NULL,
                           NULL,
                           NULL};
    char msg[256];
    if (kt_plugin.abi != KT_PLUGIN_ABI_VERSION || kt_plugin.init(&host, msg, sizeof msg)) return -1;
    return reader ? kt_test_dir_setup(state) : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_sheet),
        cmocka_unit_test(named_sheet),
        cmocka_unit_test(hostile),
        cmocka_unit_test(date1904_with_extension),
        cmocka_unit_test(workbook_by_relationships),
        cmocka_unit_test(backslash_names),
        cmocka_unit_test(chart_first),
        cmocka_unit_test(many_shared_strings),
    };
    return cmocka_run_group_tests(tests, setup, kt_test_dir_teardown);
}
