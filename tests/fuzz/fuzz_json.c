/* libFuzzer target: the json and ndjson readers. The first byte picks the reader and limits. */
#include "kartoteka/read.h"
#include "fuzz_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    uint8_t o = data[0];
    const char *path = fuzz_file(data + 1, size - 1, ".json");
    if (!path) return 0;
    kt_read_opts opts = {.max_depth = (o & 2) ? 4 : 0,
                         .max_cell = (o & 4) ? 16 : 0,
                         .max_fields = (o & 4) ? 4 : 0,
                         .max_record = (o & 8) ? 256 : 0};
    kt_reader *rd = NULL;
    kt_error err;
    if (kt_reader_open_with(kt_read_builtin(o & 1 ? "ndjson" : "json"), path, &opts, &rd, &err))
        return 0;
    const kt_read_row *row;
    size_t sum = 0;
    while (kt_reader_next(rd, &row, &err) == KT_OK)
        for (size_t i = 0; i < row->count; i++)
            sum += strlen(row->keys[i]) + (row->values[i] ? strlen(row->values[i]) : 0);
    kt_reader_close(rd);
    return sum == (size_t)-1;
}
