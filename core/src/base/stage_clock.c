/* The per-thread stage clock (kartoteka/stage_clock.h). It counts the thread's CPU time, not
 * the wall clock: on a shared machine the wall clock charges other processes' turns to whatever
 * stage was running. A read costs a system call (some 0.2 us), a few per imported row. */
#include <time.h>

#include "kartoteka/stage_clock.h"

static _Thread_local struct {
    int on;
    kt_stage cur;
    long long since; /* ns */
    long long ns[KT_STAGE_COUNT];
} clk;

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

void kt_stage_clock_start(void)
{
    for (int i = 0; i < KT_STAGE_COUNT; i++)
        clk.ns[i] = 0;
    clk.cur = KT_STAGE_OTHER;
    clk.since = now_ns();
    clk.on = 1;
}

kt_stage kt_stage_switch(kt_stage s)
{
    kt_stage was = clk.cur;
    if (!clk.on || s == was) return was;
    long long t = now_ns();
    clk.ns[was] += t - clk.since;
    clk.since = t;
    clk.cur = s;
    return was;
}

double kt_stage_seconds(kt_stage s)
{
    long long ns = clk.ns[s];
    if (clk.on && s == clk.cur) ns += now_ns() - clk.since;
    return (double)ns / 1e9;
}

const char *kt_stage_name(kt_stage s)
{
    static const char *const names[KT_STAGE_COUNT] = {"other", "read+map", "dedupe lookup",
                                                      "write", "index",    "commit"};
    return s < KT_STAGE_COUNT ? names[s] : "?";
}
