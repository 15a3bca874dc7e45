/* How report files run: a report file is Lua, so the script layer registers the runner when it
 * applies the configuration and report/ calls it, never the script layer itself. report/
 * keeps the read-only guard, handed in as two callbacks so the file's code runs inside it and
 * the runner knows nothing of how reading is enforced. */
#ifndef KT_REPORT_REPORT_RUNNER_H
#define KT_REPORT_REPORT_RUNNER_H

#include "kartoteka/report.h"
#include "kartoteka/workspace.h"

typedef struct kt_report_guard {
    void *ud; /* borrowed: the report layer's guard state */
    kt_status (*begin)(void *ud, kt_error *err);
    /* Ends what begin started: KT_OK, or KT_DENIED with err set when the code tried to write. */
    kt_status (*end)(void *ud, kt_error *err);
} kt_report_guard;

typedef struct report_runner {
    /* Title (name when the file names none) and parameters ("--days 30 --from") of the report
     * file at path; both owned by the caller. */
    kt_status (*describe)(kt_ws *ws, const char *path, const char *name, const kt_report_guard *g,
                          char **title, char **params, kt_error *err);
    /* Runs the report file at path with params and fills r's title, table and chart; on failure
     * r holds what was filled and the caller frees it with kt_report_free. */
    kt_status (*run)(kt_ws *ws, const char *path, const char *name, const kt_report_guard *g,
                     const kt_report_param *params, size_t nparams, kt_report *r, kt_error *err);
} report_runner;

/* Registers r (borrowed: static, outlives the workspace). */
kt_status report_runner_set(kt_ws *ws, const report_runner *r, kt_error *err);
/* The registered runner (borrowed); NULL until the configuration is applied. */
const report_runner *report_runner_of(const kt_ws *ws);

#endif
