/* A list exported as an XLSX workbook (libxlsxwriter): one sheet, the same cells as the CSV.
 * Text is always written as a string cell, so a value such as =HYPERLINK(...) can never run
 * as a formula; dates become date cells and numbers number cells, so a spreadsheet sorts and
 * sums them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "kartoteka/alloc.h"
#include "web.h"

struct web_xlsx {
    char path[256]; /* the workbook is written here, read back and removed */
    lxw_workbook *book;
    lxw_worksheet *sheet;
    lxw_format *date, *bold;
    lxw_row_t row;
};

web_xlsx *web_xlsx_new(void)
{
    web_xlsx *x = kt_calloc(1, sizeof *x);
    if (!x) return NULL;
    const char *dir = getenv("TMPDIR");
    snprintf(x->path, sizeof x->path, "%s/kt-export-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(x->path);
    if (fd < 0) {
        kt_free(x);
        return NULL;
    }
    close(fd);
    x->book = workbook_new(x->path);
    x->sheet = x->book ? workbook_add_worksheet(x->book, NULL) : NULL;
    x->date = x->book ? workbook_add_format(x->book) : NULL;
    x->bold = x->book ? workbook_add_format(x->book) : NULL;
    if (!x->sheet || !x->date || !x->bold) {
        web_xlsx_free(x);
        return NULL;
    }
    format_set_num_format(x->date, "yyyy-mm-dd");
    format_set_bold(x->bold);
    return x;
}

void web_xlsx_free(web_xlsx *x)
{
    if (!x) return;
    if (x->book) workbook_close(x->book);
    unlink(x->path);
    kt_free(x);
}

/* "2024-03-01" as a date; 0 when text is not one (a masked value, say). */
static int parse_date(const char *text, lxw_datetime *d)
{
    int n = 0;
    memset(d, 0, sizeof *d);
    if (!text || sscanf(text, "%4d-%2d-%2d%n", &d->year, &d->month, &d->day, &n) != 3) return 0;
    return text[n] == '\0' && d->year >= 1900 && d->month >= 1 && d->month <= 12 && d->day >= 1 &&
           d->day <= 31;
}

static int parse_number(const char *text, double *out)
{
    char *end = NULL;
    if (!text || !*text) return 0;
    *out = strtod(text, &end);
    return end && *end == '\0';
}

int web_xlsx_row(web_xlsx *x, const web_cell *cells, size_t n, int heading)
{
    for (size_t i = 0; i < n; i++) {
        lxw_col_t col = (lxw_col_t)i;
        const web_cell *c = &cells[i];
        lxw_datetime d;
        double num;
        lxw_error e;
        if (!c->text || !*c->text) continue;
        if (c->kind == KT_TYPE_DATE && parse_date(c->stored, &d))
            e = worksheet_write_datetime(x->sheet, x->row, col, &d, x->date);
        else if ((c->kind == KT_TYPE_INTEGER || c->kind == KT_TYPE_DECIMAL) &&
                 parse_number(c->stored, &num))
            e = worksheet_write_number(x->sheet, x->row, col, num, NULL);
        else
            e = worksheet_write_string(x->sheet, x->row, col, c->text, heading ? x->bold : NULL);
        if (e != LXW_NO_ERROR) return -1;
    }
    x->row++;
    return 0;
}

int web_xlsx_finish(web_xlsx *x, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    lxw_workbook *book = x->book;
    x->book = NULL;
    if (workbook_close(book) != LXW_NO_ERROR) return -1;
    FILE *fp = fopen(x->path, "rb");
    if (!fp) return -1;
    kt_buf out = KT_BUF_INIT;
    char chunk[8192];
    size_t got;
    int failed = 0;
    while (!failed && (got = fread(chunk, 1, sizeof chunk, fp)) > 0)
        failed = kt_buf_append(&out, chunk, got, NULL) != KT_OK;
    failed |= ferror(fp);
    fclose(fp);
    if (failed) {
        kt_buf_free(&out);
        return -1;
    }
    *len = out.len;
    *data = kt_buf_take(&out);
    return 0;
}
