/* The output writer: a temporary file beside the target, renamed into place when complete (see
 * kartoteka/output.h). The rename keeps the old file whole until the new one is, and writing
 * beside the target keeps the rename on one filesystem. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kartoteka/alloc.h"
#include "kartoteka/output.h"

struct kt_output {
    FILE *f;
    char *target; /* the resolved path renamed onto (the path as given for a device) */
    char *tmp;    /* the temporary file; NULL when writing a device or a pipe directly */
    int replace;
    int synced;
};

/* The workspace's own files: what losing would lose the workspace. */
static const char *const own_files[] = {
    KT_WS_DATABASE, KT_WS_DATABASE "-wal", KT_WS_DATABASE "-shm", KT_WS_DATABASE "-journal",
    KT_WS_LOCKFILE, KT_WS_CONFIG,
};

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static kt_status refuse(const char *path, const char *what, kt_error *err)
{
    return kt_error_set(err, KT_EXISTS, "refusing to write to %s: it is %s; choose another file",
                        path, what);
}

/* By name (a file that does not exist yet, such as a WAL between two commands) and by inode
 * (another path to the same file: ./kartoteka.db, a symbolic or a hard link). */
static kt_status guard_workspace(const char *ws_dir, const char *path, const char *target,
                                 const struct stat *sb, int exists, kt_error *err)
{
    char dir[PATH_MAX], own[PATH_MAX + 64];
    if (!ws_dir || !realpath(ws_dir, dir)) return KT_OK;
    for (size_t i = 0; i < sizeof own_files / sizeof own_files[0]; i++) {
        struct stat ob;
        snprintf(own, sizeof own, "%s/%s", dir, own_files[i]);
        if (strcmp(own, target) == 0 || (exists && stat(own, &ob) == 0 && same_file(&ob, sb)))
            return refuse(path,
                          i < 5 ? "the workspace's database or one of its files"
                                : "the workspace's configuration",
                          err);
    }
    return KT_OK;
}

/* Whatever this process has open (the database, an input being read, a script) is not an
 * output. 0-2 are the caller's own redirections, not the workspace's. */
static kt_status guard_open_files(const char *path, const struct stat *sb, kt_error *err)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d) return KT_OK; /* no /proc: the workspace's own files are still checked by name */
    kt_status st = KT_OK;
    struct dirent *e;
    while (!st && (e = readdir(d))) {
        char *end;
        long fd = strtol(e->d_name, &end, 10);
        struct stat ob;
        if (*end || end == e->d_name || fd <= 2 || fd == dirfd(d)) continue;
        if (fstat((int)fd, &ob) == 0 && S_ISREG(ob.st_mode) && same_file(&ob, sb))
            st = refuse(path,
                        "a file this command has open (the database, its journal, the "
                        "input or a script)",
                        err);
    }
    closedir(d);
    return st;
}

static kt_status guard(const char *ws_dir, const char *path, const char *target,
                       const struct stat *sb, int exists, kt_error *err)
{
    kt_status st = guard_workspace(ws_dir, path, target, sb, exists, err);
    if (!st && exists && S_ISREG(sb->st_mode)) st = guard_open_files(path, sb, err);
    return st;
}

/* target: the real path of an existing file, or the real folder plus the new name. */
static kt_status resolve(const char *path, char **target, struct stat *sb, int *exists,
                         kt_error *err)
{
    char real[PATH_MAX];
    *exists = 0;
    if (stat(path, sb) == 0) {
        *exists = 1;
        if (S_ISDIR(sb->st_mode))
            return kt_error_set(err, KT_EXISTS, "cannot write to %s: it is a folder", path);
        if (!S_ISREG(sb->st_mode)) {
            *target = kt_strdup(path); /* a device or a pipe: written as named */
        } else if (!realpath(path, real)) {
            return kt_error_set(err, KT_IO, "cannot create %s: %s", path, strerror(errno));
        } else {
            *target = kt_strdup(real);
        }
    } else if (errno == ENOENT && lstat(path, sb) == 0) {
        return kt_error_set(err, KT_EXISTS, "cannot write to %s: it is a symbolic link to nothing",
                            path);
    } else if (errno == ENOENT) {
        const char *slash = strrchr(path, '/');
        const char *base = slash ? slash + 1 : path;
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) + (slash == path) : 1,
                 slash ? path : ".");
        if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
            return kt_error_set(err, KT_USAGE, "%s is not a file name", path);
        if (!realpath(dir, real))
            return kt_error_set(err, KT_IO, "cannot create %s: %s", path, strerror(errno));
        size_t n = strlen(real) + strlen(base) + 2;
        if ((*target = kt_malloc(n)))
            snprintf(*target, n, "%s%s%s", real, strcmp(real, "/") ? "/" : "", base);
    } else {
        return kt_error_set(err, KT_IO, "cannot create %s: %s", path, strerror(errno));
    }
    return *target ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
}

