/* Internals of the xlsx reader plugin. Only plugin.h of the core is used. */
#ifndef KT_XLSX_INT_H
#define KT_XLSX_INT_H

#include <expat.h>
#include <stddef.h>
#include <zip.h>

#include <kartoteka/plugin.h>

#define XL_MAX_ENTRIES 10000 /* the plugin ABI has no option for it */
#define XL_CHUNK 16384

typedef struct xb { /* a growing buffer with a maximum */
    char *d;
    size_t len, cap;
} xb;

int xb_add(xb *b, const char *s, size_t n, size_t max); /* 0 ok, -1 over max or no memory */
void xb_free(xb *b);

typedef struct xl {
    zip_t *z;
    size_t max_total, used, max_cell, max_fields;
    const char *sheet_name;
    char sheet_path[512];
    int date1904;
    /* shared strings: one buffer of NUL-terminated strings */
    xb sst;
    size_t *sst_off, sst_n, sst_cap;
    /* cell styles (cellXfs index) that format a date */
    unsigned char *date_xf;
    size_t nxf;
    /* the sheet, parsed as it is read */
    zip_file_t *sheet;
    XML_Parser p;
    char buf[XL_CHUNK];
    int suspended, sheet_eof, failed, row_ready, refused;
    /* the row being built */
    xb cells;
    size_t *off, ncells, cap;
    const char **ptr;
    long row_num;
    /* the cell being built */
    int in_c, in_v, in_is, in_t;
    char ctype[16];
    long cstyle;
    size_t col;
    xb val;
    char err[512];
    XML_Parser cur; /* the parser running now, for the refusing handlers */
    void *ctx;      /* the parse context of the entry being read */
} xl;

int xl_fail(xl *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Opens the zip and checks entry count and declared sizes. */
int xl_open_zip(xl *x, const char *path);
/* Reads the workbook, its relations, styles and shared strings; sets sheet_path. */
int xl_load_book(xl *x);
/* Parses a whole entry through p (0 ok, -1 failed with x->err). optional: absent is fine. */
int xl_parse_entry(xl *x, const char *name, XML_Parser p, int optional);
/* Refuses DOCTYPE and entity declarations on p (no entity expansion bombs). */
void xl_guard(xl *x, XML_Parser p);
int xl_sheet_start(xl *x);
/* 1 a row ready in x->ptr/x->ncells, 0 end, -1 failed. */
int xl_sheet_next(xl *x);
void xl_sheet_stop(xl *x);
const char *xl_attr(const XML_Char **a, const char *name);

#endif
