/* What every command group shares: opening the workspace, flags, errors, exit codes. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "kartoteka/alloc.h"
#include "kartoteka/open.h"

int cli_exit_code(kt_status st)
{
    switch (st) {
    case KT_OK:
        return EX_OK_;
    case KT_USAGE:
        return EX_USAGE_;
    case KT_INVALID:
    case KT_CONSTRAINT:
    case KT_SCRIPT:
    case KT_TIMEOUT:
    case KT_LIMIT:
    case KT_ABI:
    case KT_DENIED:
        return EX_DATAERR_;
    case KT_NOTFOUND:
        return EX_NOINPUT_;
    case KT_EXISTS:
        return EX_CANTCREAT_;
    case KT_IO:
        return EX_IOERR_;
    case KT_BUSY:
        return EX_TEMPFAIL_;
    default:
        return EX_SOFTWARE_;
    }
}

int cli_fail(const kt_error *err)
{
    cli_progress_clear();
    fprintf(stderr, "%skt:%s %s\n", cli_sgr(stderr, "error"), cli_sgr(stderr, "off"), err->message);
    return cli_exit_code(err->code);
}

int cli_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_progress_clear();
    fprintf(stderr, "%skt:%s ", cli_sgr(stderr, "error"), cli_sgr(stderr, "off"));
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return EX_USAGE_;
}

int cli_number(const char *what, const char *text, long long min, long long max, long long *out)
{
    const char *d = text && text[0] == '-' && min < 0 ? text + 1 : text;
    int digits = d && *d;
    for (const char *p = d; digits && *p; p++)
        digits = *p >= '0' && *p <= '9';
    if (!digits) return cli_usage("%s must be a whole number, not \"%s\"", what, text ? text : "");
    errno = 0;
    long long v = strtoll(text, NULL, 10);
    if (errno == ERANGE || v < min || v > max)
        return cli_usage("%s must be between %lld and %lld, not %s", what, min, max, text);
    *out = v;
    return 0;
}

int cli_id(const char *text, kt_id *out)
{
    long long v = 0;
    int rc = cli_number("a record id", text, 1, LLONG_MAX, &v);
    *out = v;
    return rc;
}

int cli_take_flag(int *argc, char **argv, const char *flag)
{
    int found = 0;
    for (int i = 1; i < *argc;) {
        if (strcmp(argv[i], flag) == 0) {
            memmove(&argv[i], &argv[i + 1], (size_t)(*argc - i) * sizeof *argv);
            (*argc)--;
            found = 1;
        } else {
            i++;
        }
    }
    return found;
}

const char *cli_take_option(int *argc, char **argv, const char *name)
{
    size_t len = strlen(name);
    for (int i = 1; i < *argc; i++) {
        if (strncmp(argv[i], name, len) != 0) continue;
        if (argv[i][len] == '=') {
            const char *v = argv[i] + len + 1;
            memmove(&argv[i], &argv[i + 1], (size_t)(*argc - i) * sizeof *argv);
            (*argc)--;
            return v;
        }
        if (argv[i][len] == '\0' && i + 1 < *argc) {
            const char *v = argv[i + 1];
            memmove(&argv[i], &argv[i + 2], (size_t)(*argc - i - 1) * sizeof *argv);
            *argc -= 2;
            return v;
        }
    }
    return NULL;
}

static char exe_dir[PATH_MAX];

static const char *executable_dir(void)
{
    if (exe_dir[0]) return exe_dir;
    ssize_t n = readlink("/proc/self/exe", exe_dir, sizeof exe_dir - 1);
    if (n <= 0) return strcpy(exe_dir, ".");
    exe_dir[n] = '\0';
    char *slash = strrchr(exe_dir, '/');
    if (slash) *slash = '\0';
    return exe_dir;
}

static int is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* A kt running from the build tree uses the tree's plugins and scripts; an installed kt uses
 * the installed ones. KT_PLUGIN_PATH adds folders in front. */
void cli_plugin_dirs(const char *dirs[], size_t *n, size_t max)
{
    static char env_copy[PATH_MAX * 4], build[PATH_MAX], installed[PATH_MAX];
    *n = 0;
    const char *env = getenv("KT_PLUGIN_PATH");
    if (env && *env) {
        snprintf(env_copy, sizeof env_copy, "%s", env);
        for (char *tok = strtok(env_copy, ":"); tok && *n < max; tok = strtok(NULL, ":"))
            dirs[(*n)++] = tok;
    }
    snprintf(build, sizeof build, "%s/../plugins", executable_dir());
    if (*n < max && is_dir(build) && strcmp(build, KT_BUILD_PLUGIN_DIR) != 0) dirs[(*n)++] = build;
    if (*n < max && is_dir(KT_BUILD_PLUGIN_DIR)) dirs[(*n)++] = KT_BUILD_PLUGIN_DIR;
    /* an install moved with --prefix: bin/kt next to lib/kartoteka/plugins */
    snprintf(installed, sizeof installed, "%s/../lib/kartoteka/plugins", executable_dir());
    if (*n < max && is_dir(installed)) dirs[(*n)++] = installed;
    if (*n < max) dirs[(*n)++] = KT_PLUGIN_DIR;
}

