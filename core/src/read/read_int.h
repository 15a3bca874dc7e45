/* Shared internals of the built-in readers: resolved limits, a row of cells, the decoder that
 * turns any supported encoding into UTF-8 in chunks, and the handle header that lets the
 * convenience layer see a built-in reader's status code (the plugin ABI only carries a
 * message). */
#ifndef KT_READ_INT_H
#define KT_READ_INT_H

#include <stdio.h>

#include "kartoteka/buf.h"
#include "kartoteka/read.h"

/* The fuzz build makes chunks tiny: faster runs, and every chunk boundary gets exercised. */
#ifdef KT_READ_CHUNK
#define RD_CHUNK ((size_t)KT_READ_CHUNK)
#else
#define RD_CHUNK ((size_t)64 * 1024)
#endif

typedef struct rd_limits {
    size_t max_cell, max_fields, max_record, max_depth, max_total, max_entries;
    const char *encoding;
    const char *sheet;
    char delimiter;
    int lenient;
} rd_limits;

/* The convenience layer opens a built-in reader with ud = an rd_open_ctx (registered
 * built-ins carry ud = NULL: defaults), so the options the plugin ABI lacks (delimiter,
 * lenient, depth) and the status code of a failed open travel without changing the ABI. */
typedef struct rd_open_ctx {
    const kt_read_opts *opts; /* may be NULL */
    kt_error *err;            /* filled when open fails; may be NULL */
} rd_open_ctx;

void rd_limits_resolve(rd_limits *l, const kt_plugin_reader_opts *popts, const void *ud);

/* Every built-in handle starts with this, so a failure keeps its kt_status. */
typedef struct rd_decoder rd_decoder;
typedef struct rd_base {
    kt_error err;
    const char *magic;     /* rd_magic while alive */
    const rd_decoder *dec; /* for kt_reader_encoding; NULL until open succeeds */
} rd_base;
extern const char rd_magic[];
int rd_fail(rd_base *b, char *msg, size_t msg_size); /* copies err->message to msg, returns -1 */
/* For a failed open: copies b->err to the rd_open_ctx in ud (if any) and to msg. */
void rd_open_failed(rd_base *b, const void *ud, char *msg, size_t msg_size);
/* For an open that could not even allocate its handle. Returns NULL. */
void *rd_open_nomem(const void *ud, const char *path, char *msg, size_t msg_size);
int rd_is_builtin(const kt_plugin_reader *r);
const kt_plugin_reader *rd_builtin_for_path(const char *path); /* by extension, or NULL */

/* A row of cells stored in one buffer. A cell may be absent (NULL). */
typedef struct rd_cells {
    kt_buf text;
    size_t *off; /* SIZE_MAX marks an absent cell */
    const char **ptr;
    size_t count, cap;
} rd_cells;

kt_status rd_cells_add(rd_cells *c, const char *s, size_t n, kt_error *err);
void rd_cells_reset(rd_cells *c);
kt_status rd_cells_finish(rd_cells *c, kt_error *err); /* fills ptr[] */
void rd_cells_free(rd_cells *c);

/* The decoder: a file in any supported encoding, handed out as valid UTF-8 without NUL bytes,
 * in pieces of at most a few chunks. */
kt_status rd_dec_open(const char *path, const char *encoding, rd_decoder **out, kt_error *err);
/* *len == 0 at the end. The data is borrowed until the next call. */
kt_status rd_dec_read(rd_decoder *d, const char **data, size_t *len, kt_error *err);
const char *rd_dec_encoding(const rd_decoder *d); /* "UTF-8", "CP1250", ... */
const char *rd_dec_path(const rd_decoder *d);
/* 1 unless guessed (see rd_guess_8bit); *guessed (may be NULL): chosen by rd_guess_8bit. */
double rd_dec_confidence(const rd_decoder *d, int *guessed);
void rd_dec_close(rd_decoder *d);

/* The 8-bit code page a sample most likely is in ("CP1250", "ISO-8859-2", "CP1252",
 * "CP1251", "CP1256"), how sure (0..1: the share of the likelihood among the code pages
 * that read the sample differently) and the runner-up (NULL if none). Static strings. */
typedef struct rd_guess {
    const char *encoding, *other;
    double confidence;
} rd_guess;
rd_guess rd_guess_8bit(const unsigned char *s, size_t n);
const char *rd_guess_about(const char *encoding); /* "Western European, Windows", or NULL */
/* A guess less sure than this stops the import and asks for read = { encoding = ... }. */
#define RD_MIN_CONFIDENCE 0.9
/* Bytes of s forming complete valid UTF-8 (no NUL); *bad = 1 when stopped by an invalid
 * byte, 0 when by the end or a sequence cut short by the end. */
size_t rd_utf8_valid(const unsigned char *s, size_t n, int *bad, int *multibyte);

/* Lines of a decoded stream, each complete, at most max bytes (else KT_LIMIT). */
typedef struct rd_lines {
    rd_decoder *dec;
    const char *data;
    size_t len, pos;
    kt_buf line; /* the current line without its '\n' or '\r\n' */
    long lineno; /* of the current line */
    int eof;
} rd_lines;

/* KT_OK with a line in l->line, KT_NOTFOUND at the end. */
kt_status rd_lines_next(rd_lines *l, size_t max, kt_error *err);

/* JSON value helpers shared by the json and ndjson readers. */
struct cJSON;
kt_status rd_json_row(const struct cJSON *obj, rd_cells *keys, rd_cells *vals, size_t max_fields,
                      size_t max_cell, kt_error *err);
/* Scans JSON text for a \u0000 escape inside a string, which cJSON would cut the value at:
 * KT_INVALID saying so, *line = the newlines before it (for the caller's line number). */
kt_status rd_json_no_nul(const char *s, size_t n, long *line, kt_error *err);
/* Scans JSON text for nesting deeper than max; KT_LIMIT naming the limit. */
kt_status rd_json_depth(const char *s, size_t n, size_t max, kt_error *err);

extern const char *const rd_no_keys[1]; /* keys of an empty object: not NULL, which means keyless */

extern const kt_plugin_reader rd_csv_reader;
extern const kt_plugin_reader rd_json_reader;
extern const kt_plugin_reader rd_ndjson_reader;
extern const kt_plugin_reader rd_vcf_reader;

#endif
