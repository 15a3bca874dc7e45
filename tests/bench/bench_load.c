/* Loads a CSV into a workspace through the write door (kt_save), for the duplicate benchmarks
 * and acceptance runs while no import is at hand. Not a product command.
 *
 *   bench_load DIR FILE.csv [--check] [field=column | field=col1+col2 ...]
 *
 * Without mappings, columns named like fields of person are taken. Cells are trimmed; an
 * 8-digit date (YYYYMMDD) gets its dashes. A row a field of which is refused is saved without
 * that field (counted), so one bad cell does not lose a person. --check runs the on-entry
 * duplicate check (a duplicate is then not saved: counted); default is allow_duplicate.
 * Prints rows, saved, refused, fields dropped, seconds, rows/s. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kartoteka/config.h"
#include "kartoteka/dedupe.h"
#include "kartoteka/read.h"
#include "kartoteka/save.h"
#include "kartoteka/workspace.h"

#define MAXMAP 64

typedef struct map {
    char field[64];
    int col[4];
    int ncol;
    char names[4][64];
} map;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void trim(const char *s, char *out, size_t size)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n >= size) n = size - 1;
    memcpy(out, s, n);
    out[n] = '\0';
}

static int find_col(const char *const *keys, size_t n, const char *name)
{
    char t[128];
    for (size_t i = 0; i < n; i++) {
        trim(keys[i], t, sizeof t);
        if (!strcmp(t, name)) return (int)i;
    }
    return -1;
}

static void cell(const kt_read_row *row, const map *m, const kt_field *f, char *out, size_t size)
{
    out[0] = '\0';
    for (int c = 0; c < m->ncol; c++) {
        const char *v =
            m->col[c] >= 0 && (size_t)m->col[c] < row->count ? row->values[m->col[c]] : NULL;
        char t[4096];
        trim(v ? v : "", t, sizeof t);
        if (!*t) continue;
        size_t len = strlen(out);
        snprintf(out + len, size - len, "%s%s", len ? " " : "", t);
    }
    if (f && f->kind == KT_TYPE_DATE && strlen(out) == 8 && strspn(out, "0123456789") == 8) {
        char d[16];
        snprintf(d, sizeof d, "%.4s-%.2s-%.2s", out, out + 4, out + 6);
        snprintf(out, size, "%s", d);
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_load DIR FILE.csv [--check] [field=column[+column]]...\n");
        return 64;
    }
    kt_error err;
    kt_ws *ws = NULL;
    if (kt_ws_open(argv[1], &ws, &err)) {
        fprintf(stderr, "bench_load: %s\n", err.message);
        return 1;
    }
    kt_config_opts o = {0};
    /* plugins (kartoteka.lua may name some) from KT_PLUGIN_PATH, as the kt command does */
    const char *dirs[8];
    char pathbuf[4096];
    snprintf(pathbuf, sizeof pathbuf, "%s",
             getenv("KT_PLUGIN_PATH") ? getenv("KT_PLUGIN_PATH") : "");
    for (char *tok = strtok(pathbuf, ":"); tok && o.nplugin_dirs < 8; tok = strtok(NULL, ":"))
        dirs[o.nplugin_dirs++] = tok;
    o.plugin_dirs = dirs;
    if (kt_config_apply(ws, &o, &err) || kt_dedupe_install(ws, &err)) {
        fprintf(stderr, "bench_load: %s\n", err.message);
        return 1;
    }
    int check = 0;
    map maps[MAXMAP];
    int nmaps = 0;
    for (int i = 3; i < argc && nmaps < MAXMAP; i++) {
        if (!strcmp(argv[i], "--check")) {
            check = 1;
            continue;
        }
        map *m = &maps[nmaps++];
        memset(m, 0, sizeof *m);
        char *eq = strchr(argv[i], '=');
        if (!eq) return 64;
        snprintf(m->field, sizeof m->field, "%.*s", (int)(eq - argv[i]), argv[i]);
        for (char *p = eq + 1; p && *p && m->ncol < 4;) {
            char *plus = strchr(p, '+');
            snprintf(m->names[m->ncol++], 64, "%.*s", plus ? (int)(plus - p) : (int)strlen(p), p);
            p = plus ? plus + 1 : NULL;
        }
    }
    kt_reader *rd = NULL;
    if (kt_reader_open(kt_ws_ext(ws), argv[2], "csv", NULL, &rd, &err)) {
        fprintf(stderr, "bench_load: %s\n", err.message);
        return 1;
    }
    const kt_entity *person = kt_registry_entity(kt_ws_registry(ws), "person");
    long rows = 0, saved = 0, refused = 0, dropped = 0;
    double t0 = now();
    kt_store *s = kt_ws_store(ws);
    const kt_read_row *row;
    kt_failures fails;
    kt_failures_init(&fails);
    kt_store_begin(s, &err);
    while (kt_reader_next(rd, &row, &err) == KT_OK) {
        if (rows == 0) {
            size_t nk = 0;
            const char *const *keys = kt_reader_header(rd, &nk);
            if (!keys) {
                keys = row->keys;
                nk = row->count;
            }
            if (!nmaps)
                for (size_t i = 0; i < person->nfields && nmaps < MAXMAP; i++)
                    if (find_col(keys, nk, person->fields[i].name) >= 0) {
                        map *m = &maps[nmaps++];
                        memset(m, 0, sizeof *m);
                        snprintf(m->field, sizeof m->field, "%s", person->fields[i].name);
                        snprintf(m->names[0], 64, "%s", person->fields[i].name);
                        m->ncol = 1;
                    }
            for (int i = 0; i < nmaps; i++)
                for (int c = 0; c < maps[i].ncol; c++)
                    if ((maps[i].col[c] = find_col(keys, nk, maps[i].names[c])) < 0)
                        fprintf(stderr, "bench_load: no column %s\n", maps[i].names[c]);
        }
        rows++;
        kt_record *rec = kt_record_new("person");
        char v[8192];
        for (int i = 0; i < nmaps; i++) {
            cell(row, &maps[i], kt_registry_field(kt_ws_registry(ws), "person", maps[i].field), v,
                 sizeof v);
            if (*v) {
                const kt_field *f = kt_registry_field(kt_ws_registry(ws), "person", maps[i].field);
                if (f && f->kind == KT_TYPE_SET)
                    kt_record_set_csv(rec, maps[i].field, v, &err);
                else
                    kt_record_set(rec, maps[i].field, v, &err);
            }
        }
        kt_save_opts so = {.source = "bench", .allow_duplicate = !check};
        for (int attempt = 0; attempt < 4; attempt++) {
            kt_failures_clear(&fails);
            kt_status st = kt_save(ws, rec, &so, &fails, &err);
            if (st == KT_OK) {
                saved++;
                break;
            }
            if (st == KT_CONSTRAINT) {
                refused++;
                break;
            }
            int removed = 0;
            for (size_t i = 0; i < fails.n; i++)
                if (fails.items[i].field && kt_record_get(rec, fails.items[i].field)) {
                    kt_record_unset(rec, fails.items[i].field);
                    removed++;
                }
            dropped += removed;
            if (!removed) {
                refused++;
                break;
            }
        }
        kt_record_free(rec);
        if (rows % 10000 == 0) {
            kt_store_commit(s, &err);
            kt_store_begin(s, &err);
        }
    }
    kt_store_commit(s, &err);
    double t = now() - t0;
    printf("rows %ld saved %ld refused %ld fields_dropped %ld seconds %.1f rows/s %.0f\n", rows,
           saved, refused, dropped, t, rows / (t > 0 ? t : 1));
    kt_failures_free(&fails);
    kt_reader_close(rd);
    kt_ws_close(ws);
    return 0;
}
