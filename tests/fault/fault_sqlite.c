/* SQLite's allocator wrapped so a test can fail the N-th allocation SQLite makes. SQLite
 * must survive it (SQLITE_NOMEM) and so must whoever called SQLite. */
#include <stdio.h>
#include <stdlib.h>

#include "fault.h"

static sqlite3_mem_methods real;
static unsigned long attempts, fail_at;

static int should_fail(void)
{
    attempts++;
    return fail_at != 0 && attempts == fail_at;
}

static void *fault_malloc(int n)
{
    return should_fail() ? NULL : real.xMalloc(n);
}

static void *fault_realloc(void *p, int n)
{
    /* A shrink cannot fail in real allocators either; failing it would test nothing. */
    if (p && n <= real.xSize(p)) return real.xRealloc(p, n);
    return should_fail() ? NULL : real.xRealloc(p, n);
}

unsigned long kt_fault_sqlite_fail_at(unsigned long n)
{
    unsigned long seen = attempts;
    attempts = 0;
    fail_at = n;
    return seen;
}

void kt_fault_install(void)
{
    static int done;
    if (done) return;
    sqlite3_mem_methods m;
    if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real) != SQLITE_OK) goto fail;
    m = real;
    m.xMalloc = fault_malloc;
    m.xRealloc = fault_realloc;
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK) goto fail;
    if (sqlite3_initialize() != SQLITE_OK || kt_fault_vfs_register() != SQLITE_OK) goto fail;
    done = 1;
    return;
fail:
    fprintf(stderr, "fault: cannot install the SQLite fault hooks (SQLite used already?)\n");
    abort();
}
