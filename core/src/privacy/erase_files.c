/* The files an erasure must reach: every file kt or its user keeps in the workspace folder —
 * import logs, rejects and uploads under imports/, the file channel's copies of delivered
 * messages, exports, reports and import logs written anywhere in it — and the file channel's
 * folder or mbox when they lie outside. A line that names the person is rewritten with every one
 * of their values replaced; lines about others stay byte for byte. Left alone: the database and
 * its companions (SQLite's own files, erased by the database pass), scripts (*.lua) and plugins
 * (code, not data), hidden files (the editor's and version control's), and binary files — a
 * backup made by kt backup, a workbook — which a line rewrite would break: those are counted as
 * kept, for the caller to say so (README, Erasure). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "kartoteka/workspace.h"
#include "privacy/privacy_int.h"

#define MAX_FILE (512L * 1024 * 1024) /* a file larger than this is reported, not read */
#define MAX_DEPTH 8

kt_status kt_erase_values_add(kt_erase_values *vals, const char *text, kt_error *err)
{
    if (!text || strlen(text) < KT_ERASE_MIN_LEN || !strcmp(text, KT_ERASED)) return KT_OK;
    for (size_t i = 0; i < vals->n; i++)
        if (!strcmp(vals->v[i], text)) return KT_OK;
    if (vals->n == vals->cap) {
        size_t cap = vals->cap ? vals->cap * 2 : 16;
        char **v = kt_realloc(vals->v, cap * sizeof *v);
        if (!v) return kt_error_set(err, KT_NOMEM, "out of memory");
        vals->v = v;
        vals->cap = cap;
    }
    if (!(vals->v[vals->n] = kt_strdup(text))) return kt_error_set(err, KT_NOMEM, "out of memory");
    vals->n++;
    /* longer first, so "Nowak-Kowalska" is replaced whole before "Nowak" could be */
    for (size_t i = vals->n - 1; i > 0 && strlen(vals->v[i]) > strlen(vals->v[i - 1]); i--) {
        char *t = vals->v[i];
        vals->v[i] = vals->v[i - 1];
        vals->v[i - 1] = t;
    }
    return KT_OK;
}

void kt_erase_values_free(kt_erase_values *vals)
{
    for (size_t i = 0; i < vals->n; i++)
        kt_free(vals->v[i]);
    kt_free(vals->v);
    memset(vals, 0, sizeof *vals);
}

int kt_erase_value_names(const char *value)
{
    if (strlen(value) >= 6 || strchr(value, '@')) return 1;
    for (const char *p = value; *p; p++)
        if (*p >= '0' && *p <= '9') return 1;
    return 0;
}

/* The first value at p, or -1. */
static int value_at(const kt_erase_values *vals, const char *p, size_t left)
{
    for (size_t k = 0; k < vals->n; k++) {
        size_t len = strlen(vals->v[k]);
        if (len <= left && !memcmp(p, vals->v[k], len)) return (int)k;
    }
    return -1;
}

/* The digits of s (at most size - 1 of them) into out; their count. */
static size_t digits(const char *s, size_t n, char *out, size_t size)
{
    size_t d = 0;
    for (size_t i = 0; i < n && d + 1 < size; i++)
        if (s[i] >= '0' && s[i] <= '9') out[d++] = s[i];
    out[d] = '\0';
    return d;
}

/* A phone number as people type it ("601 234 567", "(0048) 601-234-567") at p that is one of
 * the values (stored as "+48601234567"): the length of its spelling, or 0. */
static size_t phone_at(const kt_erase_values *vals, const char *p, size_t left)
{
    if (!(*p == '+' || *p == '(' || (*p >= '0' && *p <= '9'))) return 0;
    size_t n = 0, last = 0;
    while (n < left && n < 40 && strchr("0123456789 +-()./", p[n]) && p[n]) {
        if (p[n] >= '0' && p[n] <= '9') last = n + 1;
        n++;
    }
    char typed[48];
    size_t nt = digits(p, last, typed, sizeof typed);
    if (nt < 7) return 0;
    for (size_t k = 0; k < vals->n; k++) {
        const char *v = vals->v[k];
        if (v[0] != '+') continue;
        char stored[48];
        size_t ns = digits(v, strlen(v), stored, sizeof stored);
        if (ns != strlen(v) - 1) continue; /* not a stored phone number */
        /* the national number typed without its country code, or the whole number */
        if ((ns >= nt && !strcmp(stored + ns - nt, typed)) ||
            (nt > ns && !strcmp(typed + nt - ns, stored)))
            return last;
    }
    return 0;
}

static int line_names(const kt_erase_values *vals, const char *line, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        int k = value_at(vals, line + i, len - i);
        if ((k >= 0 && kt_erase_value_names(vals->v[k])) || phone_at(vals, line + i, len - i))
            return 1;
    }
    return 0;
}

/* The file's text with the person's lines rewritten into out; *hit when any was. */
static kt_status rewrite(const kt_erase_values *vals, const char *text, size_t size, kt_buf *out,
                         int *hit, kt_error *err)
{
    kt_status st = KT_OK;
    *hit = 0;
    for (size_t at = 0; !st && at < size;) {
        const char *nl = memchr(text + at, '\n', size - at);
        size_t len = nl ? (size_t)(nl - (text + at)) + 1 : size - at;
        if (!line_names(vals, text + at, len)) {
            st = kt_buf_append(out, text + at, len, err);
            at += len;
            continue;
        }
        *hit = 1;
        for (size_t i = 0; !st && i < len;) {
            int k = value_at(vals, text + at + i, len - i);
            size_t phone = k < 0 ? phone_at(vals, text + at + i, len - i) : 0;
            if (k >= 0 || phone) {
                st = kt_buf_puts(out, KT_ERASED, err);
                i += k >= 0 ? strlen(vals->v[k]) : phone;
            } else {
                st = kt_buf_putc(out, text[at + i++], err);
            }
        }
        at += len;
    }
    return st;
}

