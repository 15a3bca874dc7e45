/* A VFS shim over "unix", registered as the default, that fails the N-th write or sync on any
 * file SQLite opens (database, WAL, rollback journal): the disk-full and I/O-error paths of
 * every commit, checkpoint and recovery. Everything else is passed through untouched. */
#include <string.h>

#include "fault.h"

typedef struct shim_file {
    sqlite3_file base;
    sqlite3_file *real; /* lives right after this struct, szOsFile of the real VFS */
} shim_file;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs shim_vfs;
static sqlite3_io_methods shim_io;
static unsigned long attempts, fail_at;

static int should_fail(void)
{
    attempts++;
    return fail_at != 0 && attempts == fail_at;
}

unsigned long kt_fault_vfs_fail_at(unsigned long n)
{
    unsigned long seen = attempts;
    attempts = 0;
    fail_at = n;
    return seen;
}

#define REAL(f) (((shim_file *)(f))->real)

static int shim_close(sqlite3_file *f)
{
    return REAL(f)->pMethods->xClose(REAL(f));
}

static int shim_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int shim_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    if (should_fail()) return SQLITE_IOERR_WRITE;
    return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int shim_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int shim_sync(sqlite3_file *f, int flags)
{
    if (should_fail()) return SQLITE_IOERR_FSYNC;
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int shim_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int shim_lock(sqlite3_file *f, int level)
{
    return REAL(f)->pMethods->xLock(REAL(f), level);
}

static int shim_unlock(sqlite3_file *f, int level)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), level);
}

static int shim_check_reserved(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int shim_file_control(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int shim_sector_size(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int shim_device(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int shim_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, pp);
}

static int shim_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void shim_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int shim_shm_unmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int shim_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
    return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}

static int shim_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static int shim_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    shim_file *s = (shim_file *)f;
    s->real = (sqlite3_file *)&s[1];
    int rc = real_vfs->xOpen(real_vfs, name, s->real, flags, out);
    /* SQLite calls xClose when pMethods is set, even after a failed open. */
    s->base.pMethods = s->real->pMethods ? &shim_io : NULL;
    return rc;
}

int kt_fault_vfs_register(void)
{
    real_vfs = sqlite3_vfs_find("unix");
    if (!real_vfs) return SQLITE_ERROR;
    /* The unix VFS's io methods (version 3) tell which optional members to forward. */
    shim_io = (sqlite3_io_methods){3,
                                   shim_close,
                                   shim_read,
                                   shim_write,
                                   shim_truncate,
                                   shim_sync,
                                   shim_file_size,
                                   shim_lock,
                                   shim_unlock,
                                   shim_check_reserved,
                                   shim_file_control,
                                   shim_sector_size,
                                   shim_device,
                                   shim_shm_map,
                                   shim_shm_lock,
                                   shim_shm_barrier,
                                   shim_shm_unmap,
                                   shim_fetch,
                                   shim_unfetch};
    /* The other VFS methods are the real ones: they only use pAppData and mxPathname, which
     * the copy keeps. */
    shim_vfs = *real_vfs;
    shim_vfs.zName = "kt_fault";
    shim_vfs.szOsFile = (int)sizeof(shim_file) + real_vfs->szOsFile;
    shim_vfs.xOpen = shim_open;
    shim_vfs.pNext = NULL;
    return sqlite3_vfs_register(&shim_vfs, 1);
}
