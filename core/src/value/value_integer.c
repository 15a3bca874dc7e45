#include "kartoteka/value.h"
#include "value/value_util.h"

kt_status kt_value_parse_integer(const char *in, long long *out, kt_error *err)
{
    /* A spreadsheet exports 12 as "12.00"; the decimal reader keeps that and refuses "12.5". */
    return kt_vu_number(in, 0, 1, out, err);
}
