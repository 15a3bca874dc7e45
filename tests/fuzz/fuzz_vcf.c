/* libFuzzer target: the vCard reader (folding, quoted-printable, parameters, structured values). */
#include "kartoteka/read.h"
#include "fuzz_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, ".vcf");
    if (!path) return 0;
    kt_read_opts opts = {.max_cell = size % 3 ? 0 : 32, .max_fields = size % 5 ? 0 : 6};
    kt_reader *rd = NULL;
    kt_error err;
    if (kt_reader_open_with(kt_read_builtin("vcf"), path, &opts, &rd, &err)) return 0;
    const kt_read_row *row;
    size_t sum = 0;
    while (kt_reader_next(rd, &row, &err) == KT_OK)
        for (size_t i = 0; i < row->count; i++)
            sum += strlen(row->keys[i]) + (row->values[i] ? strlen(row->values[i]) : 0);
    kt_reader_close(rd);
    return sum == (size_t)-1;
}
