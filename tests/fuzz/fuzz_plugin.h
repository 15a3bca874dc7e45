/* Shared by the plugin fuzz targets: a minimal host that runs a plugin's init and keeps the
 * value functions it registers, and a driver that calls each of them on one input. */
#ifndef KT_FUZZ_PLUGIN_H
#define KT_FUZZ_PLUGIN_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <kartoteka/plugin.h>

#define FUZZ_MAX_FNS 64

typedef struct fuzz_fn {
    kt_plugin_value_fn fn;
    void *ud;
    int is_type; /* a field type's normaliser: its output must normalise to itself */
} fuzz_fn;

static fuzz_fn fuzz_fns[FUZZ_MAX_FNS];
static size_t fuzz_nfns;

static int fuzz_register_type(void *h, const kt_plugin_type *t)
{
    (void)h;
    if (fuzz_nfns == FUZZ_MAX_FNS) return KT_PLUGIN_FAIL;
    fuzz_fns[fuzz_nfns++] = (fuzz_fn){t->normalise, t->ud, 1};
    return KT_PLUGIN_OK;
}

static int fuzz_register_function(void *h, const kt_plugin_function *f)
{
    (void)h;
    if (fuzz_nfns == FUZZ_MAX_FNS) return KT_PLUGIN_FAIL;
    fuzz_fns[fuzz_nfns++] = (fuzz_fn){f->fn, f->ud, 0};
    return KT_PLUGIN_OK;
}

static int fuzz_register_reader(void *h, const kt_plugin_reader *r)
{
    (void)h, (void)r;
    return KT_PLUGIN_FAIL;
}

static int fuzz_register_channel(void *h, const kt_plugin_channel *c)
{
    (void)h, (void)c;
    return KT_PLUGIN_FAIL;
}

static const char *fuzz_setting(void *h, const char *key)
{
    (void)h, (void)key;
    return NULL;
}

static void fuzz_init_plugin(const kt_plugin_desc *d)
{
    static const kt_plugin_host host = {KT_PLUGIN_ABI_VERSION,
                                        sizeof(kt_plugin_host),
                                        NULL,
                                        fuzz_register_type,
                                        fuzz_register_function,
                                        fuzz_register_reader,
                                        fuzz_register_channel,
                                        fuzz_setting,
                                        NULL,
                                        NULL,
                                        NULL};
    char msg[512];
    if (d->init(&host, msg, sizeof msg) != KT_PLUGIN_OK) abort();
}

/* The first byte picks the country, the output size (small ones test truncation) and a field
 * kind; the rest, up to a NUL, is the value. Every function must leave a NUL-terminated output and
 * a message; a type's output must be accepted by the type again, unchanged. */
static void fuzz_plugin_values(const uint8_t *data, size_t size)
{
    static const char *const countries[] = {NULL, "PL", "RU", "IR", "DE", "UA", "US", "XX"};
    static const size_t out_sizes[] = {256, 1, 8, 17};
    if (size < 1) return;
    kt_plugin_value_ctx ctx = {countries[data[0] & 7], (data[0] & 8) ? "person.mobile" : NULL,
                               (data[0] & 128) ? "mobile" : NULL};
    size_t out_size = out_sizes[(data[0] >> 4) & 3];
    char *in = malloc(size);
    if (!in) return;
    memcpy(in, data + 1, size - 1);
    in[size - 1] = '\0';
    for (size_t i = 0; i < fuzz_nfns; i++) {
        char out[256], again[256], msg[512];
        memset(out, 'X', sizeof out);
        msg[0] = '\0';
        /* the re-check below runs under the same context: a kind may refuse what no kind takes */
        const kt_plugin_value_ctx *c = (data[0] & 64) ? NULL : &ctx;
        int rc = fuzz_fns[i].fn(fuzz_fns[i].ud, in, c, out, out_size, msg, sizeof msg);
        if (rc == KT_PLUGIN_OK) {
            if (!memchr(out, '\0', out_size)) abort();
            if (fuzz_fns[i].is_type && out_size == sizeof out) {
                if (fuzz_fns[i].fn(fuzz_fns[i].ud, out, c, again, sizeof again, msg,
                                   sizeof msg) != KT_PLUGIN_OK ||
                    strcmp(out, again) != 0)
                    abort();
            }
        } else if (!memchr(msg, '\0', sizeof msg)) {
            abort();
        }
    }
    free(in);
}

#endif
