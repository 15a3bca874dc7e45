/* The output writer (kartoteka/output.h) and the import's rejects through it (issue 15, items 1
 * and 7): nothing appears at the target before commit, a failure keeps what was there, the
 * workspace's own files are refused under any name, and an import whose rejects cannot be
 * synced commits nothing. A full disk is simulated by failing fsync() on the temporary file:
 * this program's fsync stands in for the C library's (the core is linked in statically). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kartoteka/config.h"
#include "kartoteka/import.h"
#include "kartoteka/output.h"
#include "ws_fixture.h"

static const char *fail_sync_of; /* a name part: fsync of a file whose path holds it fails */

int fsync(int fd)
{
    static int (*real)(int);
    if (!real) *(void **)&real = dlsym(RTLD_NEXT, "fsync");
    char link[64], path[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (fail_sync_of && n > 0) {
        path[n] = '\0';
        if (strstr(path, fail_sync_of)) {
            errno = ENOSPC;
            return -1;
        }
    }
    return real(fd);
}

static const char *path_in(const kt_test_ws *t, const char *name)
{
    static char p[2][256];
    static int i;
    i ^= 1;
    snprintf(p[i], sizeof p[i], "%s/%s", t->dir, name);
    return p[i];
}

static char *slurp(const char *path)
{
    static char buf[4096];
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* Files in the folder whose name starts with a dot: the writer's temporary files. */
static int temp_files(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    if (d) closedir(d);
    return n;
}

static int setup(void **state)
{
    kt_test_ws *t = calloc(1, sizeof *t);
    kt_test_ws_open(t, "kt-unit-output");
    *state = t;
    return 0;
}

static kt_status write_text(kt_ws *ws, const char *path, int flags, const char *text, kt_error *err)
{
    kt_output *o;
    kt_status st = kt_output_open(ws, path, flags, &o, err);
    if (st) return st;
    fputs(text, kt_output_file(o));
    return kt_output_commit(o, err);
}

static void new_file_appears_at_commit(void **state)
{
    kt_test_ws *t = *state;
    kt_error err;
    const char *p = path_in(t, "new.csv");
    kt_output *o;
    assert_int_equal(kt_output_open(t->ws, p, 0, &o, &err), KT_OK);
    fputs("a,b\n", kt_output_file(o));
    assert_int_equal(access(p, F_OK), -1); /* nothing at the target while writing */
    assert_int_equal(kt_output_commit(o, &err), KT_OK);
    assert_string_equal(slurp(p), "a,b\n");
    struct stat sb;
    assert_int_equal(stat(p, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(temp_files(t->dir), 0);
    /* an abandoned writer leaves nothing */
    const char *q = path_in(t, "abandoned.csv");
    assert_int_equal(kt_output_open(t->ws, q, 0, &o, &err), KT_OK);
    fputs("half", kt_output_file(o));
    kt_output_abort(o);
    assert_int_equal(access(q, F_OK), -1);
    assert_int_equal(temp_files(t->dir), 0);
}

static void existing_file_replaced_only_when_asked(void **state)
{
    kt_test_ws *t = *state;
    kt_error err;
    const char *p = path_in(t, "old.csv");
    assert_int_equal(write_text(t->ws, p, 0, "old\n", &err), KT_OK);
    assert_int_equal(write_text(t->ws, p, 0, "new\n", &err), KT_EXISTS);
    assert_non_null(strstr(err.message, "--force"));
    assert_string_equal(slurp(p), "old\n");
    chmod(p, 0644);
    assert_int_equal(write_text(t->ws, p, KT_OUTPUT_REPLACE, "new\n", &err), KT_OK);
    assert_string_equal(slurp(p), "new\n");
    struct stat sb;
    assert_int_equal(stat(p, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    /* a folder is no output */
    assert_int_equal(write_text(t->ws, t->dir, KT_OUTPUT_REPLACE, "x", &err), KT_EXISTS);
}

static void workspace_files_refused(void **state)
{
    kt_test_ws *t = *state;
    kt_error err;
    char cwd[PATH_MAX];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(link(path_in(t, "kartoteka.db"), path_in(t, "hard.db")), 0);
    assert_int_equal(symlink("kartoteka.db", path_in(t, "soft.db")), 0);
    assert_int_equal(write_text(NULL, path_in(t, "kartoteka.lua"), 0, "-- config\n", &err), KT_OK);
    static const char *const names[] = {
        "kartoteka.db",      "kartoteka.db-wal", "kartoteka.db-shm", "kartoteka.db-journal",
        "kartoteka.db.lock", "kartoteka.lua",    "hard.db",          "soft.db",
        "./kartoteka.db"};
    struct stat before;
    assert_int_equal(stat(path_in(t, "kartoteka.db"), &before), 0);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        assert_int_equal(write_text(t->ws, path_in(t, names[i]), KT_OUTPUT_REPLACE, "x", &err),
                         KT_EXISTS);
        assert_non_null(strstr(err.message, "refusing"));
    }
    /* relative to the workspace's folder */
    assert_int_equal(chdir(t->dir), 0);
    assert_int_equal(write_text(t->ws, "kartoteka.db", KT_OUTPUT_REPLACE, "x", &err), KT_EXISTS);
    assert_int_equal(chdir(cwd), 0);
    struct stat after;
    assert_int_equal(stat(path_in(t, "kartoteka.db"), &after), 0);
    assert_int_equal(after.st_size, before.st_size);
    assert_int_equal(after.st_ino, before.st_ino);
    /* a file this process holds open, even with no workspace named */
    const char *p = path_in(t, "input.csv");
    assert_int_equal(write_text(NULL, p, 0, "id\n", &err), KT_OK);
    int fd = open(p, O_RDONLY);
    assert_int_equal(write_text(NULL, p, KT_OUTPUT_REPLACE, "x", &err), KT_EXISTS);
    close(fd);
    assert_string_equal(slurp(p), "id\n");
    assert_int_equal(temp_files(t->dir), 0);
}

static void failed_sync_keeps_the_old_file(void **state)
{
    kt_test_ws *t = *state;
    kt_error err;
    const char *p = path_in(t, "full.csv");
    assert_int_equal(write_text(t->ws, p, 0, "before\n", &err), KT_OK);
    fail_sync_of = "/.full.csv.";
    assert_int_equal(write_text(t->ws, p, KT_OUTPUT_REPLACE, "after\n", &err), KT_IO);
    assert_int_equal(write_text(t->ws, path_in(t, "full.csvx"), 0, "x", &err), KT_OK);
    fail_sync_of = NULL;
    assert_non_null(strstr(err.message, "full.csv"));
    assert_string_equal(slurp(p), "before\n");
    unlink(path_in(t, "full.csvx"));
    assert_int_equal(temp_files(t->dir), 0);
}

/* Item 7: the rejects are synced before the import commits; when they cannot be, nothing is
 * committed, the batch is forgotten and the rejects path stays as it was. */
static void import_commits_nothing_without_its_rejects(void **state)
{
    kt_test_ws *t = *state;
    kt_error err;
    char script[256], csv[256];
    snprintf(script, sizeof script, "%s", path_in(t, "map.lua"));
    snprintf(csv, sizeof csv, "%s", path_in(t, "rows.csv"));
    assert_int_equal(write_text(NULL, script, 0,
                                "return { entity = 'person', map = function(row) return {\n"
                                "  first_name = row.name, email = row.email } end }\n",
                                &err),
                     KT_OK);
    assert_int_equal(write_text(NULL, csv, 0,
                                "name,email\nOla,ola@example.com\nBad,not-an-email\n"
                                "Jan,jan@example.com\n",
                                &err),
                     KT_OK);
    long people = (long)kt_test_ws_value(t->ws, "SELECT count(*) FROM person");
    long batches = (long)kt_test_ws_value(t->ws, "SELECT count(*) FROM kt_batch");
    kt_import_opts o = {0};
    o.script = script;
    o.rejects = path_in(t, "rejects.csv");
    kt_import_summary s;
    fail_sync_of = "/.rejects.csv.";
    assert_int_equal(kt_import_run(t->ws, csv, &o, &s, &err), KT_IO);
    fail_sync_of = NULL;
    assert_non_null(strstr(err.message, "rejects.csv"));
    assert_int_equal(kt_test_ws_value(t->ws, "SELECT count(*) FROM person"), people);
    assert_int_equal(kt_test_ws_value(t->ws, "SELECT count(*) FROM kt_batch"), batches);
    assert_int_equal(access(o.rejects, F_OK), -1);
    assert_int_equal(temp_files(t->dir), 0);
    /* the same import with a disk that takes the rejects */
    assert_int_equal(kt_import_run(t->ws, csv, &o, &s, &err), KT_OK);
    assert_int_equal(s.created, 2);
    assert_int_equal(s.rejected, 1);
    assert_non_null(strstr(slurp(o.rejects), "not-an-email"));
    assert_int_equal(kt_test_ws_value(t->ws, "SELECT count(*) FROM person"), people + 2);
    /* a rejects file already there is kept unless replacing was asked for */
    assert_int_equal(kt_import_run(t->ws, csv, &o, &s, &err), KT_EXISTS);
    o.rejects_replace = 1;
    assert_int_equal(kt_import_run(t->ws, csv, &o, &s, &err), KT_OK);
    kt_test_ws_assert_idle(t->ws);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(new_file_appears_at_commit, setup, kt_test_ws_teardown),
        cmocka_unit_test_setup_teardown(existing_file_replaced_only_when_asked, setup,
                                        kt_test_ws_teardown),
        cmocka_unit_test_setup_teardown(workspace_files_refused, setup, kt_test_ws_teardown),
        cmocka_unit_test_setup_teardown(failed_sync_keeps_the_old_file, setup, kt_test_ws_teardown),
        cmocka_unit_test_setup_teardown(import_commits_nothing_without_its_rejects, setup,
                                        kt_test_ws_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
