/* A test-only shim, preloaded into kt (LD_PRELOAD) by the crash and concurrency tests: every
 * sqlite3_step waits KT_SLOW_STEP_US microseconds first, so a run lasts long enough for a kill
 * or a second process to land anywhere in it. Product code knows nothing of it. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>

typedef struct sqlite3_stmt sqlite3_stmt;
int sqlite3_step(sqlite3_stmt *st);

int sqlite3_step(sqlite3_stmt *st)
{
    static int (*real)(sqlite3_stmt *);
    static long us = -1;
    if (!real) *(void **)&real = dlsym(RTLD_NEXT, "sqlite3_step");
    if (us < 0) {
        const char *v = getenv("KT_SLOW_STEP_US");
        us = v ? atol(v) : 0;
    }
    if (us > 0) {
        struct timespec ts = {us / 1000000, (us % 1000000) * 1000L};
        nanosleep(&ts, NULL);
    }
    return real(st);
}
