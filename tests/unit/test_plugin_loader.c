/* The plugin loader against real .so files: the shipped plugins from KT_PLUGIN_PATH and the
 * deliberately broken ones from ${build}/test-plugins (tests/plugins/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kartoteka/alloc.h"
#include "kartoteka/ext.h"
#include "kartoteka/plugin_loader.h"

static char plugin_dir[PATH_MAX];
static char test_plugin_dir[PATH_MAX];

typedef struct fixture {
    kt_ext *ext;
    kt_plugins *plugins;
    kt_error err;
    char tmp[PATH_MAX]; /* a private folder (0700) for files made by a test */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    f->ext = kt_ext_new();
    f->plugins = kt_plugins_new(f->ext);
    const char *base = getenv("KT_TEST_TMP");
    if (base && base[0]) {
        mkdir(base, 0755);
        snprintf(f->tmp, sizeof f->tmp, "%s/plugin-loader-XXXXXX", base);
    } else {
        snprintf(f->tmp, sizeof f->tmp, "/tmp/kt-plugin-loader-XXXXXX");
    }
    if (!mkdtemp(f->tmp) || !f->ext || !f->plugins) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[PATH_MAX + 32];
    kt_ext_free(f->ext);
    kt_plugins_free(f->plugins);
    chmod(f->tmp, 0700);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->tmp);
    if (system(cmd) != 0) return -1;
    free(f);
    return 0;
}

/* a + b into buf; a test path that does not fit is a broken test, not a loader refusal. */
static void join(char *buf, size_t size, const char *a, const char *b)
{
    int n = snprintf(buf, size, "%s%s", a, b);
    assert_true(n > 0 && (size_t)n < size);
}

static kt_status load_from(fixture *f, const char *name, const char *dir)
{
    const char *dirs[] = {dir};
    kt_error_clear(&f->err);
    return kt_plugins_load(f->plugins, name, dirs, 1, NULL, NULL, &f->err);
}

static kt_status load(fixture *f, const char *name)
{
    return load_from(f, name, plugin_dir);
}

static void load_all(fixture *f)
{
    const char *names[] = {"phone", "ids_pl", "ids_ru", "ids_ir"};
    for (size_t i = 0; i < 4; i++)
        if (load(f, names[i]) != KT_OK) fail_msg("loading %s: %s", names[i], f->err.message);
}

/* Calls a registered type (or, failing that, function) like the write door would. */
static char out[256], msg[512];
static int call(const kt_ext *ext, const char *name, const char *in, const char *country)
{
    kt_plugin_value_ctx ctx = {country, "test.field", NULL};
    const kt_plugin_type *t = kt_ext_type(ext, name);
    const kt_plugin_function *fn = kt_ext_function(ext, name);
    out[0] = msg[0] = '\0';
    if (t) return t->normalise(t->ud, in, &ctx, out, sizeof out, msg, sizeof msg);
    if (fn) return fn->fn(fn->ud, in, &ctx, out, sizeof out, msg, sizeof msg);
    snprintf(msg, sizeof msg, "nothing registered as %s", name);
    return -1;
}

#define OK(ext, name, in, country, want)                                                           \
    do {                                                                                           \
        if (call(ext, name, in, country) != KT_PLUGIN_OK)                                          \
            fail_msg("%s(%s) refused: %s", name, in, msg);                                         \
        assert_string_equal(out, want);                                                            \
    } while (0)

#define BAD(ext, name, in, country, needle)                                                        \
    do {                                                                                           \
        if (call(ext, name, in, country) != KT_PLUGIN_FAIL)                                        \
            fail_msg("%s(%s) accepted as '%s' (%s)", name, in, out, msg);                          \
        if (!strstr(msg, needle)) fail_msg("%s(%s): '%s' lacks '%s'", name, in, msg, needle);      \
    } while (0)

