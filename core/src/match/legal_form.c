/* Legal forms of companies: one table, data rather than branches, so a missing spelling is a
 * line here. Spellings are as kt_match_fold leaves them (lower case, Latin for Cyrillic, Persian
 * letters unified) with dots and spaces dropped when comparing, so "Sp. z o.o.", "sp.z o.o",
 * "SP Z OO" are one. A form is recognised only as the first or last words of a name, and never
 * when it is all the name ("Inc" stays a name). */
#include <string.h>

#include "match/internal.h"

/* form: the canonical spelling (variants of one form share it); family: forms that may be the
 * same company written in another language or after a change of kind (ООО = LLC = GmbH, ОАО
 * renamed ПАО): enough to propose the pair for review, not to act on it alone; NULL for a word
 * that only says "company" and so is no evidence. Longest spellings first. */
static const kt_legal_form forms[] = {
    {"spolka z ograniczona odpowiedzialnoscia", "sp. z o.o.", "limited"},
    {"sp z ograniczona odpowiedzialnoscia", "sp. z o.o.", "limited"},
    {"شرکت با مسیولیت محدود", "mas'uliyat mahdud", "limited"},
    {"با مسیولیت محدود", "mas'uliyat mahdud", "limited"},
    {"spolka komandytowo akcyjna", "s.k.a.", "partnership limited by shares"},
    {"spolka komandytowa", "sp. k.", "limited partnership"},
    {"spolka partnerska", "sp. p.", "partnership"},
    {"spolka cywilna", "s.c.", "civil partnership"},
    {"spolka akcyjna", "s.a.", "joint stock"},
    {"spolka jawna", "sp. j.", "general partnership"},
    {"شرکت سهامی خاص", "sahami khas", "joint stock"},
    {"شرکت سهامی عام", "sahami am", "joint stock"},
    {"سهامی خاص", "sahami khas", "joint stock"},
    {"سهامی عام", "sahami am", "joint stock"},
    {"sp z oo", "sp. z o.o.", "limited"},
    {"z oo", "sp. z o.o.", "limited"},
    {"sp k", "sp. k.", "limited partnership"},
    {"sp j", "sp. j.", "general partnership"},
    {"sp p", "sp. p.", "partnership"},
    {"ska", "s.k.a.", "partnership limited by shares"},
    {"sa", "s.a.", "joint stock"},
    {"sc", "s.c.", "civil partnership"},
    {"ooo", "ooo", "limited"},
    {"oao", "oao", "joint stock"},
    {"zao", "zao", "joint stock"},
    {"pao", "pao", "joint stock"},
    {"ao", "ao", "joint stock"},
    {"ip", "ip", "sole trader"},
    {"fgup", "fgup", "unitary"},
    {"mup", "mup", "unitary"},
    {"gup", "gup", "unitary"},
    {"nko", "nko", "non-profit"},
    {"tszh", "tszh", "homeowners"},
    {"llc", "llc", "limited"},
    {"ltd", "ltd", "limited"},
    {"limited", "ltd", "limited"},
    {"gmbh", "gmbh", "limited"},
    {"inc", "inc", "joint stock"},
    {"incorporated", "inc", "joint stock"},
    {"corp", "corp", "joint stock"},
    {"corporation", "corp", "joint stock"},
    {"ag", "ag", "joint stock"},
    {"plc", "plc", "joint stock"},
    {"شرکت", "sherkat", NULL},
};

#define MAX_FORM_WORDS 5

/* Does w[0..k) spell f->spelling, dots and spaces aside? */
static int spells(const kt_word *w, size_t k, const char *spelling)
{
    const char *s = spelling;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < w[i].n; j++) {
            if (w[i].p[j] == '.') continue;
            while (*s == ' ')
                s++;
            if (*s != w[i].p[j]) return 0;
            s++;
        }
    while (*s == ' ')
        s++;
    return *s == '\0';
}

/* The longest form spelt by the first (at_end 0) or last k words, k < n; 0 when none. */
static size_t form_at(const kt_word *w, size_t n, int at_end, const kt_legal_form **out)
{
    for (size_t k = n - 1 < MAX_FORM_WORDS ? n - 1 : MAX_FORM_WORDS; k > 0; k--)
        for (size_t f = 0; f < sizeof forms / sizeof *forms; f++)
            if (spells(at_end ? w + n - k : w, k, forms[f].spelling)) {
                *out = &forms[f];
                return k;
            }
    return 0;
}

size_t kt_legal_form_split(kt_word *w, size_t n, const kt_legal_form **form)
{
    *form = NULL;
    if (n < 2) return n;
    size_t k = form_at(w, n, 1, form);
    if (k) return n - k;
    k = form_at(w, n, 0, form);
    if (k) memmove(w, w + k, (n - k) * sizeof *w);
    return n - k;
}

double kt_legal_form_factor(const kt_legal_form *a, const kt_legal_form *b)
{
    if (!a || !b || !a->family || !b->family) return 1; /* a missing form is no evidence */
    if (strcmp(a->form, b->form) == 0) return 1;
    return strcmp(a->family, b->family) == 0 ? 0.8 : 0.5;
}
