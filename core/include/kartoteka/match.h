/* Similarity of two field values, for duplicate detection (kt dupes, kt add, import match).
 *
 * Every score is in [0, 1], or -1 when either value is missing: NULL, empty, or nothing left
 * after folding. A missing value neither adds nor subtracts, so callers leave -1 out of both
 * the weighted sum and the total weight. Values are UTF-8; all pointers passed in are borrowed
 * and none is kept. Scoring allocates nothing for ordinary values (a few hundred bytes); for
 * longer ones it may, and if that fails the score is -1 (treated as missing).
 * Text is folded with kt_text_fold, so Łukasz = Lukasz, Волкова = Volkova, ي = ی. */
#ifndef KARTOTEKA_MATCH_H
#define KARTOTEKA_MATCH_H

#include <stddef.h>

#include "kartoteka/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KT_MATCH_MISSING (-1.0)
#define KT_MATCH_MAX_KEYS 4

/* Jaro-Winkler over code points of the raw strings (no folding); prefix scale 0.1 up to 4
 * code points, applied when Jaro > 0.7. a, b borrowed; bytes that are not UTF-8 count as
 * U+FFFD. */
double kt_match_jaro_winkler(const char *a, const char *b);

/* Damerau-Levenshtein distance (optimal string alignment) in code points of the raw strings;
 * NULL counts as "". Memory is O(shorter string). SIZE_MAX only when out of memory. */
size_t kt_match_levenshtein(const char *a, const char *b);

/* The candidate closest to word by kt_match_levenshtein, for a "did you mean": only one within
 * a third of the word's length (at least 1, at most 3 edits), else NULL. candidates has n
 * entries (NULL ones are skipped); the result is one of them, borrowed. */
const char *kt_match_suggest(const char *word, const char *const *candidates, size_t n);

/* 1 when the folded forms are equal, else 0. */
double kt_match_exact(const char *a, const char *b);

/* E-mail addresses: compared case-insensitively after dropping "+tag" from the local part, and
 * for gmail.com/googlemail.com the dots in it too. Equal -> 1; same domain and local parts with
 * Jaro-Winkler >= 0.9 (a typo) -> 0.9 * JW; else 0. */
double kt_match_email(const char *a, const char *b);

/* The canonical form kt_match_email compares ("A.N.Na+x@GoogleMail.com" -> "anna@gmail.com",
 * "" for a missing one). email borrowed; *out is allocated (caller kt_free), NULL on KT_NOMEM. */
kt_status kt_match_email_canonical(const char *email, char **out, kt_error *err);

/* Phone numbers, digits only (Persian and Arabic-Indic digits count, a leading 00 is a '+'):
 * equal -> 1; equal last 9 digits (national vs international spelling) -> 0.95; one digit
 * different or two adjacent ones swapped -> 0.5; else 0. Missing when there are no digits. */
double kt_match_phone(const char *a, const char *b);

/* Person or company names: Jaro-Winkler of the folded forms (transliterated, so Волкова =
 * Volkova), the better of the forms as written and with words sorted ("Anna Maria" = "Maria
 * Anna"). Scores from 0.85 up are the Jaro-Winkler; below, where unrelated names already sit
 * ("Nowak"/"Kowalski" 0.77), they fall linearly to 0 at 0.7, so a shared first name alone
 * cannot lift a pair over a threshold. Names holding different numbers ("Firma 1", "Firma 2")
 * score 0; a number on one side only is no evidence. */
double kt_match_name(const char *a, const char *b);

/* Company names: the legal form (Sp. z o.o., S.A., Sp. k., Sp. j., S.C., ООО, АО, ЗАО, ПАО, ИП,
 * شرکت, سهامی خاص, LLC, Ltd, GmbH, Inc., AG, plc and their spellings, written out too) is taken off
 * the first or last words and compared apart: the same form or a missing one changes nothing,
 * forms of one family (ООО and LLC) take 0.8 of the score, different kinds (Sp. j. and S.A.)
 * half. The rest scores as kt_match_name, capped by the share of words the two have in common
 * (a word more, "Sikorski-Gałka" against "Sikorski", is another company). Numbers must agree:
 * "Firma 1" and "Firma 2" score 0 (in kt_match_name too). */
