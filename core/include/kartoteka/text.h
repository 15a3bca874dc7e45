/* Unicode text handling, the one place for it: search and duplicate detection both fold text
 * here, so what `kt find` finds and what `kt dupes` matches agree. Inputs are borrowed; every
 * *out is allocated for the caller, who frees it with kt_free, and is NULL on failure. */
#ifndef KARTOTEKA_TEXT_H
#define KARTOTEKA_TEXT_H

#include <stddef.h>

#include "kartoteka/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Is s valid UTF-8 (no overlongs, no surrogates)? len bytes, borrowed. */
int kt_text_valid_utf8(const char *s, size_t len);

/* The folded form used for matching and search: NFKC, case folded, diacritics removed
 * (Łukasz -> lukasz, ß -> ss), Persian and Arabic letter forms unified (ي -> ی, ك -> ک,
 * ة -> ه, tatweel and harakat removed), Persian and Arabic-Indic digits -> ASCII,
 * Cyrillic transliterated to Latin (Волкова -> volkova), punctuation other than '@', '.', '+'
 * inside words turned into a space, white space collapsed to one space and trimmed.
 * Details: '@', '.', '+' stay only between two letters or digits ("anna.k@wp.pl" keeps them,
 * "Nowak." does not); apostrophes join (O'Brien, O’Brien -> obrien); format characters such as
 * ZWNJ (the Persian half-space) and soft hyphens vanish; symbols separate words.
 * Transliteration scheme (one for Russian and Ukrainian): see core/src/text/translit.c.
 * s borrowed; *out is allocated (caller frees with kt_free), NULL on failure.
 * Invalid UTF-8 is KT_INVALID, NULL s KT_USAGE. */
kt_status kt_text_fold(const char *s, char **out, kt_error *err);

/* The same folding, but keeps the script (no transliteration): for display-side comparisons.
 * й, ї and ў keep their marks there, being letters of their own. Same ownership as above. */
kt_status kt_text_fold_keep_script(const char *s, char **out, kt_error *err);

/* Title case per word, Unicode-aware ("łUKASZ nowak" -> "Łukasz Nowak"); caller frees. */
kt_status kt_text_title(const char *s, char **out, kt_error *err);
/* Lower / upper case, Unicode-aware; caller frees. */
kt_status kt_text_lower(const char *s, char **out, kt_error *err);
kt_status kt_text_upper(const char *s, char **out, kt_error *err);

/* Trims and collapses runs of white space (including NBSP) into one ASCII space; caller frees. */
kt_status kt_text_squeeze(const char *s, char **out, kt_error *err);

/* Persian (U+06F0..) and Arabic-Indic (U+0660..) digits to ASCII, other text kept; caller frees. */
kt_status kt_text_ascii_digits(const char *s, char **out, kt_error *err);

/* Number of Unicode code points in a valid UTF-8 string (0 for NULL). s borrowed. */
size_t kt_text_length(const char *s);

/* Appends s (NULL: nothing) to out escaped for XML and HTML text and attributes: < > & " '
 * as entities, line breaks and tabs as spaces, characters XML forbids dropped, broken UTF-8 as
 * U+FFFD. */
struct kt_buf;
kt_status kt_text_xml_escaped(struct kt_buf *out, const char *s, kt_error *err);

#ifdef __cplusplus
}
#endif
#endif
