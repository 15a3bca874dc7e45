/* Helpers shared by the value parsers; private to core/src/value (prefix kt_vu_, so they never
 * collide with the record module's kt_value_* names). */
#ifndef KT_VALUE_UTIL_H
#define KT_VALUE_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "kartoteka/buf.h"
#include "kartoteka/error.h"

/* Bytes of the white space character at s (ASCII blank, NBSP, narrow NBSP), 0 when none. */
size_t kt_vu_space_len(const char *s, size_t len);

/* The span of in without surrounding white space. */
void kt_vu_trim(const char *in, const char **start, size_t *len);

/* How many bytes of s to quote in a message: at most about 120, cut at a character boundary. */
int kt_vu_show_len(const char *s, size_t len);

/* Decodes one UTF-8 character; returns its length, or 0 when the bytes are not valid UTF-8
 * (overlong, surrogate, beyond U+10FFFF, truncated). */
size_t kt_vu_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Encodes cp into out (4 bytes room); returns the length. */
size_t kt_vu_utf8_encode(uint32_t cp, char *out);

/* Writes "YYYY-MM-DD" (11 bytes with the NUL) and "HH:MM:SS" (9 bytes); fields already checked. */
void kt_vu_write_ymd(char *out, int y, int m, int d);
void kt_vu_write_hms(char *out, int h, int mi, int s);

/* Letters, combining marks and digits of any script (and ZWNJ): what a non-ASCII character of a
 * host name or an address may be. */
int kt_vu_idn_char(uint32_t cp);

/* Checks a host name (labels of letters, digits and hyphens, UTF-8 letters allowed, at least one
 * dot) and appends it lower-cased to out. noun ("domain", "host") and whole (the full value) are
 * for the message. letter_tld: the last label must be 2+ letters (or an xn-- label). */
kt_status kt_vu_check_host(const char *s, size_t len, const char *noun, const char *whole,
                           int letter_tld, kt_buf *out, kt_error *err);

/* The one number reader behind kt_value_parse_integer (scale 0, whole set, so the message says
 * "whole number") and kt_value_parse_decimal. */
kt_status kt_vu_number(const char *in, int scale, int whole, long long *units, kt_error *err);

#endif
