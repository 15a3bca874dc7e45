/* Private helpers shared by the similarity functions and the blocking keys. */
#ifndef KT_MATCH_INTERNAL_H
#define KT_MATCH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "text/scratch.h"

/* Code points of a string, inline for ordinary values. Never copy one. */
#define KT_CPS_INLINE 128
typedef struct kt_cps {
    int32_t *v;
    size_t n;
    int32_t inl[KT_CPS_INLINE];
} kt_cps;

/* Decodes s[0..len) (bad bytes become U+FFFD). 0, or -1 when out of memory (c is then empty). */
int kt_cps_decode(kt_cps *c, const char *s, size_t len);
void kt_cps_free(kt_cps *c);

/* Jaro-Winkler of two non-empty code point arrays; -1 when out of memory. */
double kt_jw_cps(const int32_t *a, size_t la, const int32_t *b, size_t lb);
/* The same on UTF-8 slices; 1 when both are empty, 0 when one is, -1 when out of memory. */
double kt_jw_utf8(const char *a, size_t la, const char *b, size_t lb);

/* Folds s (kt_text_fold) into out: 1 when something is left, 0 when missing, -1 when out of
 * memory. Bad UTF-8 is compared byte for byte rather than dropped. */
int kt_match_fold(const char *s, kt_scratch *out);

/* cmp of the folded forms of a and b; KT_MATCH_MISSING when either is missing (or out of
 * memory). */
double kt_match_fold_both(const char *a, const char *b, double (*cmp)(const char *, const char *));

/* A word of a folded string. */
typedef struct kt_word {
    const char *p;
    size_t n;
} kt_word;
#define KT_MATCH_MAX_WORDS 32
/* Splits a folded string at its single spaces into at most max words (the rest is dropped).
 * Returns how many. */
size_t kt_match_words(const char *s, size_t len, kt_word *w, size_t max);
/* Sorts words bytewise. */
void kt_match_sort_words(kt_word *w, size_t n);
/* Words joined by single spaces into out (len: at least their total length): 0, or -1 when out
 * of memory. */
int kt_match_join(const kt_word *w, size_t n, size_t len, kt_scratch *out);
/* The folded string with its words sorted, into out: 0, or -1 when out of memory. */
int kt_match_sorted(const char *s, size_t len, kt_scratch *out);

/* Canonical e-mail into out (see kt_match_email_canonical): 1 when something is left, 0 when
 * missing, -1 when out of memory. *at is the offset of the '@', or (size_t)-1 without one. */
int kt_email_canon(const char *s, kt_scratch *out, size_t *at);
/* kt_match_email of two canonical forms (kt_email_canon's, non-empty): the prepared path
 * compares them as they are. */
double kt_email_compare(const char *a, const char *b);

/* The digits of a phone number (at most KT_PHONE_MAX, a leading "00" dropped) into out, which
 * has room for KT_PHONE_MAX + 1. Returns how many. */
#define KT_PHONE_MAX 32
size_t kt_phone_digits(const char *s, char *out);
/* Scores two digit strings made by kt_phone_digits (see kt_match_phone). */
double kt_phone_compare_digits(const char *da, size_t na, const char *db, size_t nb);

/* Parses a date into "YYYYMMDD" (ymd has room for 9). 1 when it is one, else 0. */
int kt_date_parse(const char *s, char ymd[9]);

/* The consonant-class code of a folded word (see sound.c) into out, which has room for max + 1;
 * its length, 0 when the word is not all a-z. */
size_t kt_match_sound(const char *w, size_t n, char *out, size_t max);

/* kt_match_name, kt_match_company and kt_match_text on values already folded
 * (kt_match_prepare). */
double kt_match_name_folded(const char *a, const char *b);
double kt_match_company_folded(const char *a, const char *b);
double kt_match_text_folded(const char *a, const char *b);

/* Soft Jaccard of the words of two folded strings (text.c). */
double kt_match_soft_jaccard(const char *a, size_t la, const char *b, size_t lb);

/* 1 when both folded strings hold numbers and not the same ones ("firma 1" / "firma 2"): a
 * number in a name is part of its identity. */
int kt_match_numbers_differ(const char *a, size_t la, const char *b, size_t lb);

/* A legal form of a company (legal_form.c): the spelling recognised, the canonical form its
 * variants share, and the family of forms that may be one company (NULL: says nothing). */
typedef struct kt_legal_form {
    const char *spelling, *form, *family;
} kt_legal_form;
/* Drops a legal form from the end (else the start) of a name's words, never all of them:
 * returns how many words are left (moved to the front of w); *form the one found (borrowed,
 * static) or NULL. */
size_t kt_legal_form_split(kt_word *w, size_t n, const kt_legal_form **form);
/* What two companies' forms say: 1 for the same form or a missing one, 0.8 for forms of one
 * family (ООО and LLC), 0.5 for different kinds (Sp. j. and Sp. k.). */
double kt_legal_form_factor(const kt_legal_form *a, const kt_legal_form *b);
/* A company name's folded words without its legal form, joined by single spaces, into out:
 * 0, or -1 when out of memory. */
int kt_company_core(const char *s, size_t len, kt_scratch *out, const kt_legal_form **form);

#endif
