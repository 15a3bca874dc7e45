/* Internals of the xlsx reader plugin. Only plugin.h of the core is used. */
#ifndef KT_XLSX_INT_H
#define KT_XLSX_INT_H

#include <expat.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <zip.h>

#include <kartoteka/plugin.h>

#define XL_MAX_ENTRIES 10000 /* the plugin ABI has no option for it */
#define XL_CHUNK 16384
#define XL_PATH 512

typedef struct xb { /* a growing buffer with a maximum */
    char *d;
    size_t len, cap;
} xb;

int xb_add(xb *b, const char *s, size_t n, size_t max); /* 0 ok, -1 over max or no memory */
void xb_free(xb *b);

/* Shared strings: in memory (NUL-terminated in mem, offsets in off) up to XL_SST_RAM bytes,
 * then in two unnamed temporary files. */
#define XL_SST_RAM ((size_t)8 * 1024 * 1024)
typedef struct xl_sst {
    xb mem;
    size_t *off, n, cap;
    FILE *text, *index; /* owned, once spilled */
    uint64_t text_len;
    int dirty;
    xb got; /* the string last read back from the file */
} xl_sst;

typedef struct xl {
    zip_t *z;
    size_t max_total, used, max_cell, max_fields, max_row;
    const char *sheet_name;
    char sheet_path[XL_PATH];
    char sheet_label[128]; /* the sheet's name, for messages */
    int date1904;
    xl_sst sst;
    /* cell styles (cellXfs index) that format a date */
    unsigned char *date_xf;
    size_t nxf;
    /* the sheet, parsed as it is read */
    zip_file_t *sheet;
    XML_Parser p;
    char buf[XL_CHUNK];
    int suspended, sheet_eof, failed, row_ready, refused, root_seen;
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

/* A package relationship: its id, the last word of its type ("worksheet", "chartsheet",
 * "sharedStrings", "officeDocument") and its target resolved to a zip entry name. */
typedef struct xl_rel {
    char id[128], type[64], target[XL_PATH];
} xl_rel;
typedef struct xl_rels {
    xl_rel *rel; /* owned */
    size_t n, cap;
    char base[XL_PATH]; /* the folder targets are relative to, "" or ending in '/' */
} xl_rels;

int xl_fail(xl *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Opens the zip and checks entry count and declared sizes. */
int xl_open_zip(xl *x, const char *path);
/* Reads the workbook, its relations, styles and shared strings; sets sheet_path. */
int xl_load_book(xl *x);
/* Parses a whole entry through p (0 ok, -1 failed with x->err). optional: absent is fine. */
int xl_parse_entry(xl *x, const char *name, XML_Parser p, int optional);
/* Refuses DOCTYPE and entity declarations on p (no entity expansion bombs). */
void xl_guard(xl *x, XML_Parser p);
/* The zip entry of that name, case-insensitively and with '\\' taken as '/'; NULL if absent. */
zip_file_t *xl_fopen(xl *x, const char *name);
/* target relative to base_dir ("" or ending in '/'), or absolute ("/xl/..."), as an entry
 * name with "." and ".." resolved. 0 ok, -1 too long or empty. */
int xl_resolve(const char *base_dir, const char *target, char *out, size_t n);
void xl_dir_of(const char *path, char *dir, size_t n); /* "xl/a.xml" -> "xl/" */
/* The relationships of a part (its _rels/NAME.rels), absent = none; or of a .rels file. */
int xl_read_rels(xl *x, const char *part, xl_rels *r);
int xl_parse_rels(xl *x, const char *rels_path, xl_rels *r);
const xl_rel *xl_rel_by_id(const xl_rels *r, const char *id);     /* borrowed, or NULL */
const xl_rel *xl_rel_by_type(const xl_rels *r, const char *type); /* the first, or NULL */
void xl_rels_free(xl_rels *r);
/* Appends a shared string (0 ok, -1 failed with x->err). */
int xl_sst_add(xl *x, const char *s, size_t len);
/* String i (< x->sst.n), borrowed until the next call; NULL failed with x->err. */
const char *xl_sst_get(xl *x, size_t i, size_t *len);
void xl_sst_free(xl_sst *s);
int xl_sheet_start(xl *x);
/* 1 a row ready in x->ptr/x->ncells, 0 end, -1 failed. */
int xl_sheet_next(xl *x);
void xl_sheet_stop(xl *x);
const char *xl_attr(const XML_Char **a, const char *name);

#endif
