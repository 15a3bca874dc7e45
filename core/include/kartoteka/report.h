/* Reports: Lua scripts over a read-only view of a workspace, rendered as a terminal table, CSV,
 * JSON or an SVG chart.
 *
 * A report is a Lua file named for the report (funnel.lua is `funnel`): Kartoteka's own in
 * scripts/reports/, a workspace's in its reports/ folder (a workspace report overrides a shipped
 * one of the same name). The file returns
 *
 *   { title = "...",
 *     params = { name = default, ... },   -- default's type converts --name VALUE (number,
 *                                         -- boolean, string; false = a text without default)
 *     columns = { "stage", "count", { "amount", scale = 2 }, { "cv", digits = 4 } },
 *     run = function(p) ... return rows, chart, columns end }
 *
 * rows is a list of flat tables (string, integer, float, boolean or nil cells). `columns` is
 * optional and gives the order of the columns (else: the rows' keys, sorted); run() may return
 * its own columns third when they depend on the parameters. A column with
 * `scale = N` holds integers in units of 10^-N (a decimal field as stored: cents), printed
 * exactly with N decimals; `digits = N` prints floats with N decimals in tables and CSV.
 * chart is optional: { kind = "bar" | "funnel", title = ..., label = COLUMN, value = COLUMN,
 * note = COLUMN (shown with the value), beside = { label, ... } (funnel: stages drawn beside
 * it, e.g. won and lost), rows = { ... } (its own rows; else the report's), scale = N }.
 *
 * run() is called while the workspace's connection is read-only (PRAGMA query_only, an
 * authorizer refusing every write, one read transaction): a report that tries to write fails
 * with KT_DENIED, "reports are read-only", and nothing is written. */
#ifndef KARTOTEKA_REPORT_H
#define KARTOTEKA_REPORT_H

#include <stddef.h>

#include "kartoteka/buf.h"
#include "kartoteka/error.h"
#include "kartoteka/workspace.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kt_cell_kind {
    KT_CELL_NULL,
    KT_CELL_INT,  /* i; with a column scale > 0, a decimal in units of 10^-scale */
    KT_CELL_REAL, /* r */
    KT_CELL_TEXT, /* text (owned, UTF-8 as the script gave it) */
    KT_CELL_BOOL  /* i is 0 or 1 */
} kt_cell_kind;

typedef struct kt_report_cell {
    kt_cell_kind kind;
    long long i;
    double r;
    char *text;
} kt_report_cell;

typedef struct kt_report_column {
    char *name;
    int scale;  /* > 0: integers are decimals with this many places */
    int digits; /* >= 0: floats printed with this many decimals (table, CSV); -1: shortest */
} kt_report_column;

typedef struct kt_report_table {
    kt_report_column *columns;
    size_t ncolumns;
    kt_report_cell *cells; /* nrows * ncolumns, row by row */
    size_t nrows;
} kt_report_table;

typedef struct kt_report_chart {
    char *kind;                 /* "bar" or "funnel" */
    char *title;                /* the report's title when the chart names none */
    char *label, *value, *note; /* column names; note may be NULL */
    char **beside;              /* funnel: labels drawn beside the funnel */
    size_t nbeside;
    kt_report_table data; /* the rows it draws */
} kt_report_chart;

typedef struct kt_report {
    char *name, *title;
    kt_report_table table;
    kt_report_chart *chart; /* NULL when the report draws none */
} kt_report;

typedef struct kt_report_info {
    char *name;
    char *path;
    char *title;
    char *params; /* "from, to=2024-12, days=30": names and defaults, for people */
    int shipped;  /* 1: from Kartoteka's scripts, 0: the workspace's reports/, 2: a plugin's
                     (path is then "plugin NAME") */
} kt_report_info;

/* The read-only guard the report layer keeps around a report's code: whoever runs a report
 * file calls begin before its code and end after, and nothing there knows how reading is
 * enforced. */
typedef struct kt_report_guard {
    void *ud; /* borrowed: the report layer's guard state */
    kt_status (*begin)(void *ud, kt_error *err);
    /* Ends what begin started: KT_OK, or KT_DENIED with err set when the code tried to write. */
    kt_status (*end)(void *ud, kt_error *err);
} kt_report_guard;

typedef struct kt_report_param {
    const char *name; /* without the leading dashes */
    const char *value;
} kt_report_param;

/* Every report the workspace can run, sorted by name; dirs are Kartoteka's own scripts/
 * folders (each searched for reports/NAME.lua). Loading a report for its title runs its file
 * read-only; a report whose file fails is listed with the error as its title. *out is freed
 * with kt_report_infos_free. */
kt_status kt_report_list(kt_ws *ws, const char *const *dirs, size_t ndirs, kt_report_info **out,
                         size_t *n, kt_error *err);
void kt_report_infos_free(kt_report_info *infos, size_t n);

/* Where report `name` lives: the workspace's reports/name.lua, else the first dir holding
 * reports/name.lua, else a report a plugin registered (KT_OK with *path NULL). *path is freed
 * with kt_free. KT_NOTFOUND when none; KT_USAGE when the name is not letters, digits, '_' and
 * '-'. */
kt_status kt_report_find(kt_ws *ws, const char *const *dirs, size_t ndirs, const char *name,
                         char **path, kt_error *err);

/* Runs the report file at path (NULL: the report a plugin registered as name) in the
 * workspace's Lua host with the given parameters (an unknown parameter or a value of the wrong
 * type is KT_USAGE), read-only. *out is freed with kt_report_free. */
kt_status kt_report_run(kt_ws *ws, const char *name, const char *path,
                        const kt_report_param *params, size_t nparams, kt_report **out,
                        kt_error *err);
void kt_report_free(kt_report *r); /* accepts NULL */

typedef enum kt_report_format {
    KT_REPORT_TABLE,
    KT_REPORT_CSV,
    KT_REPORT_JSON,
    KT_REPORT_SVG
} kt_report_format;

typedef struct kt_report_render_opts {
    int width; /* table: the terminal's columns; 0 = no limit */
    int raw;   /* CSV: do not neutralise cells a spreadsheet would run as formulas */
} kt_report_render_opts;

/* Appends the report in the format to out. JSON: an array of row objects, numbers as JSON
 * numbers, decimals printed exactly with their scale (29076700.00). SVG: KT_INVALID when the
 * report draws no chart. */
kt_status kt_report_render(const kt_report *r, kt_report_format fmt, const kt_report_render_opts *o,
                           kt_buf *out, kt_error *err);

/* A cell as text: decimals exactly ("-12.50"), floats with the column's digits (or the
 * shortest text that reads back the same), booleans true/false, NULL as "". Writes into buf
 * (size >= 64) unless the cell is text, which is returned borrowed. */
const char *kt_report_cell_text(const kt_report_column *c, const kt_report_cell *cell, char *buf,
                                size_t size);

/* The decimal text of units * 10^-scale ("12.50" for 1250, 2); buf size >= 48. */
const char *kt_report_decimal_text(long long units, int scale, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
