/* The data rd_guess_8bit scores a sample against (generated: core/src/read/gen_charset_model.py).
 */
#ifndef KT_READ_CHARSET_MODEL_H
#define KT_READ_CHARSET_MODEL_H

#include <stdint.h>

#define RD_CS_PAGES 5
#define RD_CS_LANGS 17

/* Byte classes. */
enum { RD_CS_UNDEFINED, RD_CS_LETTER, RD_CS_PUNCT, RD_CS_SYMBOL, RD_CS_CONTROL };

typedef struct rd_cs_page {
    const char *name;  /* the iconv name, also what the user is told */
    const char *about; /* "Western European, Windows" */
    uint16_t low[128]; /* bytes 0x80..0xFF as lower-case code points; 0 = undefined */
    uint8_t cls[128];  /* RD_CS_* of each byte */
} rd_cs_page;

typedef struct rd_cs_lang {
    const char *name;
    unsigned pages; /* bit i: written in rd_cs_pages[i] */
    unsigned n;
    struct {
        uint16_t cp;   /* lower-case code point */
        uint16_t freq; /* per 10 000 letters */
    } letter[40];
} rd_cs_lang;

extern const rd_cs_page rd_cs_pages[RD_CS_PAGES];
extern const rd_cs_lang rd_cs_langs[RD_CS_LANGS];

#endif