double kt_match_company(const char *a, const char *b);

/* First and last names of two people, trying the straight assignment and first/last swapped,
 * and returning the better mean of the available field scores. When one side keeps the whole
 * name in one field (first or last empty), the full names are compared as well. *first_score
 * and *last_score (either may be NULL) get the per-field scores of the chosen assignment. */
double kt_match_name_pair(const char *first_a, const char *last_a, const char *first_b,
                          const char *last_b, double *first_score, double *last_score);

/* Dates "YYYY-MM-DD" (also YYYYMMDD, YYYY/MM/DD, DD.MM.YYYY, DD-MM-YYYY; anything after the
 * date, such as a time, is ignored): equal -> 1; day and month swapped -> 0.8; one digit
 * different -> 0.7; else 0. Values that are no dates score 1 when their folded forms are
 * equal, else 0. */
double kt_match_date(const char *a, const char *b);

/* Free text such as a street: soft Jaccard over folded words, a word matching another when equal
 * or, for words without digits, at Jaro-Winkler >= 0.9 (weighted by it). Up to 32 words each. */
double kt_match_text(const char *a, const char *b);

/* 1 when method is one of "exact", "email", "phone", "name", "company", "date", "text". */
int kt_match_method_known(const char *method);

/* The score of method for a and b; -1 for an unknown method too (check it with
 * kt_match_method_known when reading rules). method, a, b borrowed. */
double kt_match_score(const char *method, const char *a, const char *b);

/* A value prepared once for many comparisons: the form its method compares (the folded text
 * for exact, name and text; the canonical address for email; the digits for phone; YYYYMMDD
 * for a date, else its folded text). method and value borrowed; *out is allocated (caller
 * frees with kt_free), or NULL for a missing value (still KT_OK). KT_INVALID for an unknown
 * method, KT_NOMEM. */
kt_status kt_match_prepare(const char *method, const char *value, char **out, kt_error *err);

/* kt_match_score of two values prepared with kt_match_prepare (NULL for missing): the same
 * score, without folding again. a, b borrowed. */
double kt_match_prepared(const char *method, const char *a, const char *b);

/* kt_match_name_pair of prepared (method "name") names; same contract. */
double kt_match_name_pair_prepared(const char *first_a, const char *last_a, const char *first_b,
                                   const char *last_b, double *first_score, double *last_score);

/* Blocking keys: values that may be duplicates share at least one key under the same method, so
 * only records sharing a key are compared. At most KT_MATCH_MAX_KEYS per value, each tagged with
 * its kind ("e:", "p:", "n:", "s:", "c:", "d:", "t:", "x:"); keys of the name method do not
 * depend on the field, so first and last names can share one key space to catch swapped names.
 *   exact: the folded value.        email: the canonical address.
 *   phone: the last 9 digits.       date: the date and, when it can be, day/month swapped.
 *   name: per word (up to 2, sorted; initials skipped) its first 3 letters and, when it has
 *         three or more, a code of its consonant classes (Volkova = Wolkowa).
 *   company: the name without its legal form, whole, then its keys of name.
 *   text: the folded words, sorted.
 * A missing value gives *count = 0 and *keys = NULL. *keys is allocated (caller frees with
 * kt_match_keys_free); method and value are borrowed. KT_INVALID for an unknown method,
 * KT_NOMEM on failure (then nothing is allocated). */
kt_status kt_match_keys(const char *method, const char *value, char ***keys, size_t *count,
                        kt_error *err);
/* Releases what kt_match_keys returned; keys may be NULL. */
void kt_match_keys_free(char **keys, size_t count);

#ifdef __cplusplus
}
#endif
#endif
