/* Shared by the reader fuzz targets: the input goes to a temp file (the readers read files),
 * and every row is walked so each value is touched. */
#ifndef KT_FUZZ_READ_H
#define KT_FUZZ_READ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_path[64];

static void fuzz_cleanup(void)
{
    if (fuzz_path[0]) unlink(fuzz_path);
}

/* Writes data to this process's temp file; returns its path, or NULL. */
static const char *fuzz_file(const uint8_t *data, size_t size, const char *suffix)
{
    if (!fuzz_path[0]) {
        snprintf(fuzz_path, sizeof fuzz_path, "/tmp/kt_fuzz_%ld%s", (long)getpid(), suffix);
        atexit(fuzz_cleanup);
    }
    FILE *f = fopen(fuzz_path, "wb");
    if (!f) return NULL;
    if (size && fwrite(data, 1, size, f) != size) {
        fclose(f);
        return NULL;
    }
    fclose(f);
    return fuzz_path;
}

#endif
