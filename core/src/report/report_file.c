/* Report files: whoever registered their kind (the script layer for .lua) runs them inside this
 * layer's read-only guard. */
#include <string.h>

#include "report/report_int.h"

static kt_status guard_begin(void *ud, kt_error *err)
{
    report_file_guard *f = ud;
    return report_guard_begin(f->ws, &f->g, err);
}

static kt_status guard_end(void *ud, kt_error *err)
{
    report_file_guard *f = ud;
    report_guard_end(&f->g);
    if (!f->g.tried) return KT_OK;
    return kt_error_set(err, KT_DENIED,
                        "reports are read-only: %s tried to write (%s); nothing was written",
                        f->path, f->g.what);
}

kt_report_guard report_file_guard_make(report_file_guard *f, kt_ws *ws, const char *path)
{
    f->ws = ws;
    f->path = path;
    return (kt_report_guard){f, guard_begin, guard_end};
}

const kt_ext_report_files *report_files_for(kt_ws *ws, const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/')) return NULL;
    return kt_ext_find(kt_ws_ext(ws), KT_EXT_REPORT_FILES, dot + 1);
}
