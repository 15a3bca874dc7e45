/* Locks of single-runner work (a campaign's run, kt due, the outbox's delivery, an import's
 * batch): one byte each of the lock file beside the database, locked with an open file
 * description lock (F_OFD_SETLK). The kernel drops it when the process ends however it ends —
 * a process killed with SIGKILL and left a zombie holds nothing, which a pid in a row cannot
 * promise — and, unlike a classic fcntl lock, two handles in one process exclude each other
 * and closing some other descriptor of the file releases nothing. A name's byte is its 62-bit
 * FNV-1a hash: any number of names share one file and never need a row to be created first. */
#define _GNU_SOURCE /* F_OFD_SETLK */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kartoteka/alloc.h"
#include "kartoteka/workspace.h"

typedef struct lock_file {
    int fd; /* the lock file, plus one: 0 until opened */
} lock_file;

static void lock_file_free(void *p)
{
    lock_file *l = p;
    if (l->fd > 0) close(l->fd - 1);
    kt_free(l);
}

static kt_status lock_fd(kt_ws *ws, int *fd, kt_error *err)
{
    lock_file *l;
    kt_status st =
        kt_ws_attachment_make(ws, "ws.lock_file", sizeof *l, lock_file_free, (void **)&l, err);
    if (st) return st;
    if (!l->fd) {
        char path[PATH_MAX];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", kt_ws_dir(ws), KT_WS_LOCKFILE) >=
            sizeof path)
            return kt_error_set(err, KT_IO, "path too long: %s", kt_ws_dir(ws));
        int f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (f < 0)
            return kt_error_set(err, KT_IO, "cannot open the lock file %s: %s", path,
                                strerror(errno));
        l->fd = f + 1;
    }
    *fd = l->fd - 1;
    return KT_OK;
}

static struct flock byte_of(const char *name, short type)
{
    uint64_t h = 14695981039346656037u;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    fl.l_start = (off_t)(h >> 2);
    fl.l_len = 1;
    return fl;
}

kt_status kt_ws_lock(kt_ws *ws, const char *name, kt_error *err)
{
    int fd;
    kt_status st = lock_fd(ws, &fd, err);
    if (st) return st;
    struct flock fl = byte_of(name, F_WRLCK);
    if (fcntl(fd, F_OFD_SETLK, &fl) == 0) return KT_OK;
    if (errno == EAGAIN || errno == EACCES)
        return kt_error_set(err, KT_BUSY, "%s is held by another process", name);
    return kt_error_set(err, KT_IO, "locking %s: %s", name, strerror(errno));
}

void kt_ws_unlock(kt_ws *ws, const char *name)
{
    lock_file *l = kt_ws_attachment(ws, "ws.lock_file");
    if (!l || !l->fd) return;
    struct flock fl = byte_of(name, F_UNLCK);
    (void)fcntl(l->fd - 1, F_OFD_SETLK, &fl); /* closing the file would release it too */
}

kt_status kt_ws_lock_held(kt_ws *ws, const char *name, int *held, kt_error *err)
{
    int fd;
    *held = 0;
    kt_status st = lock_fd(ws, &fd, err);
    if (st) return st;
    struct flock fl = byte_of(name, F_WRLCK);
    if (fcntl(fd, F_OFD_GETLK, &fl) != 0)
        return kt_error_set(err, KT_IO, "reading the lock of %s: %s", name, strerror(errno));
    *held = fl.l_type != F_UNLCK;
    return KT_OK;
}
