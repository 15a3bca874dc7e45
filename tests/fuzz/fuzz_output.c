/* libFuzzer target: the output writer (core/src/output/output.c). An input is a short program
 * over two writers: open a path made of names in a workspace's folder (its database, WAL, SHM,
 * journal, lock file and kartoteka.lua, links to them, a file this process has open, a folder,
 * a device, new names, odd names, "." and ".."), write, sync, commit, abort, check a path as an
 * appending writer does, and fail the n-th allocation of the core. Whatever the program: no
 * file of the workspace changes and none appears, an existing file is replaced only when
 * asked, a committed file holds exactly what was written and is private (0600), and nothing
 * else is left behind (no temporary file, whether the writer was committed, aborted or failed).
 *
 * Every path stays inside the workspace's folder: it starts there (absolute, so libFuzzer's own
 * relative paths keep working) and ".." is used only where it goes back up a name the path went
 * down, so the fuzzer never writes outside its own folder. */
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_ws.h"
#include "kartoteka/alloc.h"
#include "kartoteka/output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { NAME_PARENT = 17, NAME_SUB = 8, NAME_LINK_SUB = 11, NAMES = 23, MAX_WRITTEN = 1 << 16 };

static const char *names[NAMES];
static char long_name[301];

/* What must not change, and what else the folders held at the start. */
static const char *const kept[] = {KT_WS_DATABASE,
                                   KT_WS_DATABASE "-wal",
                                   KT_WS_DATABASE "-shm",
                                   KT_WS_DATABASE "-journal",
                                   KT_WS_LOCKFILE,
                                   KT_WS_CONFIG,
                                   "input.csv",
                                   "link-db",
                                   "hard-db",
                                   "link-sub",
                                   "link-lua",
                                   "link-input",
                                   "dangling"};
enum { OWN = 6, KEPT = sizeof kept / sizeof kept[0] };
static const char *const plain[] = {"out.csv", "sub", "sub/inner.csv"};

static kt_ws *ws;
static char root[PATH_MAX];
static struct stat before[KEPT];
static int existed[KEPT];
static FILE *input; /* open for the process's life, as an import's input is */

typedef struct writer {
    kt_output *o;
    char path[2048];
    int regular; /* written through a temporary file */
    unsigned char *bytes;
    size_t n;
} writer;

static writer w[2];
static char committed[16][300];
static int ncommitted;

/* rel inside the workspace's folder; the buffer is reused by the next call but one */
static const char *at(const char *rel)
{
    static char buf[2][PATH_MAX];
    static int k;
    k = !k;
    snprintf(buf[k], sizeof buf[k], "%s/%s", root, rel);
    return buf[k];
}

static void put(const char *rel, const char *text)
{
    FILE *f = fopen(at(rel), "wb");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) abort();
}

static void setup(void)
{
    for (size_t i = 0; i < sizeof long_name - 1; i++)
        long_name[i] = 'n';
    const char *n[NAMES] = {KT_WS_DATABASE,
                            KT_WS_DATABASE "-wal",
                            KT_WS_DATABASE "-shm",
                            KT_WS_DATABASE "-journal",
                            KT_WS_LOCKFILE,
                            KT_WS_CONFIG,
                            "out.csv",
                            "new.csv",
                            "sub",
                            "link-db",
                            "hard-db",
                            "link-sub",
                            "link-lua",
                            "dangling",
                            "input.csv",
                            "link-input",
                            ".",
                            "..",
                            "",
                            "inner.csv",
                            "x y'\"\n;$(id)",
                            long_name,
                            ".new.csv.XXXXXX"};
    memcpy(names, n, sizeof names);
    ws = fuzz_ws_make();
    if (!realpath(fuzz_ws_dir, root)) abort();
    put(KT_WS_CONFIG, "-- the workspace's configuration\n");
    put("input.csv", "name\nAla\n");
    put("out.csv", "old\n");
    if (mkdir(at("sub"), 0700) != 0) abort();
    put("sub/inner.csv", "old\n");
    if (symlink(KT_WS_DATABASE, at("link-db")) || link(at(KT_WS_DATABASE), at("hard-db")) ||
        symlink("sub", at("link-sub")) || symlink(KT_WS_CONFIG, at("link-lua")) ||
        symlink("input.csv", at("link-input")) || symlink("nowhere", at("dangling")))
        abort();
    if (!(input = fopen(at("input.csv"), "rb"))) abort();
    for (int i = 0; i < KEPT; i++)
        existed[i] = lstat(at(kept[i]), &before[i]) == 0;
}

