#include "kartoteka/value.h"

#include <string.h>

#include "value/value_util.h"

static const char *const yes_words[] = {"true", "yes", "1",   "y",
                                        "t",    "on",  "tak", "\xD0\xB4\xD0\xB0" /* да */};
static const char *const no_words[] = {"false", "no",  "0",   "n",
                                       "f",     "off", "nie", "\xD0\xBD\xD0\xB5\xD1\x82" /* нет */};

/* Lower-cases ASCII and the basic Cyrillic block, which is all the words above need; anything
 * longer than the longest word cannot match, so there is no need to allocate. */
static int fold(const char *s, size_t len, char *out, size_t out_size)
{
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = kt_vu_utf8_decode(s + i, len - i, &cp);
        if (k == 0 || o + 4 >= out_size) return 0;
        if (cp >= 'A' && cp <= 'Z')
            cp += 'a' - 'A';
        else if (cp >= 0x0410 && cp <= 0x042F)
            cp += 0x20;
        else if (cp == 0x0401)
            cp = 0x0451;
        o += kt_vu_utf8_encode(cp, out + o);
        i += k;
    }
    out[o] = '\0';
    return 1;
}

kt_status kt_value_parse_bool(const char *in, int *out, kt_error *err)
{
    const char *s;
    size_t len;
    kt_vu_trim(in, &s, &len);
    char word[24];
    if (fold(s, len, word, sizeof word)) {
        for (size_t i = 0; i < sizeof yes_words / sizeof *yes_words; i++) {
            if (strcmp(word, yes_words[i]) == 0) return *out = 1, KT_OK;
            if (strcmp(word, no_words[i]) == 0) return *out = 0, KT_OK;
        }
    }
    return kt_error_set(err, KT_INVALID,
                        "\"%.*s\" is not a yes/no value (use yes or no, true or false, 1 or 0)",
                        kt_vu_show_len(s, len), s);
}
