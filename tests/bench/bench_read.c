/* How fast the CSV reader streams, and that its memory stays flat: reads a generated file of
 * N rows shaped like persons.csv (quoted cells, a multi-line note now and then), first
 * N/10 rows then N, printing rows/s, MB/s, the peak RSS after each, and the ratio against a
 * plain fread of the same bytes (the floor no reader can beat). Usage: bench_read [rows]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "kartoteka/read.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long peak_kib(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

static long generate(const char *path, long rows, int cp1250)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    const char *city = cp1250 ? "\xA3\xF3"
                                "d\x9F"
                              : "Łódź";
    const char *last = cp1250 ? "Napiera\xB3"
                                "a"
                              : "Napierała";
    fputs("external_id;first_name;last_name;gender;birth_date;email;mobile;city;street;"
          "postal_code;country;company;pets;expected_gifts;notes\r\n",
          f);
    for (long i = 0; i < rows; i++)
        fprintf(f,
                "C%06ld;Julian;%s;M;1942-11-25;julian.%ld@wp.pl;+48 789 658 %03ld;%s;"
                "\"droga Kubicki 83c; m. %ld\";19-646;PL;;\"dog,cat\";headphones;%s\r\n",
                i, last, i, i % 1000, city, i % 97,
                i % 50 ? "" : "\"called \"\"twice\"\"\r\nsecond line\"");
    long size = ftell(f);
    fclose(f);
    return size;
}

static double plain_read(const char *path)
{
    static char buf[1 << 16];
    double t = now();
    FILE *f = fopen(path, "rb");
    size_t n, lines = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        for (char *p = buf; (p = memchr(p, '\n', (size_t)(buf + n - p))) != NULL; p++)
            lines++;
    fclose(f);
    return lines ? now() - t : 0;
}

static int run(const char *path, long size, const char *label)
{
    kt_reader *rd;
    kt_error err;
    const kt_read_row *r;
    double base = plain_read(path);
    double t = now();
    if (kt_reader_open(NULL, path, "csv", NULL, &rd, &err)) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    long rows = 0;
    kt_status st;
    while ((st = kt_reader_next(rd, &r, &err)) == KT_OK)
        rows++;
    kt_reader_close(rd);
    double dt = now() - t;
    if (st != KT_NOTFOUND) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    printf("%-22s %8ld rows %7.1f MB  %9.0f rows/s  %6.1f MB/s  %5.1fx plain read  peak RSS "
           "%ld KiB\n",
           label, rows, (double)size / 1e6, (double)rows / dt, (double)size / 1e6 / dt,
           base > 0 ? dt / base : 0, peak_kib());
    return 0;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 200000;
    char dir[] = "/tmp/bench_readXXXXXX", small[64], big[64], legacy[64];
    if (!mkdtemp(dir)) return 1;
    snprintf(small, sizeof small, "%s/small.csv", dir);
    snprintf(big, sizeof big, "%s/big.csv", dir);
    snprintf(legacy, sizeof legacy, "%s/cp1250.csv", dir);
    long s1 = generate(small, n / 10, 0), s2 = generate(big, n, 0), s3 = generate(legacy, n, 1);
    int rc = s1 < 0 || s2 < 0 || s3 < 0;
    printf("peak RSS before reading: %ld KiB\n", peak_kib());
    if (!rc) rc = run(small, s1, "utf-8, N/10 rows");
    if (!rc) rc = run(big, s2, "utf-8, N rows");
    if (!rc) rc = run(legacy, s3, "cp1250 (detected)");
    unlink(small);
    unlink(big);
    unlink(legacy);
    rmdir(dir);
    return rc;
}
