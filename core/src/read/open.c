/* Choosing a reader for a file through the registry: by name, by extension, by sniffing. */
#include "read/read_int.h"

static const kt_plugin_reader *by_name(const kt_ext *x, const char *name)
{
    const kt_plugin_reader *r = x ? kt_ext_reader(x, name) : NULL;
    return r ? r : kt_read_builtin(name);
}

kt_status kt_reader_open(const kt_ext *x, const char *path, const char *format,
                         const kt_read_opts *opts, kt_reader **out, kt_error *err)
{
    *out = NULL;
    const kt_plugin_reader *r = NULL;
    if (format && *format) {
        r = by_name(x, format);
        if (!r)
            return kt_error_set(err, KT_NOTFOUND,
                                "%s: no reader for the format '%s' (built in: csv, json, "
                                "ndjson, vcf; xlsx comes with the xlsx plugin)",
                                path, format);
    } else {
        r = x ? kt_ext_reader_for_path(x, path) : NULL;
        if (!r) r = rd_builtin_for_path(path);
        if (!r) {
            const char *sniffed = kt_read_sniff(path);
            r = by_name(x, sniffed);
            if (!r)
                return kt_error_set(err, KT_NOTFOUND,
                                    "%s: looks like %s, but no reader for it is loaded (load "
                                    "the %s plugin)",
                                    path, sniffed, sniffed);
        }
    }
    return kt_reader_open_with(r, path, opts, out, err);
}
