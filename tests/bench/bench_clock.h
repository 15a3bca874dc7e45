/* What the benchmarks that time single operations share: a monotonic clock and latencies
 * sorted for their percentiles. */
#ifndef KT_BENCH_CLOCK_H
#define KT_BENCH_CLOCK_H

#include <stdlib.h>
#include <time.h>

/* Seconds on the monotonic clock. */
static inline double bench_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static inline int bench_by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Sorts n latencies ascending, so lat[n / 2] is the median and lat[n * p / 100] the p-th
 * percentile. */
static inline void bench_sort(double *lat, size_t n)
{
    qsort(lat, n, sizeof *lat, bench_by_value);
}

#endif
