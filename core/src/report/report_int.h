/* Internal to the report layer: pieces the runner and the renderers share. */
#ifndef KT_REPORT_REPORT_INT_H
#define KT_REPORT_REPORT_INT_H

#include "kartoteka/ext.h"
#include "kartoteka/report.h"
#include "store/sql_guard.h"

/* Frees what a table owns and zeroes it. */
void report_table_clear(kt_report_table *t);
/* The column named name, or -1. */
int report_column_index(const kt_report_table *t, const char *name);
/* 1 when the cell is a number (right-aligned, unquoted in JSON). */
int report_cell_numeric(const kt_report_cell *c);

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

/* The guard a report file's code runs in (path names the file in the refusal). */
typedef struct report_file_guard {
    kt_ws *ws;
    const char *path; /* borrowed */
    report_guard g;
} report_file_guard;
kt_report_guard report_file_guard_make(report_file_guard *f, kt_ws *ws, const char *path);
/* Who runs the report file at path (by its ending: "lua" for NAME.lua), borrowed; NULL when
 * nothing registered runs such files. */
const kt_ext_report_files *report_files_for(kt_ws *ws, const char *path);

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
