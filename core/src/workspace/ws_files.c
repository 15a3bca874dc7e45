/* The workspace as a folder: finding it like git finds a repository, and making a new one. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "store/schema_files.h"
#include "workspace/ws_internal.h"

static int has_file(const char *dir, const char *name)
{
    char path[PATH_MAX];
    struct stat sb;
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path) return 0;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

kt_status kt_ws_find(const char *start, char **dir, kt_error *err)
{
    char cur[PATH_MAX];
    *dir = NULL;
    if (!realpath(start, cur))
        return kt_error_set(err, KT_NOTFOUND, "%s: %s", start, strerror(errno));
    for (;;) {
        if (has_file(cur, KT_WS_CONFIG) || has_file(cur, KT_WS_DATABASE)) {
            *dir = kt_strdup(cur);
            return *dir ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
        }
        char *slash = strrchr(cur, '/');
        if (!slash || slash == cur) break;
        *slash = '\0';
    }
    return kt_error_set(err, KT_NOTFOUND,
                        "no Kartoteka workspace in %s or any folder above it (make one with "
                        "`kt init DIR`, or point at one with -C DIR or KT_WORKSPACE)",
                        start);
}

static kt_status write_file(const char *path, const char *text, mode_t mode, kt_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
    if (fd < 0) return kt_error_set(err, KT_IO, "cannot create %s: %s", path, strerror(errno));
    size_t len = strlen(text), done = 0;
    while (done < len) {
        ssize_t n = write(fd, text + done, len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            close(fd);
            return kt_error_set(err, KT_IO, "cannot write %s: %s", path, strerror(errno));
        }
        done += (size_t)n;
    }
    if (close(fd) != 0) return kt_error_set(err, KT_IO, "cannot write %s: %s", path, strerror(errno));
    return KT_OK;
}

static kt_status copy_file(const char *from, const char *to, mode_t mode, kt_error *err)
{
    int in = open(from, O_RDONLY);
    if (in < 0) return kt_error_set(err, KT_IO, "cannot read %s: %s", from, strerror(errno));
    int outfd = open(to, O_WRONLY | O_CREAT | O_EXCL, mode);
    if (outfd < 0) {
        close(in);
        return kt_error_set(err, KT_IO, "cannot create %s: %s", to, strerror(errno));
    }
    char buf[65536];
    kt_status st = KT_OK;
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            st = kt_error_set(err, KT_IO, "cannot read %s: %s", from, strerror(errno));
            break;
        }
        if (n == 0) break;
        if (write(outfd, buf, (size_t)n) != n) {
            st = kt_error_set(err, KT_IO, "cannot write %s: %s", to, strerror(errno));
            break;
        }
    }
    close(in);
    if (close(outfd) != 0 && !st) st = kt_error_set(err, KT_IO, "cannot write %s", to);
    return st;
}

/* Copies a folder tree: regular files and folders only (a link could lead anywhere, a loop
 * forever), never a database, its companions or its lock (*.db*), never a dot file. */
static kt_status copy_tree(const char *from, const char *to, const char *skip, kt_error *err)
{
    DIR *d = opendir(from);
    if (!d) return kt_error_set(err, KT_NOTFOUND, "cannot read %s: %s", from, strerror(errno));
    kt_status st = KT_OK;
    struct dirent *e;
    char src[PATH_MAX], dst[PATH_MAX];
    while (!st && (e = readdir(d))) {
        if (e->d_name[0] == '.' || strstr(e->d_name, ".db")) continue;
        if (skip && !strcmp(e->d_name, skip)) continue;
        if ((size_t)snprintf(src, sizeof src, "%s/%s", from, e->d_name) >= sizeof src ||
            (size_t)snprintf(dst, sizeof dst, "%s/%s", to, e->d_name) >= sizeof dst) {
            st = kt_error_set(err, KT_IO, "path too long under %s", from);
            break;
        }
        struct stat sb;
        if (lstat(src, &sb) != 0) continue;
        if (S_ISDIR(sb.st_mode)) {
            if (mkdir(dst, 0700) != 0 && errno != EEXIST)
                st = kt_error_set(err, KT_IO, "cannot create %s: %s", dst, strerror(errno));
            else
                st = copy_tree(src, dst, NULL, err);
        } else if (S_ISREG(sb.st_mode)) {
            st = copy_file(src, dst, 0600, err);
        }
    }
    closedir(d);
    return st;
}