#define REFUSED(f, rc, want_rc, ...)                                                               \
    do {                                                                                           \
        if ((rc) != (want_rc))                                                                     \
            fail_msg("expected %s, got %s: %s", kt_strerror(want_rc), kt_strerror(rc),             \
                     (f)->err.message);                                                            \
        const char *needles_[] = {__VA_ARGS__};                                                    \
        for (size_t i_ = 0; i_ < sizeof needles_ / sizeof needles_[0]; i_++)                       \
            if (!strstr((f)->err.message, needles_[i_]))                                           \
                fail_msg("'%s' lacks '%s'", (f)->err.message, needles_[i_]);                       \
    } while (0)

/* Check digits, computed here rather than copied, so the test shows each rule. */
static void weighted(char *s, const int *w, int mod)
{
    size_t n = strlen(s);
    int sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (s[i] - '0') * w[i];
    s[n] = (char)('0' + sum % mod % 10);
    s[n + 1] = '\0';
}

static void pesel_complete(char *s)
{
    static const int w[] = {1, 3, 7, 9, 1, 3, 7, 9, 1, 3};
    int sum = 0;
    for (int i = 0; i < 10; i++)
        sum += (s[i] - '0') * w[i];
    s[10] = (char)('0' + (10 - sum % 10) % 10);
    s[11] = '\0';
}

static void ogrn_complete(char *s, int mod)
{
    int r = 0;
    for (size_t i = 0; s[i]; i++)
        r = (r * 10 + (s[i] - '0')) % mod;
    size_t n = strlen(s);
    s[n] = (char)('0' + r % 10);
    s[n + 1] = '\0';
}

static void ir_complete(char *s)
{
    int sum = 0;
    for (int i = 0; i < 9; i++)
        sum += (s[i] - '0') * (10 - i);
    int r = sum % 11;
    s[9] = (char)('0' + (r < 2 ? r : 11 - r));
    s[10] = '\0';
}

/* Flips the last digit so the checksum no longer holds. */
static void typo(char *dst, const char *src)
{
    size_t n = strlen(src);
    memcpy(dst, src, n + 1);
    dst[n - 1] = (char)('0' + (src[n - 1] - '0' + 1) % 10);
}

static void shipped_plugins_load_and_describe_themselves(void **state)
{
    fixture *f = *state;
    load_all(f);
    assert_int_equal(kt_plugins_count(f->plugins), 4);
    const kt_plugin_info *pl = kt_plugins_find(f->plugins, "ids_pl");
    assert_non_null(pl);
    assert_string_equal(pl->version, "1.0.0");
    assert_string_equal(pl->license, "MIT");
    assert_non_null(strstr(pl->path, "/ids_pl.so"));
    assert_int_equal(pl->registered, 5);
    const kt_ext_entry *e = kt_plugins_registered(f->plugins, 1, 0);
    assert_non_null(e);
    assert_int_equal(e->kind, KT_EXT_TYPE);
    assert_string_equal(e->name, "pl.nip");
    assert_string_equal(e->origin, "ids_pl");
    e = kt_plugins_registered(f->plugins, 1, 4);
    assert_int_equal(e->kind, KT_EXT_FUNCTION);
    assert_string_equal(e->name, "pl.pesel_sex");
    assert_null(kt_plugins_registered(f->plugins, 1, 5));
    assert_null(kt_plugins_info(f->plugins, 4));
    assert_string_equal(kt_plugins_info(f->plugins, 0)->name, "phone");

    /* A second load of a loaded plugin changes nothing. */
    size_t before = kt_ext_count(f->ext);
    assert_int_equal(load(f, "ids_pl"), KT_OK);
    assert_int_equal(kt_plugins_count(f->plugins), 4);
    assert_int_equal(kt_ext_count(f->ext), before);
}

