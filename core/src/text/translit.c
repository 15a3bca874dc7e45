/* Cyrillic to Latin, one deterministic scheme for Russian and Ukrainian (with a few Belarusian
 * and Serbian letters), close to the BGN/PCGN and passport spellings people actually type, so
 * that "Волкова" and "Volkova", "Щукин" and "Shchukin" fold alike. The language of a name is
 * unknown, so each letter has one reading: г -> g (Ukrainian "h" spellings are left to the fuzzy
 * comparison), и -> i, е and э and ё -> e, й and ы -> y, soft and hard signs dropped.
 * Only lower case is listed: folding case-folds first. */
#include "text/fold.h"

/* U+0430..U+045F: а..я, then ѐ..џ. */
static const char *const table[48] = {
    "a",  "b",    "v",  "g", "d",  "e",  "zh", "z",  /* а б в г д е ж з */
    "i",  "y",    "k",  "l", "m",  "n",  "o",  "p",  /* и й к л м н о п */
    "r",  "s",    "t",  "u", "f",  "kh", "ts", "ch", /* р с т у ф х ц ч */
    "sh", "shch", "",   "y", "",   "e",  "yu", "ya", /* ш щ ъ ы ь э ю я */
    "e",  "e",    "dj", "g", "ye", "dz", "i",  "yi", /* ѐ ё ђ ѓ є ѕ і ї */
    "j",  "lj",   "nj", "c", "k",  "i",  "u",  "dz", /* ј љ њ ћ ќ ѝ ў џ */
};

const char *kt_translit_cyrillic(int32_t cp)
{
    if (cp >= 0x0430 && cp <= 0x045F) return table[cp - 0x0430];
    if (cp == 0x0491) return "g"; /* ґ */
    return NULL;
}