kt_status kt_ws_copy_files(const char *from, const char *to, const char *skip, kt_error *err)
{
    return copy_tree(from, to, skip, err);
}

static const char *starter_config(void)
{
    for (const kt_schema_file *f = kt_schema_files; f->name; f++)
        if (strcmp(f->name, "workspace-template.lua") == 0) return f->text;
    return "-- Kartoteka workspace configuration\n";
}

kt_status kt_ws_store_where(const char *dir, char **out, kt_error *err)
{
    char path[PATH_MAX];
    *out = NULL;
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, KT_WS_STORE) >= sizeof path)
        return kt_error_set(err, KT_IO, "path too long: %s", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno != ENOENT)
            return kt_error_set(err, KT_IO, "cannot read %s: %s", path, strerror(errno));
        kt_buf db = KT_BUF_INIT;
        kt_status st = kt_buf_printf(&db, err, "%s/%s", dir, KT_WS_DATABASE);
        if (!st && !(*out = kt_strdup(kt_buf_str(&db))))
            st = kt_error_set(err, KT_NOMEM, "out of memory");
        kt_buf_free(&db);
        return st;
    }
    char line[2048];
    int got = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    line[got ? strcspn(line, "\r\n") : 0] = '\0';
    if (!*line) return kt_error_set(err, KT_INVALID, "%s names no store", path);
    if (!(*out = kt_strdup(line))) return kt_error_set(err, KT_NOMEM, "out of memory");
    return KT_OK;
}

kt_status kt_ws_create(const char *dir, const char *example_dir, kt_error *err)
{
    return kt_ws_create_in(dir, example_dir, NULL, err);
}

kt_status kt_ws_create_in(const char *dir, const char *example_dir, const char *store,
                          kt_error *err)
{
    char cfg[PATH_MAX];
    if (store && !kt_store_is_remote(store))
        return kt_error_set(err, KT_USAGE,
                            "--store takes a postgresql:// URL (without it the data lives in "
                            "%s)",
                            KT_WS_DATABASE);
    kt_status refused = store ? kt_store_check(store, err) : KT_OK;
    if (refused) return refused;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return kt_error_set(err, KT_IO, "cannot create %s: %s", dir, strerror(errno));
    if (has_file(dir, KT_WS_CONFIG) || has_file(dir, KT_WS_DATABASE))
        return kt_error_set(err, KT_EXISTS, "%s already holds a Kartoteka workspace", dir);
    if ((size_t)snprintf(cfg, sizeof cfg, "%s/%s", dir, KT_WS_CONFIG) >= sizeof cfg)
        return kt_error_set(err, KT_IO, "path too long: %s", dir);
    kt_status st;
    if (example_dir) {
        if (!has_file(example_dir, KT_WS_CONFIG))
            return kt_error_set(err, KT_NOTFOUND, "%s is not an example workspace (no %s)",
                                example_dir, KT_WS_CONFIG);
        st = copy_tree(example_dir, dir, NULL, err);
    } else {
        st = write_file(cfg, starter_config(), 0600, err);
        static const char *const subdirs[] = {"imports", "campaigns", "reports", "plugins",
                                              "tests", NULL};
        for (size_t i = 0; !st && subdirs[i]; i++) {
            char sub[PATH_MAX];
            snprintf(sub, sizeof sub, "%s/%s", dir, subdirs[i]);
            if (mkdir(sub, 0700) != 0 && errno != EEXIST)
                st = kt_error_set(err, KT_IO, "cannot create %s: %s", sub, strerror(errno));
        }
    }
    if (st) return st;
    if (store) {
        kt_buf line = KT_BUF_INIT;
        if ((size_t)snprintf(cfg, sizeof cfg, "%s/%s", dir, KT_WS_STORE) >= sizeof cfg)
            return kt_error_set(err, KT_IO, "path too long: %s", dir);
        kt_status rc = kt_buf_printf(&line, err, "%s\n", store);
        if (!rc) rc = write_file(cfg, kt_buf_str(&line), 0600, err);
        kt_buf_free(&line);
        if (rc) return rc;
    }
    /* the database, made and migrated by the store (opening the workspace would also load its
     * registry and readers, none of which a new folder needs) */
    char *where = NULL;
    kt_store *s = NULL;
    kt_store_opts so = {1, 0};
    if (!(st = kt_ws_store_where(dir, &where, err))) st = kt_store_open(where, &so, &s, err);
    kt_store_close(s);
    kt_free(where);
    return st;
}
