/* The script layer's side of a report file: the runner report/ calls (report/report_runner.h),
 * registered when the configuration is applied; it runs the file's Lua and fills the C report
 * report/ renders. */
#ifndef KT_SCRIPT_REPORT_SCRIPT_H
#define KT_SCRIPT_REPORT_SCRIPT_H

#include "report/report_runner.h"

/* report_runner.describe */
kt_status kt_script_report_describe(kt_ws *ws, const char *path, const char *name,
                                    const kt_report_guard *g, char **title, char **params,
                                    kt_error *err);

/* report_runner.run */
kt_status kt_script_report_run(kt_ws *ws, const char *path, const char *name,
                               const kt_report_guard *g, const kt_report_param *params,
                               size_t nparams, kt_report *r, kt_error *err);

#endif
