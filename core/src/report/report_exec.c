/* kt_report_run: a report file (run by whoever registered its kind) or a plugin's report,
 * filling the report the renderers print. */
#include "kartoteka/alloc.h"
#include "report/report_int.h"

void kt_report_free(kt_report *r)
{
    if (!r) return;
    kt_free(r->name);
    kt_free(r->title);
    report_table_clear(&r->table);
    report_chart_free(r->chart);
    kt_free(r);
}

kt_status kt_report_run(kt_ws *ws, const char *name, const char *path,
                        const kt_report_param *params, size_t nparams, kt_report **out,
                        kt_error *err)
{
    *out = NULL;
    if (!path) {
        const kt_plugin_report *pr = kt_ext_report(kt_ws_ext(ws), name);
        if (!pr) return kt_error_set(err, KT_NOTFOUND, "there is no report '%s'", name);
        return report_plugin_run(ws, pr, params, nparams, out, err);
    }
    const kt_ext_report_files *rf = report_files_for(ws, path);
    if (!rf) return kt_error_set(err, KT_NOTFOUND, "%s: nothing runs such report files", path);
    kt_report *r = kt_calloc(1, sizeof *r);
    if (!r) return kt_error_set(err, KT_NOMEM, "out of memory");
    r->name = kt_strdup(name);
    report_file_guard f;
    kt_report_guard g = report_file_guard_make(&f, ws, path);
    kt_status st = r->name ? rf->run(rf->ud, ws, path, name, &g, params, nparams, r, err)
                           : kt_error_set(err, KT_NOMEM, "out of memory");
    if (st) {
        kt_report_free(r);
        return st;
    }
    *out = r;
    return KT_OK;
}
