/* A consonant-class code for blocking names, in the spirit of Soundex but over the folded
 * (transliterated) form and without Soundex's literal first letter, so that Volkova and
 * Wolkowa, Kristina and Christina land together: vowels, y and h carry nothing; the classes are
 * b f p v w | c g j k q s x z | d t | l | m n | r; repeats collapse. */
#include "match/internal.h"

/* Class digit per letter a..z, '0' for none. */
static const char classes[] = "01230120022455012623011202";

size_t kt_match_sound(const char *w, size_t n, char *out, size_t max)
{
    size_t k = 0;
    char last = 0;
    for (size_t i = 0; i < n; i++) {
        if (w[i] < 'a' || w[i] > 'z') return 0;
        char c = classes[w[i] - 'a'];
        if (c == '0') continue;
        if (c != last && k < max) out[k++] = c;
        last = c;
    }
    out[k] = '\0';
    return k;
}