static void polish_ids(void **state)
{
    fixture *f = *state;
    load_all(f);
    static const int nip_w[] = {6, 5, 7, 2, 3, 4, 5, 6, 7};
    static const int regon9_w[] = {8, 9, 2, 3, 4, 5, 6, 7};
    static const int regon14_w[] = {2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8};
    char nip[16] = "777314238", spaced[32], bad[16];
    weighted(nip, nip_w, 11);
    snprintf(spaced, sizeof spaced, "PL %.3s-%.3s-%.2s-%.2s", nip, nip + 3, nip + 6, nip + 8);
    OK(f->ext, "pl.nip", nip, NULL, nip);
    OK(f->ext, "pl.nip", spaced, NULL, nip);
    typo(bad, nip);
    BAD(f->ext, "pl.nip", bad, NULL, "check digit");
    BAD(f->ext, "pl.nip", "123456", NULL, "a NIP has 10 digits, got 6");

    char regon[16] = "61201451", regon14[20];
    weighted(regon, regon9_w, 11);
    OK(f->ext, "pl.regon", regon, NULL, regon);
    snprintf(regon14, sizeof regon14, "%s0004", regon);
    weighted(regon14, regon14_w, 11);
    OK(f->ext, "pl.regon", regon14, NULL, regon14);
    typo(bad, regon14);
    BAD(f->ext, "pl.regon", bad, NULL, "check digit");

    char pesel[16] = "9012310344"; /* 1990-12-31; the 10th digit, 4, is even: a woman */
    pesel_complete(pesel);
    OK(f->ext, "pl.pesel", pesel, NULL, pesel);
    OK(f->ext, "pl.pesel_birth_date", pesel, NULL, "1990-12-31");
    OK(f->ext, "pl.pesel_sex", pesel, NULL, "F");
    char pesel2000[16] = "0532150357"; /* month 32: December 2005; 7 is odd: a man */
    pesel_complete(pesel2000);
    OK(f->ext, "pl.pesel_birth_date", pesel2000, NULL, "2005-12-15");
    OK(f->ext, "pl.pesel_sex", pesel2000, NULL, "M");
    typo(bad, pesel);
    BAD(f->ext, "pl.pesel", bad, NULL, "check digit");
}

static void russian_ids(void **state)
{
    fixture *f = *state;
    load_all(f);
    static const int w10[] = {2, 4, 10, 3, 5, 9, 4, 6, 8};
    static const int w11[] = {7, 2, 4, 10, 3, 5, 9, 4, 6, 8};
    static const int w12[] = {3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8};
    char inn10[16] = "771234567", inn12[16] = "7712345678", bad[20];
    weighted(inn10, w10, 11);
    OK(f->ext, "ru.inn", inn10, NULL, inn10);
    weighted(inn12, w11, 11);
    weighted(inn12, w12, 11);
    OK(f->ext, "ru.inn", inn12, NULL, inn12);
    typo(bad, inn12);
    BAD(f->ext, "ru.inn", bad, NULL, "check digit");
    BAD(f->ext, "ru.inn", "77123456789", NULL, "an INN has 10 or 12 digits, got 11");

    char ogrn[16] = "102770013219", ogrnip[20] = "30450011600015";
    ogrn_complete(ogrn, 11);
    OK(f->ext, "ru.ogrn", ogrn, NULL, "1027700132195");
    ogrn_complete(ogrnip, 13);
    OK(f->ext, "ru.ogrn", ogrnip, NULL, ogrnip);
    typo(bad, ogrn);
    BAD(f->ext, "ru.ogrn", bad, NULL, "not a valid OGRN");
    typo(bad, ogrnip);
    BAD(f->ext, "ru.ogrn", bad, NULL, "not a valid OGRNIP");

    OK(f->ext, "ru.kpp", "7736 01 001", NULL, "773601001");
    OK(f->ext, "ru.kpp", "7736AB001", NULL, "7736AB001");
    BAD(f->ext, "ru.kpp", "7736010", NULL, "a KPP has 9 characters, got 7");
}

