/* The script layer's side of a report file: it runs the file's Lua and fills the C report the
 * report layer (report/) renders. The report layer keeps the read-only guard, handed in as two
 * callbacks so the file's code runs inside it and nothing here knows how reading is enforced. */
#ifndef KT_SCRIPT_REPORT_SCRIPT_H
#define KT_SCRIPT_REPORT_SCRIPT_H

#include "kartoteka/report.h"
#include "kartoteka/workspace.h"

typedef struct kt_report_guard {
    void *ud; /* borrowed: the report layer's guard state */
    kt_status (*begin)(void *ud, kt_error *err);
    /* Ends what begin started: KT_OK, or KT_DENIED with err set when the code tried to write. */
    kt_status (*end)(void *ud, kt_error *err);
} kt_report_guard;

/* Title (name when the file names none) and parameters ("--days 30 --from") of the report file
 * at path; both owned by the caller. */
kt_status kt_script_report_describe(kt_ws *ws, const char *path, const char *name,
                                    const kt_report_guard *g, char **title, char **params,
                                    kt_error *err);

/* Runs the report file at path with params and fills r's title, table and chart; on failure
 * r holds what was filled and the caller frees it with kt_report_free. */
kt_status kt_script_report_run(kt_ws *ws, const char *path, const char *name,
                               const kt_report_guard *g, const kt_report_param *params,
                               size_t nparams, kt_report *r, kt_error *err);

#endif