static kt_status open_temp(kt_output *o, const char *path, kt_error *err)
{
    const char *slash = strrchr(o->target, '/');
    size_t n = strlen(o->target) + 16;
    if (!(o->tmp = kt_malloc(n))) return kt_error_set(err, KT_NOMEM, "out of memory");
    /* hidden, and named for its target: a crash leaves a file whose origin is plain */
    snprintf(o->tmp, n, "%.*s.%s.XXXXXX", (int)(slash - o->target + 1), o->target, slash + 1);
    int fd = mkstemp(o->tmp);
    if (fd >= 0) (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    if (fd < 0) {
        kt_status st = kt_error_set(err, KT_IO, "cannot create %s: %s", path, strerror(errno));
        kt_free(o->tmp);
        o->tmp = NULL;
        return st;
    }
    if (fchmod(fd, 0600) != 0 || !(o->f = fdopen(fd, "wb"))) {
        kt_status st = kt_error_set(err, KT_IO, "cannot create %s: %s", path, strerror(errno));
        close(fd);
        return st;
    }
    return KT_OK;
}

kt_status kt_output_open(kt_ws *ws, const char *path, int flags, kt_output **out, kt_error *err)
{
    *out = NULL;
    struct stat sb;
    int exists;
    kt_output *o = kt_calloc(1, sizeof *o);
    if (!o) return kt_error_set(err, KT_NOMEM, "out of memory");
    o->replace = (flags & KT_OUTPUT_REPLACE) != 0;
    kt_status st = resolve(path, &o->target, &sb, &exists, err);
    if (!st) st = guard(ws ? kt_ws_dir(ws) : NULL, path, o->target, &sb, exists, err);
    if (!st && exists && S_ISREG(sb.st_mode) && !o->replace)
        st = kt_error_set(err, KT_EXISTS, "%s already exists (--force replaces it)", path);
    if (!st && exists && !S_ISREG(sb.st_mode)) {
        int fd = open(o->target, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || !(o->f = fdopen(fd, "wb"))) {
            st = kt_error_set(err, KT_IO, "cannot write to %s: %s", path, strerror(errno));
            if (fd >= 0) close(fd);
        }
    } else if (!st) {
        st = open_temp(o, path, err);
    }
    if (st) {
        kt_output_abort(o);
        return st;
    }
    *out = o;
    return KT_OK;
}

FILE *kt_output_file(kt_output *o)
{
    return o->f;
}

const char *kt_output_temp_path(const kt_output *o)
{
    return o->tmp;
}

kt_status kt_output_sync(kt_output *o, kt_error *err)
{
    if (o->synced) return KT_OK;
    if (fflush(o->f) != 0)
        return kt_error_set(err, KT_IO, "writing %s: %s", o->target, strerror(errno));
    /* a terminal or a pipe cannot be synced, and need not be */
    if (fsync(fileno(o->f)) != 0 && (o->tmp || (errno != EINVAL && errno != EROFS)))
        return kt_error_set(err, KT_IO, "writing %s: %s", o->target, strerror(errno));
    o->synced = 1;
    return KT_OK;
}

/* Without leave to replace, link() refuses a file that appeared since the check at open; a
 * filesystem without hard links falls back to rename. */
static kt_status place(kt_output *o, kt_error *err)
{
    if (!o->replace) {
        if (link(o->tmp, o->target) == 0) return unlink(o->tmp), KT_OK;
        if (errno == EEXIST)
            return kt_error_set(err, KT_EXISTS, "%s already exists (--force replaces it)",
                                o->target);
        if (errno != EPERM && errno != ENOTSUP && errno != EMLINK && errno != ENOSYS)
            return kt_error_set(err, KT_IO, "cannot create %s: %s", o->target, strerror(errno));
    }
    if (rename(o->tmp, o->target) != 0)
        return kt_error_set(err, KT_IO, "cannot create %s: %s", o->target, strerror(errno));
    return KT_OK;
}

/* The rename is durable once the folder is synced. */
static void sync_folder(const char *target)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(target, '/');
    snprintf(dir, sizeof dir, "%.*s", slash == target ? 1 : (int)(slash - target), target);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    (void)fsync(fd); /* the file itself is whole whatever this says */
    close(fd);
}

kt_status kt_output_commit(kt_output *o, kt_error *err)
{
    kt_status st = kt_output_sync(o, err);
    if (fclose(o->f) != 0 && !st)
        st = kt_error_set(err, KT_IO, "writing %s: %s", o->target, strerror(errno));
    o->f = NULL;
    if (!st && o->tmp && !(st = place(o, err))) {
        sync_folder(o->target);
        kt_free(o->tmp);
        o->tmp = NULL;
    }
    kt_output_abort(o);
    return st;
}

void kt_output_abort(kt_output *o)
{
    if (!o) return;
    if (o->f) fclose(o->f);
    if (o->tmp) unlink(o->tmp);
    kt_free(o->tmp);
    kt_free(o->target);
    kt_free(o);
}

kt_status kt_output_refuse_own(const char *ws_dir, const char *path, kt_error *err)
{
    char *target = NULL;
    struct stat sb;
    int exists;
    kt_status st = resolve(path, &target, &sb, &exists, err);
    if (!st) st = guard(ws_dir, path, target, &sb, exists, err);
    kt_free(target);
    return st;
}
