/* Scripts from the command line: kt run (one script, one transaction) and kt test (a
 * workspace's Lua tests, each on a fresh copy of its schema). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "kartoteka/alloc.h"
#include "kartoteka/host.h"

static int run_script(kt_cli *cli, const char *path, const char *const *args, size_t nargs,
                      int dry_run)
{
    char source[PATH_MAX + 16];
    snprintf(source, sizeof source, "script %s", path);
    kt_config_set_source(cli->ws, source);
    kt_config_set_args(cli->ws, args, nargs);
    kt_error err;
    kt_store *s = kt_ws_store(cli->ws);
    /* One transaction for the whole script: a script stopped half-way writes nothing. */
    if (kt_store_begin(s, &err)) return cli_fail(&err);
    kt_host_limits usual;
    kt_config_begin_batch(cli->ws, &usual); /* a whole script is a batch, not one rule */
    kt_status st = kt_host_run_file(kt_config_host(cli->ws), path, 0, &err);
    kt_config_end_batch(cli->ws, &usual);
    fflush(stdout);
    if (st) {
        kt_store_rollback(s);
        fprintf(stderr, "kt: %s%s%s (nothing was written)\n", err.message,
                err.where[0] && !strstr(err.message, err.where) ? " at " : "",
                err.where[0] && !strstr(err.message, err.where) ? err.where : "");
        return cli_exit_code(st);
    }
    if (dry_run) {
        cli_dry_run_end(cli); /* the script's one transaction, rolled back */
        return 0;
    }
    if (kt_store_commit(s, &err)) return cli_fail(&err);
    return 0;
}

int cmd_run(kt_cli *cli, int argc, char **argv)
{
    /* only before the script's name: the words after it are the script's own */
    int dry_run = argc > 1 && !strcmp(argv[1], "--dry-run");
    if (dry_run) argv++, argc--;
    if (argc < 2) return cli_usage("usage: kt run [--dry-run] SCRIPT.lua [ARGS...]");
    if (access(argv[1], R_OK) != 0) {
        fprintf(stderr, "kt: cannot read %s: %s\n", argv[1], strerror(errno));
        return EX_NOINPUT_;
    }
    int rc = cli_open(cli);
    if (rc) return rc;
    return run_script(cli, argv[1], (const char *const *)argv + 2, (size_t)argc - 2, dry_run);
}

static int script_file(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return e->d_name[0] != '.' && n > 4 && strcmp(e->d_name + n - 4, ".lua") == 0;
}

/* Each test starts from the workspace's configuration and scripts alone (never its data), in
 * a folder of its own. Copied in C: the folder's name is the user's and never meets a shell. */
static int copy_workspace(const char *from, const char *to)
{
    kt_error err;
    kt_error_clear(&err);
    char tests[PATH_MAX + 8];
    snprintf(tests, sizeof tests, "%s/tests", to);
    if (kt_ws_copy_files(from, to, "tests", &err) || mkdir(tests, 0700) != 0) {
        fprintf(stderr, "kt: copying the workspace for a test: %s\n",
                err.code ? err.message : strerror(errno));
        return -1;
    }
    return 0;
}

/* Removes a test's folder and everything in it; links are removed, never followed. */
static int remove_tree(int parent, const char *name)
{
    int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    int rc = 0;
    if (!d) {
        if (fd >= 0) close(fd);
        return unlinkat(parent, name, 0);
    }
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
            remove_tree(dirfd(d), e->d_name) != 0)
            rc = -1;
    closedir(d);
    return unlinkat(parent, name, AT_REMOVEDIR) != 0 ? -1 : rc;
}

static int run_test(kt_cli *cli, const char *wsdir, const char *file)
{
    char tmp[] = "/tmp/kt-test-XXXXXX", abs[PATH_MAX];
    if (!mkdtemp(tmp)) return EX_CANTCREAT_;
    if (!realpath(file, abs)) snprintf(abs, sizeof abs, "%s", file);
    if (copy_workspace(wsdir, tmp) != 0) {
        remove_tree(AT_FDCWD, tmp);
        printf("FAIL %s\n", file);
        return 1;
    }
    /* each test in its own process: a test that crashes the host cannot take the others down */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        kt_cli c = *cli;
        c.dir = tmp;
        c.ws = NULL;
        int rc = cli_open(&c);
        if (!rc) {
            kt_error err;
            kt_config_set_source(c.ws, "test");
            kt_status st = kt_host_run_file(kt_config_host(c.ws), abs, 0, &err);
            if (st) {
                fprintf(stderr, "FAIL %s: %s\n", file, err.message);
                rc = 1;
            }
        }
        cli_close(&c);
        fflush(stdout);
        _exit(rc ? 1 : 0);
    }
    int status = 1;
    if (pid > 0) waitpid(pid, &status, 0);
    if (remove_tree(AT_FDCWD, tmp) != 0) fprintf(stderr, "kt: could not remove %s\n", tmp);
    int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    printf("%s %s\n", ok ? "ok  " : "FAIL", file);
    return ok ? 0 : 1;
}

int cmd_test(kt_cli *cli, int argc, char **argv)
{
    kt_error err;
    char *wsdir = NULL;
    if (kt_ws_find(cli->dir ? cli->dir : ".", &wsdir, &err)) return cli_fail(&err);
    int failed = 0, total = 0;
    if (argc > 1) {
        for (int i = 1; i < argc; i++, total++) failed += run_test(cli, wsdir, argv[i]);
    } else {
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%s/tests", wsdir);
        struct dirent **list = NULL;
        int n = scandir(dir, &list, script_file, alphasort);
        for (int i = 0; i < n; i++, total++) {
            char path[PATH_MAX + 256];
            snprintf(path, sizeof path, "%s/%s", dir, list[i]->d_name);
            failed += run_test(cli, wsdir, path);
            free(list[i]);
        }
        free(list);
    }
    kt_free(wsdir);
    printf("%d passed, %d failed\n", total - failed, failed);
    return failed ? 1 : 0;
}
