/* Tables for people: a header, columns as wide as their widest cell, shrunk (widest first, cut
 * with "…", then the last columns left out) to fit a terminal, whole cells when piped, never
 * trailing blanks. */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "kartoteka/alloc.h"
#include "kartoteka/text.h"

#define MIN_WIDTH 6

int cli_terminal_width(void)
{
    struct winsize ws;
    if (!isatty(STDOUT_FILENO)) return 0; /* a pipe or a file gets whole cells */
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    const char *c = getenv("COLUMNS");
    return c && atoi(c) > 0 ? atoi(c) : 80;
}

void cli_table_init(cli_table *t, size_t ncols, const char *const *head)
{
    memset(t, 0, sizeof *t);
    t->ncols = ncols;
    t->head = head;
}

/* A cell shows on one line: line breaks and tabs become blanks. */
static char *one_line(const char *s)
{
    char *c = kt_strdup(s ? s : "");
    for (char *p = c; p && *p; p++)
        if (*p == '\n' || *p == '\t' || *p == '\r') *p = ' ';
    return c;
}

int cli_table_add(cli_table *t, const char *const *row)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        char **cells = kt_realloc(t->cells, cap * t->ncols * sizeof *cells);
        if (!cells) return -1;
        t->cells = cells;
        t->cap = cap;
    }
    char **r = t->cells + t->nrows * t->ncols;
    for (size_t i = 0; i < t->ncols; i++)
        if (!(r[i] = one_line(row[i]))) {
            while (i--)
                kt_free(r[i]);
            return -1;
        }
    t->nrows++;
    return 0;
}

static size_t width_of(const char *s)
{
    return kt_text_valid_utf8(s, strlen(s)) ? kt_text_length(s) : strlen(s);
}

/* Prints s in w columns: cut with "…" when longer, padded unless it is the line's last cell. */
static void put_cell(FILE *out, const char *s, size_t w, int last)
{
    size_t len = width_of(s);
    if (len > w) {
        size_t cps = 0, i = 0;
        while (s[i] && cps + 1 < w) {
            i++;
            while ((s[i] & 0xC0) == 0x80)
                i++;
            cps++;
        }
        fprintf(out, "%.*s…", (int)i, s);
        len = w;
    } else {
        fputs(s, out);
    }
    if (!last) fprintf(out, "%*s", (int)(w - len + 2), "");
}

void cli_table_print(cli_table *t, FILE *out)
{
    size_t *w = kt_calloc(t->ncols ? t->ncols : 1, sizeof *w), total = 0;
    if (!w) return;
    for (size_t c = 0; c < t->ncols; c++) {
        size_t widest = 0;
        for (size_t r = 0; r < t->nrows; r++) {
            size_t n = width_of(t->cells[r * t->ncols + c]);
            if (n > widest) widest = n;
        }
        /* A column no row fills is left out (0), unless it was asked for. */
        size_t head = width_of(t->head[c]);
        w[c] = !widest && c && !t->keep_empty ? 0 : widest > head ? widest : head;
        total += w[c] + (c && w[c] ? 2 : 0);
    }
    /* The widest column gives way first, so short ones (ids, dates) stay whole. */
    size_t room = (size_t)cli_terminal_width();
    while (room && total > room) {
        size_t widest = 0;
        for (size_t c = 1; c < t->ncols; c++)
            if (w[c] > w[widest]) widest = c;
        if (w[widest] <= MIN_WIDTH) break; /* (a left-out column has width 0) */
        w[widest]--;
        total--;
    }
    /* Still too wide at the narrowest: the last columns go rather than every line wrap. */
    for (size_t c = t->ncols; room && total > room && c-- > 1;)
        if (w[c]) {
            total -= w[c] + 2;
            w[c] = 0;
        }
    cli_progress_clear();
    /* Empty trailing cells print nothing, so no line ends in blanks. */
    for (size_t r = 0; r <= t->nrows; r++) {
        const char *const *row = r ? (const char *const *)t->cells + (r - 1) * t->ncols : t->head;
        size_t last = t->ncols;
        while (last > 1 && (!row[last - 1][0] || !w[last - 1]))
            last--;
        if (!r) fputs(cli_sgr(out, "head"), out);
        for (size_t c = 0; c < last; c++)
            if (w[c]) put_cell(out, row[c], w[c], c + 1 == last);
        if (!r) fputs(cli_sgr(out, "off"), out);
        fputc('\n', out);
    }
    kt_free(w);
}

void cli_table_free(cli_table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        kt_free(t->cells[i]);
    kt_free(t->cells);
    memset(t, 0, sizeof *t);
}
