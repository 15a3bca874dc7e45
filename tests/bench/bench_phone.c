/* Phone numbers normalised per second: the phone plugin (libphonenumber) against its 1.x
 * hand-written rules (phone_v1.so, built from tests/bench/phone_v1.c), both loaded into this
 * process and given the same spellings, alternating rounds so that both see the same machine.
 * The spellings are those of the seeds' countries, which 1.x knows; the plugin also checks the
 * numbering plan, which 1.x did not, and that is what the ratio prices.
 *   bench_phone [NEW.so OLD.so] [numbers per round] (defaults: the build's two, 200 000) */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <kartoteka/plugin.h>

#define ROUNDS 5

typedef struct spelling {
    const char *country, *typed;
} spelling;

/* The spellings found in the pet shop's data (../shared/data README): E.164, spaced,
 * 00-prefixed, national with dashes, Russian 8 (9xx), Iranian 09..., Persian digits. */
static const spelling spellings[] = {
    {"PL", "+48 789 658 648"},  {"PL", "0048578469474"},     {"PL", "534-690-719"},
    {"PL", "505395484"},        {"RU", "8 (977) 292-01-15"}, {"RU", "+79778473351"},
    {"RU", "+7 999 808 715 7"}, {"IR", "09132549263"},       {"IR", "+98 912 668 233 7"},
    {"IR", "۰۹۱۳ ۲۵۴ ۹۲۶۳"},    {"US", "702-594-6214"},      {"US", "+1 718 711 731 5"},
    {"US", "0014157122605"},    {"DE", "030 1234567"},       {"GB", "020 7946 0958"},
    {"UA", "067 123 45 67"},
};
#define NSPELLINGS (sizeof spellings / sizeof spellings[0])

static int reg_type(void *h, const kt_plugin_type *t)
{
    if (strcmp(t->name, "phone") == 0) *(const kt_plugin_type **)h = t;
    return KT_PLUGIN_OK;
}

static int reg_function(void *h, const kt_plugin_function *f)
{
    return KT_PLUGIN_OK;
}

static const char *no_setting(void *h, const char *key)
{
    return NULL;
}

static const kt_plugin_type *load(const char *path)
{
    void *so = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    const kt_plugin_desc *d = so ? dlsym(so, KT_PLUGIN_SYMBOL) : NULL;
    if (!d) {
        fprintf(stderr, "bench_phone: %s: %s\n", path, dlerror());
        exit(66);
    }
    const kt_plugin_type *t = NULL;
    kt_plugin_host host = {d->abi, sizeof host, &t,   reg_type, reg_function, NULL,
                           NULL,   no_setting,  NULL, NULL,     NULL};
    char msg[256];
    if (d->init(&host, msg, sizeof msg) != KT_PLUGIN_OK || !t) {
        fprintf(stderr, "bench_phone: %s: %s\n", path, msg);
        exit(70);
    }
    return t;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Seconds for n normalisations; every one must succeed, or the comparison would be unfair. */
static double run(const kt_plugin_type *t, long n, const char *name)
{
    char out[64], msg[256];
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        const spelling *s = &spellings[i % NSPELLINGS];
        kt_plugin_value_ctx ctx = {s->country, "person.mobile", NULL};
        if (t->normalise(t->ud, s->typed, &ctx, out, sizeof out, msg, sizeof msg) != KT_PLUGIN_OK) {
            fprintf(stderr, "bench_phone: %s refused %s (%s): %s\n", name, s->typed, s->country,
                    msg);
            exit(70);
        }
    }
    return now_s() - t0;
}

int main(int argc, char **argv)
{
    const char *new_so = argc > 2 ? argv[1] : KT_BENCH_PHONE_NEW;
    const char *old_so = argc > 2 ? argv[2] : KT_BENCH_PHONE_OLD;
    long n = argc == 2 ? atol(argv[1]) : argc > 3 ? atol(argv[3]) : 200000;
    if (n <= 0) n = 200000;
    const kt_plugin_type *fresh = load(new_so), *old = load(old_so);
    run(fresh, 1000, "libphonenumber"); /* warm: the library loads its metadata once */
    run(old, 1000, "1.x");
    double best_new = 1e30, best_old = 1e30;
    for (int r = 0; r < ROUNDS; r++) {
        double a = run(fresh, n, "libphonenumber"), b = run(old, n, "1.x");
        if (a < best_new) best_new = a;
        if (b < best_old) best_old = b;
    }
    double rate_new = (double)n / best_new, rate_old = (double)n / best_old;
    printf("phone numbers normalised per second (best of %d rounds of %ld, %zu spellings)\n",
           ROUNDS, n, NSPELLINGS);
    printf("  libphonenumber (plugin 2.x): %10.0f /s  %6.2f us each\n", rate_new, 1e6 / rate_new);
    printf("  hand-written   (plugin 1.x): %10.0f /s  %6.2f us each\n", rate_old, 1e6 / rate_old);
    printf("  ratio 2.x / 1.x: %.3f\n", rate_new / rate_old);
    return 0;
}
