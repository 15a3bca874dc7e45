/* CSV writing for export, reports and the rejects file: RFC 4180 quoting, and optional
 * neutralising of cells a spreadsheet would run as formulas (CSV injection, OWASP). */
#ifndef KARTOTEKA_CSV_WRITE_H
#define KARTOTEKA_CSV_WRITE_H

#include <stddef.h>

#include "kartoteka/buf.h"
#include "kartoteka/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Appends one cell to out (no delimiter, no line end). value NULL is an empty cell.
 * A cell holding the delimiter, a quote, CR or LF is quoted, quotes doubled (RFC 4180).
 * With neutralise set, a cell starting with = + - @ TAB or CR gets a leading apostrophe, the
 * OWASP advice: spreadsheets show it as text and hide the apostrophe; a plain number such as
 * "-12.50" or "+48123456789" (sign, digits, one '.' or ',' between digits) is left alone so
 * numbers stay numbers. Fails only with KT_LIMIT/KT_NOMEM from out; then out is unchanged
 * in length. */
kt_status kt_csv_write_cell(kt_buf *out, const char *value, char delimiter, int neutralise,
                            kt_error *err);

/* Appends count cells separated by delimiter and ending in CRLF (RFC 4180). */
kt_status kt_csv_write_row(kt_buf *out, const char *const *values, size_t count, char delimiter,
                           int neutralise, kt_error *err);

/* 1 when a spreadsheet could take value for a formula (what neutralise acts on). */
int kt_csv_is_dangerous(const char *value);

#ifdef __cplusplus
}
#endif
#endif
