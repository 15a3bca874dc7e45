/* Private pieces of the folding pipeline, shared by the text and match modules. */
#ifndef KT_TEXT_FOLD_H
#define KT_TEXT_FOLD_H

#include <stddef.h>
#include <stdint.h>

#include "kartoteka/error.h"
#include "text/scratch.h"

#define KT_FOLD_TRANSLIT 1u /* Cyrillic to Latin (kt_text_fold); without it the script stays */

/* Replaces out's contents with the folded form of s[0..len). KT_INVALID on bad UTF-8,
 * KT_NOMEM/KT_LIMIT when growing out fails; on failure out is left empty. */
kt_status kt_fold_into(kt_scratch *out, const char *s, size_t len, unsigned flags, kt_error *err);

/* The Latin spelling of a lower-case Cyrillic letter ("" for the signs ь and ъ), or NULL
 * when cp is not one the scheme covers. */
const char *kt_translit_cyrillic(int32_t cp);

/* Letters that Unicode decomposition leaves alone but matching must equate (ł -> l, æ -> ae,
 * ي -> ی, ۱ -> 1, tatweel -> nothing). Writes up to 2 code points to out and returns how many
 * (0 means drop it), or -1 when cp is not special. cp is already case folded. */
int kt_unify_letter(int32_t cp, int32_t out[2]);

/* White space for squeezing: ASCII blanks, controls, NBSP and the other Z* separators. */
int kt_text_is_space(int32_t cp);

#endif
