/* The built-in readers go into the same registry as the plugins' ones. */
#include "read/read_int.h"

kt_status kt_read_register_builtin(kt_ext *x, kt_error *err)
{
    static const char *const names[] = {"csv", "json", "ndjson", "vcf"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        kt_status st = kt_ext_add(x, KT_EXT_READER, kt_read_builtin(names[i]), "core", err);
        if (st) return st;
    }
    return KT_OK;
}
