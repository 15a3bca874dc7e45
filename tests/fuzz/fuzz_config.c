/* libFuzzer target: loading a workspace's kartoteka.lua. The input is written as kartoteka.lua
 * next to a fresh copy of a database holding the built-in schema, then the workspace is opened
 * and its configuration applied (entities, fields, rules, settings, plugins, campaigns...) under
 * the host's default budget of 1 s and 256 MiB per call. Seeds: tests/fuzz/corpus/config/. */
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "kartoteka/alloc.h"
#include "fuzz_ws.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *template_db;
static size_t template_size;
static char work[96];

static int write_all(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    int rc = size && fwrite(data, 1, size, f) != size ? -1 : 0;
    return fclose(f) || rc ? -1 : 0;
}

static void setup(void)
{
    kt_ws *ws = fuzz_ws_make();
    kt_ws_close(ws); /* checkpoints: the whole database is in kartoteka.db now */
    char path[128];
    snprintf(path, sizeof path, "%s/kartoteka.db", fuzz_ws_dir);
    FILE *f = fopen(path, "rb");
    if (!f || fseek(f, 0, SEEK_END) || (template_size = (size_t)ftell(f)) == 0) abort();
    rewind(f);
    template_db = malloc(template_size);
    if (!template_db || fread(template_db, 1, template_size, f) != template_size) abort();
    fclose(f);
    snprintf(work, sizeof work, "%s/ws", fuzz_ws_dir);
    if (mkdir(work, 0700)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!template_db) setup();
    if (size > 65536) return 0;
    char path[160];
    snprintf(path, sizeof path, "%s/kartoteka.db-wal", work);
    unlink(path);
    snprintf(path, sizeof path, "%s/kartoteka.db-shm", work);
    unlink(path);
    snprintf(path, sizeof path, "%s/kartoteka.db", work);
    if (write_all(path, template_db, template_size)) abort();
    snprintf(path, sizeof path, "%s/kartoteka.lua", work);
    if (write_all(path, data, size)) abort();
    kt_ws *ws = NULL;
    kt_error err;
    if (kt_ws_open(work, &ws, &err) == KT_OK) {
        kt_config_opts o = {0};
        (void)kt_config_apply(ws, &o, &err);
        kt_ws_close(ws);
    }
    return 0;
}
