/* Internal to the report layer: pieces the runner and the renderers share. */
#ifndef KT_REPORT_REPORT_INT_H
#define KT_REPORT_REPORT_INT_H

#include <lua.h>

#include "kartoteka/ext.h"
#include "kartoteka/report.h"
#include "script/sql_guard.h"

/* Frees what a table owns and zeroes it. */
void report_table_clear(kt_report_table *t);
/* The column named name, or -1. */
int report_column_index(const kt_report_table *t, const char *name);
/* 1 when the cell is a number (right-aligned, unquoted in JSON). */
int report_cell_numeric(const kt_report_cell *c);

/* Builds a table from the Lua list of rows at idx, in the order of the columns spec at
 * cols_idx (0 when absent: the rows' keys, sorted). what names the table in messages. */
kt_status report_table_from_lua(lua_State *L, int rows_idx, int cols_idx, const char *what,
                                kt_report_table *t, kt_error *err);
/* Reads the chart spec at idx (using the report's table for rows and scales). */
kt_status report_chart_from_lua(lua_State *L, int idx, const kt_report *r, kt_report_chart **out,
                                kt_error *err);
void report_chart_free(kt_report_chart *c);

/* Makes the workspace's connection read-only until report_guard_end; tried is set when a write
 * was refused (what names it). */
typedef struct report_guard {
    kt_store *store; /* borrowed: the workspace's, while the guard is on */
    int began;
    sql_scope scope;
    int tried;
    char what[160];
} report_guard;
kt_status report_guard_begin(kt_ws *ws, report_guard *g, kt_error *err);
void report_guard_end(report_guard *g);

/* Runs the report file read-only and leaves its spec table on the host's stack (checked: a
 * table with a run function). */
kt_status report_load(kt_ws *ws, const char *path, kt_error *err);
/* "from, to=2025-12, days=30" from the spec's params table at idx; caller frees. */
char *report_params_text(lua_State *L, int idx);

/* Runs a report a plugin registered, read-only; unknown parameters are KT_USAGE. */
kt_status report_plugin_run(kt_ws *ws, const kt_plugin_report *pr, const kt_report_param *params,
                            size_t nparams, kt_report **out, kt_error *err);
/* "--entity --since" from the report's params; caller frees. */
char *report_plugin_params_text(const kt_plugin_report *pr);

/* Display columns of UTF-8 text on a terminal (wide East Asian letters count 2, combining
 * marks 0, invalid bytes 1). */
size_t report_text_width(const char *s);

kt_status report_render_table(const kt_report *r, const kt_report_render_opts *o, kt_buf *out,
                              kt_error *err);
kt_status report_render_csv(const kt_report *r, const kt_report_render_opts *o, kt_buf *out,
                            kt_error *err);
kt_status report_render_json(const kt_report *r, kt_buf *out, kt_error *err);
kt_status report_render_svg(const kt_report *r, kt_buf *out, kt_error *err);

/* SVG pieces shared by the charts. */
kt_status svg_text_escaped(kt_buf *out, const char *s, kt_error *err);
/* The same, cut to max display columns with an ellipsis. */
kt_status svg_text_cut(kt_buf *out, const char *s, size_t max, kt_error *err);
kt_status svg_begin(kt_buf *out, int width, int height, const char *title, kt_error *err);
kt_status svg_end(kt_buf *out, kt_error *err);
/* The chart's value of row i as a double for geometry (decimals scaled), and its label text. */
double svg_row_value(const kt_report_chart *c, size_t row);
const char *svg_row_text(const kt_report_chart *c, const char *column, size_t row, char *buf,
                         size_t size);
kt_status svg_bar(const kt_report_chart *c, kt_buf *out, kt_error *err);
kt_status svg_funnel(const kt_report_chart *c, kt_buf *out, kt_error *err);

#endif
