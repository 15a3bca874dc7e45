/* kt_find's latency in one process (issue 22): searches for the last names of random people
 * and for short prefixes ("a", "an", "ann", "anna"), 50 hits at most, against FTS5's own best
 * case on the same index in the same run (SELECT rowid ... MATCH ? ORDER BY rank LIMIT 50: the
 * ranking alone, no record read) and against the statement kt_find used before (every match
 * joined with kt_record and sorted before the limit). kt_find also reads each record it returns
 * (kt_get), which the two statements do not. Prints p50, p99 and max of each and the ratios.
 *   bench_find WS_DIR [searches=1000] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_clock.h"

#include "kartoteka/alloc.h"
#include "kartoteka/config.h"
#include "kartoteka/query.h"
#include "kartoteka/store.h"
#include "kartoteka/text.h"
#include "kartoteka/workspace.h"

/* p50, p99 and max of lat (seconds), in ms; sorts lat. */
static void report(const char *what, double *lat, size_t n, double *p50)
{
    bench_sort(lat, n);
    *p50 = lat[n / 2] * 1e3;
    printf("%-44s p50 %8.3f ms   p99 %8.3f ms   max %8.3f ms\n", what, lat[n / 2] * 1e3,
           lat[n * 99 / 100] * 1e3, lat[n - 1] * 1e3);
}

static int count(void *ud, const kt_record *r)
{
    (void)r;
    ++*(long *)ud;
    return 0;
}

/* The FTS5 query kt_find makes of a word: folded, quoted, as a prefix. */
static int match_of(const char *text, char *out, size_t size)
{
    char *folded = NULL;
    kt_error err;
    if (kt_text_fold(text, &folded, &err)) return 0;
    size_t n = 0;
    for (char *tok = strtok(folded, " "); tok && n < size; tok = strtok(NULL, " "))
        n += (size_t)snprintf(out + n, size - n, "%s\"%s\"*", n ? " " : "", tok);
    kt_free(folded);
    return n > 0 && n < size;
}

static double statement(kt_store *s, const char *sql, const char *match)
{
    kt_stmt *st;
    kt_error err;
    double t = bench_now();
    if (kt_store_prepare(s, sql, &st, &err)) return 0;
    kt_stmt_bind_text(st, 1, match);
    while (kt_stmt_step(st) == KT_STMT_ROW) {
    }
    kt_stmt_reset(st);
    return bench_now() - t;
}

static const char *const ranked_by_fts =
    "SELECT rowid FROM kt_search WHERE kt_search MATCH ?1 ORDER BY rank LIMIT 50";
static const char *const joined_then_limited =
    "SELECT s.rowid FROM kt_search s JOIN kt_record r ON r.id = s.rowid WHERE kt_search MATCH ?1 "
    "AND r.state <> 'merged' ORDER BY r.state = 'archived', s.rank, r.id LIMIT 50";

/* The three ways over the same searches; lat has room for n. */
static void measure(kt_ws *ws, const char *what, char (*names)[128], size_t n, double *lat)
{
    kt_store *s = kt_ws_store(ws);
    kt_error err;
    long hits = 0;
    double p_find, p_fts, p_old;
    char match[512], label[96];
    printf("-- %s\n", what);
    for (size_t i = 0; i < n; i++) {
        double t = bench_now();
        kt_find(ws, names[i], 50, count, &hits, &err);
        lat[i] = bench_now() - t;
    }
    snprintf(label, sizeof label, "kt_find (50 max, %.1f records read)", (double)hits / (double)n);
    report(label, lat, n, &p_find);
    for (size_t i = 0; i < n; i++)
        lat[i] = match_of(names[i], match, sizeof match) ? statement(s, ranked_by_fts, match) : 0;
    report("baseline: FTS5 ORDER BY rank LIMIT 50", lat, n, &p_fts);
    for (size_t i = 0; i < n; i++)
        lat[i] =
            match_of(names[i], match, sizeof match) ? statement(s, joined_then_limited, match) : 0;
    report("before: join, sort, then limit", lat, n, &p_old);
    printf("p50 ratios: kt_find / FTS5 = %.2fx, before / FTS5 = %.2fx\n", p_find / p_fts,
           p_old / p_fts);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_find WS_DIR [searches=1000]\n");
        return 64;
    }
    size_t n = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000;
    if (n < 100) return 64;
    kt_ws *ws = NULL;
    kt_error err;
    const char *pd = getenv("KT_PLUGIN_PATH");
    kt_config_opts o = {0};
    o.plugin_dirs = &pd;
    o.nplugin_dirs = pd ? 1 : 0;
    if (kt_ws_open(argv[1], &ws, &err) || kt_config_apply(ws, &o, &err)) {
        fprintf(stderr, "bench_find: %s\n", err.message);
        return 1;
    }
    long long max = 0;
    kt_store_int(kt_ws_store(ws), "SELECT max(id) FROM kt_record", "", &max, &err);
    if (max < 1) return 1;
    char(*names)[128] = calloc(n, sizeof *names);
    double *lat = calloc(n, sizeof *lat);
    static const char *const prefixes[] = {"a", "an", "ann", "anna"};
    srand(7);
    for (size_t i = 0; i < n;) {
        if (i < n / 10) { /* a tenth are short prefixes */
            snprintf(names[i], sizeof names[i], "%s", prefixes[i % 4]);
            i++;
            continue;
        }
        kt_id id = 1 + (kt_id)(((unsigned long long)rand() * RAND_MAX + (unsigned)rand()) %
                               (unsigned long long)max);
        kt_record *r = NULL;
        if (kt_get(ws, id, &r, &err)) continue;
        const kt_value *v = kt_record_get(r, "last_name");
        if (!strcmp(r->entity, "person") && v && v->text && *v->text && !strchr(v->text, ' '))
            snprintf(names[i++], sizeof names[i], "%s", v->text);
        kt_record_free(r);
    }
    setvbuf(stdout, NULL, _IOLBF, 0); /* each figure as soon as it is measured */
    size_t short_n = n / 10;
    printf("searches: %zu last names, %zu short prefixes (a, an, ann, anna)\n", n - short_n,
           short_n);
    measure(ws, "last names", names + short_n, n - short_n, lat);
    measure(ws, "short prefixes", names, short_n, lat);
    free(names);
    free(lat);
    kt_ws_close(ws);
    return 0;
}
