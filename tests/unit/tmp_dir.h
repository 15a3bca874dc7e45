/* A test group's temporary folder: made under $KT_TEST_TMP when set (ctest keeps it inside the
 * build tree), else under /tmp, and removed with everything in it. Include after cmocka.h and
 * pass kt_test_dir_setup and kt_test_dir_teardown to cmocka_run_group_tests. */
#ifndef KT_TESTS_TMP_DIR_H
#define KT_TESTS_TMP_DIR_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char kt_test_dir[256];

static inline int kt_test_dir_setup(void **state)
{
    const char *base = getenv("KT_TEST_TMP");
    if (!base || !*base) base = "/tmp";
    /* the base is shared with the e2e tests, one of which runs kt as nobody inside it: it must
     * stay traversable (each test's own folder below is 0700) */
    if (mkdir(base, 0755) != 0 && access(base, W_OK) != 0) return -1;
    int n = snprintf(kt_test_dir, sizeof kt_test_dir, "%s/kt-test-XXXXXX", base);
    return n > 0 && (size_t)n < sizeof kt_test_dir && mkdtemp(kt_test_dir) ? 0 : -1;
}

static inline int kt_test_dir_teardown(void **state)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", kt_test_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* kt_test_dir/name, in a buffer the next call reuses. */
static inline const char *kt_test_path(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", kt_test_dir, name);
    return path;
}

/* Writes n bytes to kt_test_dir/name; returns its path as kt_test_path does. */
static inline const char *kt_test_put(const char *name, const void *data, size_t n)
{
    const char *path = kt_test_path(name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    return path;
}

static inline const char *kt_test_put_text(const char *name, const char *s)
{
    return kt_test_put(name, s, strlen(s));
}

#endif
