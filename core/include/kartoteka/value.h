/* Parsing and checking of the values people type or import, one function per field type. Every
 * function is pure (no I/O, no globals) except that a two-digit year in
 * kt_value_parse_date_format reads today's date (kt_date_today, so KT_TODAY pins it). Inputs are
 * borrowed NUL-terminated UTF-8; surrounding white space (including NBSP) is ignored. On failure
 * the message names the value and the rule, and outputs are left unspecified. */
#ifndef KARTOTEKA_VALUE_H
#define KARTOTEKA_VALUE_H

#include <stddef.h>

#include "kartoteka/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KT_DATE_SIZE 11     /* "YYYY-MM-DD" + NUL */
#define KT_DATETIME_SIZE 20 /* "YYYY-MM-DDTHH:MM:SS" + NUL */
#define KT_DECIMAL_MAX_SCALE 18
#define KT_DECIMAL_TEXT_SIZE 48 /* enough for any kt_value_format_decimal output */

/* A calendar date written as YYYY-MM-DD, YYYY.MM.DD, YYYY/MM/DD, DD.MM.YYYY or D.M.YYYY; also
 * DD/MM/YYYY and DD-MM-YYYY (or the US MM/DD/YYYY) but only when the order is unambiguous (one
 * of the first two numbers is above 12, or both are equal); otherwise refused with a request for
 * YYYY-MM-DD. Years 1..9999, real calendar dates only. out gets the canonical YYYY-MM-DD. */
kt_status kt_value_parse_date(const char *in, char out[KT_DATE_SIZE], kt_error *err);

/* A date in an explicit format, as import scripts know their source: fmt is made of the tokens
 * YYYY (4 digits), YY (2 digits; above this year's last two digits means 19YY, else 20YY),
 * MM and DD (2 digits, or 1-2 when a separator follows), M and D (1-2 digits), and literal
 * characters that must match ("DD.MM.YYYY", "MM/DD/YYYY", "D.M.YY", "YYYYMMDD"). fmt is KT_USAGE
 * when it lacks a year, month or day. out gets YYYY-MM-DD. */
kt_status kt_value_parse_date_format(const char *in, const char *fmt, char out[KT_DATE_SIZE],
                                     kt_error *err);

/* A date and a time: any date kt_value_parse_date accepts, then 'T' or spaces, then H:MM or
 * HH:MM[:SS]; a bare date means midnight. Fractions of seconds and time zone suffixes are
 * refused (nothing is silently dropped). out gets YYYY-MM-DDTHH:MM:SS. */
kt_status kt_value_parse_datetime(const char *in, char out[KT_DATETIME_SIZE], kt_error *err);

/* A whole number: optional sign, digits; thousands may be grouped by one kind of separator
 * (space, NBSP, narrow NBSP or apostrophe) in groups of exactly three ("1 234 567"). Values
 * outside long long are refused. */
kt_status kt_value_parse_integer(const char *in, long long *out, kt_error *err);

/* An exact decimal as a scaled integer: *units = value * 10^scale, never through a binary float.
 * Accepts "12.5", "12,50", "-0.01", "+3", ".5", "12.", groups as in kt_value_parse_integer,
 * and "1.234,50" / "1,234.50" (the last separator is the decimal one, the other must group by
 * three). Fractional digits beyond scale are refused unless they are zeros. scale is
 * 0..KT_DECIMAL_MAX_SCALE (else KT_USAGE); overflow of long long is refused. */
kt_status kt_value_parse_decimal(const char *in, int scale, long long *units, kt_error *err);

/* Writes units / 10^scale with exactly scale decimals and a '.' ("12.50", "-0.01", "7"), always
 * NUL-terminated (truncated if out_size is too small; KT_DECIMAL_TEXT_SIZE is always enough).
 * A scale outside 0..KT_DECIMAL_MAX_SCALE is treated as 0. */
void kt_value_format_decimal(long long units, int scale, char *out, size_t out_size);

/* Yes or no, case-insensitive: true/false, yes/no, 1/0, y/n, t/f, on/off, tak/nie (Polish),
 * да/нет (Russian). *out is 1 or 0. */
kt_status kt_value_parse_bool(const char *in, int *out, kt_error *err);

/* An e-mail address (a practical subset of RFC 5322, with UTF-8 letters allowed): trimmed, a
 * leading "mailto:" dropped, the domain lower-cased, the local part kept as typed.
 * *out is allocated on success (caller frees with kt_free), NULL on failure. */
kt_status kt_value_check_email(const char *in, char **out, kt_error *err);

/* A web address: http or https (https:// is added when there is no scheme and the text starts
 * with a host), a host with a dot, an optional port, no spaces. Scheme and host are lower-cased.
 * *out is allocated on success (caller frees with kt_free), NULL on failure. */
kt_status kt_value_check_url(const char *in, char **out, kt_error *err);

#ifdef __cplusplus
}
#endif
#endif
