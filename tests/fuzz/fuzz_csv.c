/* libFuzzer target: the CSV reader with its encodings, dialects and limits. The first byte
 * picks the options, the rest is the file. */
#include "kartoteka/read.h"
#include "fuzz_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const enc[] = {NULL,     "utf-8",    "cp1250",   "cp1251",
                                      "cp1256", "utf-16le", "utf-16be", "iso-8859-2"};
    static const char delim[] = {0, ',', ';', '\t'};
    if (size < 1) return 0;
    uint8_t o = data[0];
    const char *path = fuzz_file(data + 1, size - 1, ".csv");
    if (!path) return 0;
    kt_read_opts opts = {.encoding = enc[o & 7],
                         .delimiter = delim[(o >> 3) & 3],
                         .lenient = (o >> 5) & 1,
                         .no_header = (o >> 6) & 1,
                         .max_cell = (o >> 7) ? 64 : 0,
                         .max_fields = (o >> 7) ? 8 : 0};
    kt_reader *rd = NULL;
    kt_error err;
    if (kt_reader_open_with(kt_read_builtin("csv"), path, &opts, &rd, &err) != KT_OK) return 0;
    const kt_read_row *row;
    size_t sum = 0;
    while (kt_reader_next(rd, &row, &err) == KT_OK) {
        for (size_t i = 0; i < row->count; i++) {
            sum += strlen(row->keys[i]);
            if (row->values[i]) sum += strlen(row->values[i]);
        }
        for (size_t i = 0; i < row->raw_count; i++)
            sum += row->raw[i] ? strlen(row->raw[i]) : 0;
    }
    kt_reader_close(rd);
    return sum == (size_t)-1;
}