void cli_script_dirs(const char *dirs[], size_t *n, size_t max)
{
    static char installed[PATH_MAX];
    *n = 0;
    snprintf(installed, sizeof installed, "%s/../share/kartoteka/scripts", executable_dir());
    if (*n < max && is_dir(installed)) dirs[(*n)++] = installed;
    if (*n < max && is_dir(KT_SCRIPT_DIR)) dirs[(*n)++] = KT_SCRIPT_DIR;
    if (*n < max && is_dir(KT_SOURCE_DIR "/scripts")) dirs[(*n)++] = KT_SOURCE_DIR "/scripts";
}

const char *cli_example_dir(const char *name, char *buf, size_t size)
{
    if (strchr(name, '/')) return is_dir(name) ? name : NULL;
    snprintf(buf, size, "%s/%s", KT_EXAMPLE_DIR, name);
    if (is_dir(buf)) return buf;
    snprintf(buf, size, "%s/examples/%s", KT_SOURCE_DIR, name);
    return is_dir(buf) ? buf : NULL;
}

/* A script stuck inside a C function cannot be interrupted safely; ending the process leaves
 * the open transaction uncommitted, so nothing it started is written. */
static void runaway(void *ud, const char *what)
{
    (void)ud;
    static const char prefix[] = "kt: ";
    static const char suffix[] = " (stopped; nothing was written)\n";
    if (write(2, prefix, sizeof prefix - 1) < 0) _exit(EX_DATAERR_);
    if (write(2, what, strlen(what)) < 0) _exit(EX_DATAERR_);
    if (write(2, suffix, sizeof suffix - 1) < 0) _exit(EX_DATAERR_);
    _exit(EX_DATAERR_);
}

static void to_stdout(void *ud, const char *text, size_t len)
{
    (void)ud;
    fwrite(text, 1, len, stdout);
}

static void warn_if_shared(const char *dir)
{
    char path[PATH_MAX];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s", dir, KT_WS_DATABASE);
    if (stat(path, &sb) == 0 && (sb.st_mode & 077))
        fprintf(stderr,
                "kt: warning: %s is readable by other users (mode %03o); it holds personal data: "
                "chmod 600 it\n",
                path, (unsigned)(sb.st_mode & 0777));
}

/* Like git's GIT_CEILING_DIRECTORIES: the search upwards never looks at these folders or above
 * them. */
static int above_ceiling(const char *found)
{
    const char *env = getenv("KT_CEILING_DIRECTORIES");
    if (!env || !*env) return 0;
    char copy[PATH_MAX * 4], real[PATH_MAX];
    snprintf(copy, sizeof copy, "%s", env);
    for (char *tok = strtok(copy, ":"); tok; tok = strtok(NULL, ":")) {
        if (!realpath(tok, real)) continue;
        size_t n = strlen(found);
        if (strncmp(real, found, n) == 0 && (real[n] == '/' || real[n] == '\0')) return 1;
    }
    return 0;
}

kt_status cli_ws_open(const char *dir, kt_ws **out, kt_error *err)
{
    const char *pdirs[16], *sdirs[4];
    size_t np, ns;
    cli_plugin_dirs(pdirs, &np, 16);
    cli_script_dirs(sdirs, &ns, 4);
    kt_config_opts o = {pdirs, np, sdirs, ns, runaway, NULL, 0};
    return kt_open(dir, &o, out, err);
}

int cli_open(kt_cli *cli)
{
    kt_error err;
    char *dir = NULL;
    kt_status st = kt_ws_find(cli->dir ? cli->dir : ".", &dir, &err);
    if (st) return cli_fail(&err);
    if (above_ceiling(dir)) {
        fprintf(stderr,
                "kt: no Kartoteka workspace in %s or any folder above it below "
                "KT_CEILING_DIRECTORIES\n",
                cli->dir ? cli->dir : ".");
        kt_free(dir);
        return EX_NOINPUT_;
    }
    warn_if_shared(dir);
    st = cli_ws_open(dir, &cli->ws, &err);
    kt_free(dir);
    if (st) return cli_fail(&err);
    /* The configuration's warnings are refused plugins: kartoteka.lua names each, so the
     * workspace is not what it says it is (its types unchecked, its functions missing). */
    const char *w;
    size_t nw = 0;
    for (; (w = kt_config_warning(cli->ws, nw)); nw++)
        fprintf(stderr, "kt: %s\n", w);
    if (nw) {
        fprintf(stderr, "kt: kartoteka.lua needs %s: fix %s or remove the plugin line\n",
                nw == 1 ? "this plugin" : "these plugins", nw == 1 ? "it" : "them");
        cli_close(cli);
        return EX_DATAERR_;
    }
    kt_config_set_output(cli->ws, to_stdout, NULL);
    kt_config_set_source(cli->ws, "cli");
    cli_progress_attach(cli);
    cli_info("workspace %s", kt_ws_dir(cli->ws));
    return 0;
}

void cli_close(kt_cli *cli)
{
    kt_ws_close(cli->ws);
    cli->ws = NULL;
}

int cli_dry_run_begin(kt_cli *cli)
{
    kt_error err;
    return kt_store_begin(kt_ws_store(cli->ws), &err) ? cli_fail(&err) : 0;
}

void cli_dry_run_end(kt_cli *cli)
{
    kt_store_rollback(kt_ws_store(cli->ws));
    if (!cli_quiet()) fprintf(stderr, "kt: dry run: nothing was written\n");
}