static kt_status read_all(const char *path, kt_buf *out, kt_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) return kt_error_set(err, KT_IO, "%s: %s", path, strerror(errno));
    char chunk[65536];
    size_t n;
    kt_status st = KT_OK;
    while (!st && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        st = kt_buf_append(out, chunk, n, err);
    if (!st && ferror(f)) st = kt_error_set(err, KT_IO, "%s: %s", path, strerror(errno));
    fclose(f);
    return st;
}

/* Replaces path with text: a new file beside it, synced, renamed over it (same mode). */
static kt_status replace_file(const char *path, const struct stat *sb, const kt_buf *text,
                              kt_error *err)
{
    char tmp[4200];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.erase-tmp", path) >= sizeof tmp)
        return kt_error_set(err, KT_IO, "path too long: %s", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, sb->st_mode & 0777);
    if (fd < 0) return kt_error_set(err, KT_IO, "%s: %s", tmp, strerror(errno));
    size_t done = 0;
    int ok = 1;
    while (ok && done < text->len) {
        ssize_t w = write(fd, text->data + done, text->len - done);
        if (w < 0 && errno == EINTR) continue;
        ok = w > 0;
        if (ok) done += (size_t)w;
    }
    ok = ok && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        kt_status st = kt_error_set(err, KT_IO, "%s: %s", path, strerror(errno));
        unlink(tmp);
        return st;
    }
    return KT_OK;
}

/* Not data about people: scripts, hidden files, the database and its companions (journal,
 * WAL, lock), and at the top the plugins folder. */
static int left_alone(const char *name, int depth)
{
    size_t n = strlen(name);
    if (name[0] == '.' || (n > 4 && !strcmp(name + n - 4, ".lua"))) return 1;
    if (!strncmp(name, KT_WS_DATABASE, strlen(KT_WS_DATABASE))) return 1;
    return depth == 0 && !strcmp(name, "plugins");
}

static kt_status scrub_file(const kt_erase_values *vals, const char *path, const struct stat *sb,
                            size_t *files, size_t *kept, kt_error *err)
{
    if (sb->st_size > MAX_FILE)
        return kt_error_set(err, KT_LIMIT, "%s is larger than %ld MB: erase it by hand", path,
                            MAX_FILE / (1024 * 1024));
    kt_buf text = KT_BUF_INIT, out = KT_BUF_INIT;
    text.max = out.max = (size_t)MAX_FILE * 2;
    int hit = 0;
    kt_status st = read_all(path, &text, err);
    if (!st && text.len && memchr(text.data, '\0', text.len)) {
        (*kept)++; /* a binary file: a backup, a workbook, a UTF-16 text */
        kt_buf_free(&text);
        return KT_OK;
    }
    if (!st) st = rewrite(vals, text.data ? text.data : "", text.len, &out, &hit, err);
    if (!st && hit) {
        st = replace_file(path, sb, &out, err);
        if (!st) (*files)++;
    }
    kt_buf_free(&text);
    kt_buf_free(&out);
    return st;
}

static kt_status walk(const kt_erase_values *vals, const char *dir, int depth, size_t *files,
                      size_t *kept, kt_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? KT_OK : kt_error_set(err, KT_IO, "%s: %s", dir, strerror(errno));
    kt_status st = KT_OK;
    struct dirent *de;
    while (!st && (de = readdir(d)) != NULL) {
        if (left_alone(de->d_name, depth)) continue;
        char path[4096];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= sizeof path) continue;
        struct stat sb;
        if (lstat(path, &sb) != 0) continue;
        if (S_ISDIR(sb.st_mode) && depth < MAX_DEPTH)
            st = walk(vals, path, depth + 1, files, kept, err);
        else if (S_ISREG(sb.st_mode))
            st = scrub_file(vals, path, &sb, files, kept, err);
    }
    closedir(d);
    return st;
}

/* dir/p, or p when it is absolute. */
static int path_of(const char *dir, const char *p, char *out, size_t size)
{
    return (size_t)(p[0] == '/' ? snprintf(out, size, "%s", p)
                                : snprintf(out, size, "%s/%s", dir, p)) < size;
}

kt_status kt_erase_files(kt_ws *ws, const kt_erase_values *vals, size_t *files, size_t *kept,
                         kt_error *err)
{
    if (!vals->n) return KT_OK;
    /* the whole folder, then the file channel's folder or mbox where they lie outside it */
    const char *dir_setting = kt_ws_setting(ws, "file_dir");
    const char *where[] = {dir_setting, kt_ws_setting(ws, "file_mbox")};
    size_t root = strlen(kt_ws_dir(ws));
    kt_status st = walk(vals, kt_ws_dir(ws), 0, files, kept, err);
    for (size_t i = 0; !st && i < sizeof where / sizeof where[0]; i++) {
        char path[4096];
        struct stat sb;
        if (!where[i] || !*where[i]) continue;
        if (!path_of(kt_ws_dir(ws), where[i], path, sizeof path))
            return kt_error_set(err, KT_IO, "path too long: %s", where[i]);
        if (!strncmp(path, kt_ws_dir(ws), root) && path[root] == '/' && !strstr(path, "/.."))
            continue; /* inside the folder: walked already */
        if (lstat(path, &sb) != 0) continue;
        if (S_ISDIR(sb.st_mode))
            st = walk(vals, path, 1, files, kept, err);
        else if (S_ISREG(sb.st_mode))
            st = scrub_file(vals, path, &sb, files, kept, err);
    }
    return st;
}
