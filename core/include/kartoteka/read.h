/* Import readers: files in, rows out, one at a time and in constant memory.
 *
 * The built-in readers ("csv", "json", "ndjson", "vcf") are kt_plugin_reader objects, the same
 * kind a plugin registers (plugins/xlsx), so the import pipeline looks them all up in one
 * registry (ext.h). On top of them sits a convenience layer, kt_reader, which picks a reader,
 * turns a keyless format's first row into the header and converts failures to kt_error.
 *
 * Text is always handed out as UTF-8. CSV cells are kept byte for byte: no trimming of spaces
 * (that is the import script's job), quotes undone per RFC 4180.
 *
 * Limits: every one has a default (below) used when its option is 0; exceeding one is KT_LIMIT
 * with a message naming the limit and the option that raises it. */
#ifndef KARTOTEKA_READ_H
#define KARTOTEKA_READ_H

#include <stddef.h>

#include "kartoteka/error.h"
#include "kartoteka/ext.h"
#include "kartoteka/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KT_READ_MAX_CELL ((size_t)16 * 1024 * 1024)    /* bytes in one cell */
#define KT_READ_MAX_FIELDS ((size_t)4096)              /* cells in one row */
#define KT_READ_MAX_RECORD ((size_t)64 * 1024 * 1024)  /* bytes in one row/record/object */
#define KT_READ_MAX_DEPTH 64                           /* JSON nesting */
#define KT_READ_MAX_TOTAL ((size_t)1024 * 1024 * 1024) /* XLSX: uncompressed bytes */
#define KT_READ_MAX_ENTRIES ((size_t)10000)            /* XLSX: entries in the zip */

typedef struct kt_read_opts {
    const char *encoding; /* "utf-8", "cp1250", "cp1251", "cp1256", "iso-8859-2", "utf-16le",
                             "utf-16be", "utf-16" (any iconv name); NULL = detect */
    char delimiter;       /* CSV: ',', ';', '\t', ...; 0 = detect from the first line */
    const char *sheet;    /* XLSX: sheet name; NULL = the first */
    int no_header;        /* keyless formats: 1 = the first row is data, keys are col1..colN */
    int lenient;          /* CSV: 1 = accept a stray quote inside an unquoted cell */
    size_t max_cell;      /* 0 = KT_READ_MAX_CELL */
    size_t max_fields;    /* 0 = KT_READ_MAX_FIELDS */
    size_t max_record;    /* 0 = KT_READ_MAX_RECORD */
    size_t max_depth;     /* 0 = KT_READ_MAX_DEPTH */
    size_t max_total;     /* 0 = KT_READ_MAX_TOTAL */
    size_t max_entries;   /* 0 = KT_READ_MAX_ENTRIES */
} kt_read_opts;

/* One row, borrowed until the next kt_reader_next or kt_reader_close.
 * keys[i] names values[i]; keys are unique and never empty ("col3" stands in for a missing or
 * empty header name, "name_2" for a second "name"). values[i] is NULL for an absent cell (a
 * CSV row shorter than the header, a JSON null). raw holds the cells exactly as read, in file
 * order, for the rejects file; for formats with keys of their own raw == values. */
typedef struct kt_read_row {
    size_t count;
    const char *const *keys;
    const char *const *values;
    size_t raw_count;
    const char *const *raw;
    long line;   /* physical line (1-based, header = 1) where the row starts; 0 when unknown.
                    XLSX: the sheet's row number. What an editor shows: for error messages. */
    long record; /* the row's ordinal in the file counting a header row as 1 (so the first
                    data row of a CSV is 2, of a JSON file 1): differs from line after a cell
                    with an embedded newline; what "row N" means to a spreadsheet user */
} kt_read_row;

typedef struct kt_reader kt_reader;

/* Registers "csv" (csv,tsv,txt), "json" (json), "ndjson" (ndjson,jsonl) and "vcf" (vcf,vcard)
 * in x with origin "core". KT_EXISTS when a name is taken. */
kt_status kt_read_register_builtin(kt_ext *x, kt_error *err);

/* The built-in reader of that name, or NULL. Borrowed, static. */
const kt_plugin_reader *kt_read_builtin(const char *name);

/* The format a file looks like from its first bytes ("json", "ndjson", "vcf", "xlsx", "csv"):
 * used when neither a format nor a known extension says. Returns a static string. */
const char *kt_read_sniff(const char *path);

/* Opens path with the reader named format, or (format NULL) the one claiming the file's
 * extension, or else the one kt_read_sniff names. opts may be NULL (all defaults).
 * *out is closed with kt_reader_close. On failure *out is NULL and err names the file. */
kt_status kt_reader_open(const kt_ext *x, const char *path, const char *format,
                         const kt_read_opts *opts, kt_reader **out, kt_error *err);

/* The same with a reader in hand (a built-in or a plugin's). */
kt_status kt_reader_open_with(const kt_plugin_reader *r, const char *path, const kt_read_opts *opts,
                              kt_reader **out, kt_error *err);

/* KT_OK with *row set; KT_NOTFOUND at the end of the file (*row NULL); any other status is a
 * failure naming the file and line (KT_INVALID bad data, KT_LIMIT a limit, KT_IO, KT_NOMEM).
 * After a failure or the end, further calls return the same status. A plugin reader can only
 * return a message: it becomes KT_LIMIT when it contains "raise max_" (the wording every
 * limit message uses), else KT_INVALID. JSON keys come as the object has them (a key repeated
 * in one object appears twice). */
kt_status kt_reader_next(kt_reader *rd, const kt_read_row **row, kt_error *err);

/* The header keys (after the first kt_reader_next), or NULL for formats with their own keys. */
const char *const *kt_reader_header(const kt_reader *rd, size_t *count);

/* The name of the reader that reads the file ("csv", "ndjson", "vcf", "xlsx"). Borrowed. */
const char *kt_reader_format(const kt_reader *rd);

/* The encoding a built-in reader reads the file in, given or detected ("UTF-8", "CP1250",
 * "UTF-16LE", ...), for telling the user; NULL for plugin readers. Borrowed. */
const char *kt_reader_encoding(const kt_reader *rd);
/* How sure the detection of that encoding is, 0..1: 1 when the script gave it, a BOM said it
 * or the file is valid UTF-8; a guessed 8-bit code page's confidence otherwise (a guess under
 * 0.9 fails the read instead, asking for read = { encoding = ... }). *detected (may be NULL)
 * is set to 1 for such a guess. */
double kt_reader_encoding_confidence(const kt_reader *rd, int *detected);

void kt_reader_close(kt_reader *rd); /* accepts NULL */

#ifdef __cplusplus
}
#endif
#endif