/* The path the next bytes spell: "/dev/null", or names joined by '/'. */
static size_t path_of(const uint8_t *p, size_t left, char *out, size_t cap)
{
    if (!left) return snprintf(out, cap, "%s/new.csv", root), 0;
    if (p[0] == 0xff) return snprintf(out, cap, "/dev/null"), 1;
    size_t k = (size_t)(p[0] % 5) + 1, used = 1, len = (size_t)snprintf(out, cap, "%s", root);
    int depth = 0;
    for (size_t i = 0; i < k && used < left; i++) {
        int name = p[used++] % NAMES;
        if (name == NAME_PARENT && depth == 0) name = NAME_SUB;
        depth += name == NAME_PARENT ? -1 : name == NAME_SUB || name == NAME_LINK_SUB;
        len += (size_t)snprintf(out + len, cap - len, "/%s", names[name]);
        if (len >= cap) abort();
    }
    return used;
}

/* The independent answer to "is this path a file of the workspace?": a file with the inode of
 * one of them, or a name of theirs in the workspace's folder. */
static int own(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) == 0) {
        for (int i = 0; i < OWN + 1; i++) {
            struct stat ob;
            if (stat(at(kept[i]), &ob) == 0 && ob.st_dev == sb.st_dev && ob.st_ino == sb.st_ino)
                return 1;
        }
        return 0;
    }
    char dir[PATH_MAX], real[PATH_MAX];
    const char *slash = strrchr(path, '/');
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    if (!realpath(dir, real) || strcmp(real, root) != 0) return 0;
    for (int i = 0; i < OWN; i++)
        if (!strcmp(slash + 1, kept[i])) return 1;
    return 0;
}

static void check_error(kt_status st, const kt_error *err)
{
    if (st && (err->code != st || !err->message[0])) abort();
}

static size_t op_open(writer *x, const uint8_t *p, size_t left)
{
    if (x->o || !left) return 0;
    int replace = p[0] & 1;
    size_t used = 1 + path_of(p + 1, left - 1, x->path, sizeof x->path);
    struct stat sb;
    int exists = stat(x->path, &sb) == 0, mine = own(x->path);
    kt_error err;
    kt_status st = kt_output_open(ws, x->path, replace ? KT_OUTPUT_REPLACE : 0, &x->o, &err);
    check_error(st, &err);
    if (st) {
        if (x->o) abort();
        return used;
    }
    if (mine) abort();                                      /* a file of the workspace */
    if (exists && S_ISREG(sb.st_mode) && !replace) abort(); /* replaced without leave */
    if (exists && S_ISDIR(sb.st_mode)) abort();
    x->regular = kt_output_temp_path(x->o) != NULL;
    x->n = 0;
    return used;
}

static size_t op_write(writer *x, const uint8_t *p, size_t left)
{
    if (!left) return 0;
    size_t n = p[0] < left - 1 ? p[0] : left - 1;
    if (!x->o || x->n + n > MAX_WRITTEN) return 1 + n;
    if (n && fwrite(p + 1, 1, n, kt_output_file(x->o)) != n) abort();
    unsigned char *b = realloc(x->bytes, x->n + n + 1);
    if (!b) abort();
    memcpy(b + x->n, p + 1, n);
    x->bytes = b;
    x->n += n;
    return 1 + n;
}