static void iranian_codes_in_any_digits(void **state)
{
    fixture *f = *state;
    load_all(f);
    char code[16] = "008123456", bad[16];
    ir_complete(code);
    OK(f->ext, "ir.national_code", code, NULL, code);
    /* The same code typed with Persian digits, then Arabic-Indic, then dashed. */
    char persian[64] = "", arabic[64] = "", dashed[32];
    for (int i = 0; code[i]; i++) {
        int d = code[i] - '0';
        char p[3] = {(char)0xDB, (char)(0xB0 + d), 0};
        char a[3] = {(char)0xD9, (char)(0xA0 + d), 0};
        strcat(persian, p);
        strcat(arabic, a);
    }
    OK(f->ext, "ir.national_code", persian, NULL, code);
    OK(f->ext, "ir.national_code", arabic, NULL, code);
    snprintf(dashed, sizeof dashed, "%.3s-%.6s-%.1s", code, code + 3, code + 9);
    OK(f->ext, "ir.national_code", dashed, NULL, code);
    typo(bad, code);
    BAD(f->ext, "ir.national_code", bad, NULL, "check digit");
    BAD(f->ext, "ir.national_code", "5555555555", NULL, "repeated digit");
    BAD(f->ext, "ir.national_code", "۱۲۳۴۵", NULL, "10 digits, got 5");
}

static void one_phone_number_five_spellings(void **state)
{
    fixture *f = *state;
    load_all(f);
    const char *pl[] = {"+48 789 658 648", "0048 789-658-648", "(789) 658 648", "789.658.648",
                        "۷۸۹۶۵۸۶۴۸"};
    for (size_t i = 0; i < 5; i++)
        OK(f->ext, "phone", pl[i], "PL", "+48789658648");
    const char *ru[] = {"8 (977) 292-01-15", "+7 977 292 01 15", "89772920115", "007 977 2920115",
                        "7-977-292-01-15"};
    for (size_t i = 0; i < 5; i++)
        OK(f->ext, "phone", ru[i], "RU", "+79772920115");
    OK(f->ext, "phone", "09132549263", "IR", "+989132549263");
    OK(f->ext, "phone", "۰۹۱۳۲۵۴۹۲۶۳", "IR", "+989132549263");
    OK(f->ext, "phone.national", "+989132549263", NULL, "0913 254 9263");
    OK(f->ext, "phone.national", "+48789658648", NULL, "789 658 648");
    OK(f->ext, "phone.national", "+79772920115", NULL, "8 (977) 292-01-15");
    BAD(f->ext, "phone", "78965864", "PL",
        "a phone number in Poland has 7 or 9 digits after +48, got 8");
    BAD(f->ext, "phone.valid", "0913254926", "IR", "or 10 digits after +98");
    BAD(f->ext, "phone", "789658648", NULL, "international form");
}

/* The workspace's `plugin "phone" { default_country = "IR" }`. */
static const char *settings(void *ud, const char *key)
{
    return strcmp(key, "default_country") == 0 ? ud : NULL;
}

static void settings_reach_init(void **state)
{
    fixture *f = *state;
    const char *dirs[] = {"/nonexistent/plugins", plugin_dir};
    assert_int_equal(kt_plugins_load(f->plugins, "phone", dirs, 2, settings, "Atlantis", &f->err),
                     KT_INVALID);
    REFUSED(f, f->err.code, KT_INVALID, "phone.so", "failed to start",
            "default_country 'Atlantis'");
    assert_int_equal(kt_ext_count(f->ext), 0);
    assert_int_equal(kt_plugins_load(f->plugins, "phone", dirs, 2, settings, "IR", &f->err), KT_OK);
    OK(f->ext, "phone", "09132549263", NULL, "+989132549263");
}

