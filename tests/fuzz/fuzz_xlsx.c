/* libFuzzer target: the xlsx plugin (zip directory, workbook, styles, shared strings, sheet),
 * driven through its descriptor like the host would. Small limits keep bombs cheap. */
#include <kartoteka/plugin.h>

#include "fuzz_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern const kt_plugin_desc kt_plugin;

static const kt_plugin_reader *reader;

static int reg_reader(void *h, const kt_plugin_reader *r)
{
    reader = r;
    return KT_PLUGIN_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!reader) {
        kt_plugin_host host = {KT_PLUGIN_ABI_VERSION, sizeof host, NULL, NULL, NULL, reg_reader,
                               NULL, NULL};
        char msg[256];
        if (kt_plugin.init(&host, msg, sizeof msg) != KT_PLUGIN_OK || !reader) abort();
    }
    const char *path = fuzz_file(data, size, ".xlsx");
    if (!path) return 0;
    kt_plugin_reader_opts o = {NULL, size % 2 ? "Sheet2" : NULL, 4096, 256, 8 << 20};
    char msg[512];
    void *h = reader->open(reader->ud, path, &o, msg, sizeof msg);
    if (!h) return 0;
    kt_plugin_row row;
    size_t sum = 0;
    while (reader->next(h, &row, msg, sizeof msg) == 1)
        for (size_t i = 0; i < row.count; i++) sum += row.values[i] ? strlen(row.values[i]) : 0;
    reader->close(h);
    return sum == (size_t)-1;
}
