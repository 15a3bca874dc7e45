/* kt_report_render: one entry point for the four formats. */
#include "report/report_int.h"

kt_status kt_report_render(const kt_report *r, kt_report_format fmt, const kt_report_render_opts *o,
                           kt_buf *out, kt_error *err)
{
    switch (fmt) {
    case KT_REPORT_TABLE:
        return report_render_table(r, o, out, err);
    case KT_REPORT_CSV:
        return report_render_csv(r, o, out, err);
    case KT_REPORT_JSON:
        return report_render_json(r, out, err);
    case KT_REPORT_SVG:
        return report_render_svg(r, out, err);
    }
    return kt_error_set(err, KT_USAGE, "unknown report format");
}