static void names_are_not_paths(void **state)
{
    fixture *f = *state;
    const char *names[] = {"../phone", "/tmp/phone", "phone.so", "Phone", "", "a b"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        REFUSED(f, load(f, names[i]), KT_USAGE, "not a plain name");
    REFUSED(f, load(f, "nosuch"), KT_NOTFOUND, "plugin 'nosuch' not found", "nosuch.so",
            plugin_dir);
}

/* The registry still serves what was loaded before, and the refused plugin left nothing. */
static void registry_still_works(fixture *f, size_t entries)
{
    assert_int_equal(kt_ext_count(f->ext), entries);
    OK(f->ext, "pl.nip", "123-456-32-18", NULL, "1234563218");
}

static void refuses_other_abi(void **state)
{
    fixture *f = *state;
    assert_int_equal(load(f, "ids_pl"), KT_OK);
    size_t n = kt_ext_count(f->ext);
    REFUSED(f, load_from(f, "bad_abi", test_plugin_dir), KT_ABI, "bad_abi.so",
            "built for ABI 99, this kt speaks ABI 2", "rebuild the plugin");
    assert_null(kt_ext_type(f->ext, "bad_abi.type"));
    registry_still_works(f, n);
    assert_int_equal(kt_plugins_count(f->plugins), 1);
}

static void refuses_failing_init_and_rolls_back(void **state)
{
    fixture *f = *state;
    assert_int_equal(load(f, "ids_pl"), KT_OK);
    size_t n = kt_ext_count(f->ext);
    REFUSED(f, load_from(f, "bad_init", test_plugin_dir), KT_INVALID, "bad_init.so",
            "failed to start", "the licence server is unreachable");
    assert_null(kt_ext_type(f->ext, "bad_init.kept"));
    assert_null(kt_ext_function(f->ext, "bad_init.fn"));
    registry_still_works(f, n);

    REFUSED(f, load_from(f, "clash", test_plugin_dir), KT_INVALID, "clash.so",
            "register_type('pl.nip')", "already registered by 'ids_pl'");
    assert_null(kt_ext_type(f->ext, "clash.fresh"));
    registry_still_works(f, n);
    assert_int_equal(kt_plugins_count(f->plugins), 1);
}

static void refuses_what_is_not_a_plugin(void **state)
{
    fixture *f = *state;
    assert_int_equal(load(f, "ids_pl"), KT_OK);
    size_t n = kt_ext_count(f->ext);

    char path[PATH_MAX];
    join(path, sizeof path, f->tmp, "/x.so");
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("this is a text file, not a shared object\n", fp);
    fclose(fp);
    chmod(path, 0644);
    REFUSED(f, load_from(f, "x", f->tmp), KT_ABI, path, "not a loadable plugin");

    REFUSED(f, load_from(f, "no_symbol", test_plugin_dir), KT_ABI, "no_symbol.so",
            "exports no 'kt_plugin'");
    REFUSED(f, load_from(f, "wrong_name", test_plugin_dir), KT_ABI, "wrong_name.so",
            "calls itself 'phone'");

    mkdir(path, 0755);
    join(path, sizeof path, f->tmp, "/dir.so");
    assert_int_equal(mkdir(path, 0755), 0);
    REFUSED(f, load_from(f, "dir", f->tmp), KT_DENIED, "dir.so", "not a regular file");
    registry_still_works(f, n);
}

static void copy_file(const char *from, const char *to, mode_t mode)
{
    FILE *in = fopen(from, "rb"), *o = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(o);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, o), n);
    fclose(in);
    fclose(o);
    assert_int_equal(chmod(to, mode), 0);
}

static void refuses_files_others_can_write(void **state)
{
    fixture *f = *state;
    assert_int_equal(load(f, "ids_pl"), KT_OK);
    size_t n = kt_ext_count(f->ext);
    char from[PATH_MAX], to[PATH_MAX];
    join(from, sizeof from, plugin_dir, "/phone.so");
    join(to, sizeof to, f->tmp, "/phone.so");

    copy_file(from, to, 0664);
    REFUSED(f, load_from(f, "phone", f->tmp), KT_DENIED, to, "writable by its group", "chmod go-w");
    assert_int_equal(chmod(to, 0646), 0);
    REFUSED(f, load_from(f, "phone", f->tmp), KT_DENIED, to, "writable by others");
    assert_int_equal(chmod(to, 0666), 0);
    REFUSED(f, load_from(f, "phone", f->tmp), KT_DENIED, "writable by group and others");

    /* A safe file in a folder anyone can write to is no safer: it can be swapped. */
    assert_int_equal(chmod(to, 0644), 0);
    assert_int_equal(chmod(f->tmp, 0777), 0);
    REFUSED(f, load_from(f, "phone", f->tmp), KT_DENIED, "its folder", f->tmp,
            "writable by group and others");
    assert_int_equal(chmod(f->tmp, 0700), 0);

    /* Owned by someone else (needs root to arrange). */
    if (geteuid() == 0) {
        assert_int_equal(chown(to, 65534, 65534), 0);
        REFUSED(f, load_from(f, "phone", f->tmp), KT_DENIED, "owned by uid 65534");
        assert_int_equal(chown(to, 0, 0), 0);
    }
    registry_still_works(f, n);
    assert_null(kt_ext_type(f->ext, "phone"));

    /* Once fixed, the same file loads; a symlink is followed and the real file reported. */
    char link[PATH_MAX];
    join(link, sizeof link, f->tmp, "/link");
    assert_int_equal(mkdir(link, 0755), 0);
    join(link, sizeof link, f->tmp, "/link/phone.so");
    assert_int_equal(symlink(to, link), 0);
    join(from, sizeof from, f->tmp, "/link");
    assert_int_equal(load_from(f, "phone", from), KT_OK);
    assert_non_null(strstr(kt_plugins_find(f->plugins, "phone")->path, f->tmp));
    assert_null(strstr(kt_plugins_find(f->plugins, "phone")->path, "/link/"));
    OK(f->ext, "phone", "+48 789 658 648", NULL, "+48789658648");
}