static void op_commit(writer *x)
{
    if (!x->o) return;
    kt_error err;
    kt_status st = kt_output_commit(x->o, &err);
    x->o = NULL;
    check_error(st, &err);
    if (st || !x->regular) return;
    struct stat sb;
    FILE *f = fopen(x->path, "rb");
    if (!f || fstat(fileno(f), &sb) != 0 || (sb.st_mode & 0777) != 0600) abort();
    if ((size_t)sb.st_size != x->n) abort();
    unsigned char *got = malloc(x->n + 1);
    if (!got || fread(got, 1, x->n, f) != x->n || memcmp(got, x->bytes, x->n) != 0) abort();
    free(got);
    fclose(f);
    const char *slash = strrchr(x->path, '/');
    if (ncommitted < 16)
        snprintf(committed[ncommitted++], sizeof committed[0], "%s", slash ? slash + 1 : x->path);
}

static int expected(const char *dir, const char *name)
{
    if (!strcmp(name, ".") || !strcmp(name, "..")) return 1;
    char rel[PATH_MAX];
    snprintf(rel, sizeof rel, "%s%s%s", dir, *dir ? "/" : "", name);
    for (int i = 0; i < KEPT; i++)
        if (existed[i] && !strcmp(rel, kept[i])) return 1;
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (!strcmp(rel, plain[i])) return 1;
    return 0;
}

/* Everything new in dir must be a committed output (then it is removed for the next input). */
static void sweep(const char *dir)
{
    DIR *d = opendir(at(dir));
    if (!d) abort();
    for (struct dirent *e; (e = readdir(d));) {
        if (expected(dir, e->d_name)) continue;
        int ok = 0;
        for (int i = 0; i < ncommitted && !ok; i++)
            ok = !strcmp(committed[i], e->d_name);
        if (!ok) abort(); /* a temporary file left behind, or a file nobody committed */
        char rel[PATH_MAX];
        snprintf(rel, sizeof rel, "%s%s%s", dir, *dir ? "/" : "", e->d_name);
        if (unlink(at(rel)) != 0) abort();
    }
    closedir(d);
}

static void check_and_reset(void)
{
    for (int i = 0; i < KEPT; i++) {
        struct stat sb;
        int now = lstat(at(kept[i]), &sb) == 0;
        if (now != existed[i]) abort(); /* a file of the workspace appeared or went */
        if (now &&
            (sb.st_ino != before[i].st_ino || sb.st_size != before[i].st_size ||
             sb.st_mode != before[i].st_mode || sb.st_mtim.tv_sec != before[i].st_mtim.tv_sec ||
             sb.st_mtim.tv_nsec != before[i].st_mtim.tv_nsec))
            abort(); /* changed */
    }
    sweep("");
    sweep("sub");
    put("out.csv", "old\n");
    put("sub/inner.csv", "old\n");
    ncommitted = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ws) setup();
    for (size_t i = 0; i < size;) {
        uint8_t op = data[i++];
        writer *x = &w[(op >> 4) & 1];
        const uint8_t *p = data + i;
        size_t left = size - i;
        kt_error err;
        switch (op % 7) {
        case 0:
            i += op_open(x, p, left);
            break;
        case 1:
            i += op_write(x, p, left);
            break;
        case 2:
            if (x->o) check_error(kt_output_sync(x->o, &err), &err);
            break;
        case 3:
            op_commit(x);
            break;
        case 4:
            kt_output_abort(x->o);
            x->o = NULL;
            break;
        case 5: {
            char path[2048];
            size_t used = path_of(p, left, path, sizeof path);
            kt_status st = kt_output_refuse_own(kt_ws_dir(ws), path, &err);
            check_error(st, &err);
            if (!st && own(path)) abort();
            i += used;
            break;
        }
        default:
            if (left) kt_alloc_fail_at((unsigned long)(p[0] % 8) + 1), i++;
        }
    }
    kt_alloc_fail_at(0);
    for (int k = 0; k < 2; k++) {
        kt_output_abort(w[k].o);
        w[k].o = NULL;
    }
    check_and_reset();
    return 0;
}
