/* libFuzzer target: the xlsx plugin (zip directory, workbook, styles, shared strings, sheet),
 * driven through its descriptor like the host would. Mutating a zip rarely yields a zip, so
 * when the first byte is 1-4 the rest becomes one part (sheet, shared strings, styles,
 * workbook) of an otherwise valid workbook, and the XML handling gets fuzzed too. Other first
 * bytes: the input is the file. Small limits keep bombs cheap. */
#include <kartoteka/plugin.h>
#include <zip.h>

#include "fuzz_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern const kt_plugin_desc kt_plugin;

static const kt_plugin_reader *reader;

static int reg_reader(void *h, const kt_plugin_reader *r)
{
    reader = r;
    return KT_PLUGIN_OK;
}

static const char *const part_name[] = {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
                                        "xl/styles.xml", "xl/workbook.xml",
                                        "xl/_rels/workbook.xml.rels"};
static const char *const part_data[] = {
    "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" s=\"1\">"
    "<v>15670</v></c></row></sheetData></worksheet>",
    "<sst><si><t>a</t></si><si><r><t>b</t></r></si></sst>",
    "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"dd.mm.yyyy\"/></numFmts>"
    "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/></cellXfs>"
    "</styleSheet>",
    "<workbook xmlns:r=\"r\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/>"
    "</sheets></workbook>",
    "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"
    "</Relationships>"};

/* A workbook whose part `which` is data; the others are the defaults above. */
static const char *wrap(int which, const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(NULL, 0, ".xlsx");
    if (!path) return NULL;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, NULL);
    if (!z) return NULL;
    for (int i = 0; i < 5; i++) {
        const void *d = i == which ? (const void *)data : part_data[i];
        size_t n = i == which ? size : strlen(part_data[i]);
        zip_source_t *s = zip_source_buffer(z, d, n, 0);
        if (!s || zip_file_add(z, part_name[i], s, 0) < 0) {
            zip_source_free(s);
            zip_discard(z);
            return NULL;
        }
    }
    return zip_close(z) == 0 ? path : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!reader) {
        kt_plugin_host host = {KT_PLUGIN_ABI_VERSION, sizeof host, NULL, NULL, NULL, reg_reader,
                               NULL, NULL, NULL, NULL};
        char msg[256];
        if (kt_plugin.init(&host, msg, sizeof msg) != KT_PLUGIN_OK || !reader) abort();
    }
    if (size < 1) return 0;
    const char *path = data[0] >= 1 && data[0] <= 4 ? wrap(data[0] - 1, data + 1, size - 1)
                                                    : fuzz_file(data + 1, size - 1, ".xlsx");
    if (!path) return 0;
    kt_plugin_reader_opts o = {NULL, size % 7 ? NULL : "Sheet1", 4096, 256, 8 << 20};
    char msg[512];
    void *h = reader->open(reader->ud, path, &o, msg, sizeof msg);
    if (!h) return 0;
    kt_plugin_row row;
    size_t sum = 0;
    while (reader->next(h, &row, msg, sizeof msg) == 1)
        for (size_t i = 0; i < row.count; i++)
            sum += row.values[i] ? strlen(row.values[i]) : 0;
    reader->close(h);
    return sum == (size_t)-1;
}