static void the_example_plugin_loads(void **state)
{
    fixture *f = *state;
    assert_int_equal(load_from(f, "hello", test_plugin_dir), KT_OK);
    OK(f->ext, "hello.upper", "Kartoteka", NULL, "KARTOTEKA");
    BAD(f->ext, "hello.upper", "", NULL, "wants some text");
}

/* Every allocation the loader makes may fail; each failure must be reported and leave the
 * registry and the plugin list as they were (ASan's leak checker watches the rest). */
static void out_of_memory_at_every_step(void **state)
{
    fixture *f = *state;
    for (unsigned long nth = 1; nth < 200; nth++) {
        kt_alloc_fail_at(nth);
        kt_status rc = load(f, "ids_pl");
        kt_alloc_fail_at(0);
        if (rc == KT_OK) {
            assert_int_equal(kt_plugins_count(f->plugins), 1);
            assert_int_equal(kt_ext_count(f->ext), 5);
            return;
        }
        if (rc != KT_NOMEM) fail_msg("step %lu: %s: %s", nth, kt_strerror(rc), f->err.message);
        assert_int_equal(kt_plugins_count(f->plugins), 0);
        assert_int_equal(kt_ext_count(f->ext), 0);
    }
    fail_msg("the load never succeeded");
}

int main(void)
{
    const char *dir = getenv("KT_PLUGIN_PATH");
    if (!dir || !dir[0]) {
        fprintf(stderr, "KT_PLUGIN_PATH is not set (run through ctest)\n");
        return 1;
    }
    if (!realpath(dir, plugin_dir)) {
        fprintf(stderr, "KT_PLUGIN_PATH %s: %s\n", dir, strerror(errno));
        return 1;
    }
    /* ${build}/plugins -> ${build}/test-plugins */
    snprintf(test_plugin_dir, sizeof test_plugin_dir, "%s", plugin_dir);
    char *slash = strrchr(test_plugin_dir, '/');
    if (slash)
        snprintf(slash, sizeof test_plugin_dir - (size_t)(slash - test_plugin_dir),
                 "/test-plugins");

    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(shipped_plugins_load_and_describe_themselves, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(polish_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(russian_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(iranian_codes_in_any_digits, setup, teardown),
        cmocka_unit_test_setup_teardown(one_phone_number_five_spellings, setup, teardown),
        cmocka_unit_test_setup_teardown(settings_reach_init, setup, teardown),
        cmocka_unit_test_setup_teardown(names_are_not_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(refuses_other_abi, setup, teardown),
        cmocka_unit_test_setup_teardown(refuses_failing_init_and_rolls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(refuses_what_is_not_a_plugin, setup, teardown),
        cmocka_unit_test_setup_teardown(refuses_files_others_can_write, setup, teardown),
        cmocka_unit_test_setup_teardown(the_example_plugin_loads, setup, teardown),
        cmocka_unit_test_setup_teardown(out_of_memory_at_every_step, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
