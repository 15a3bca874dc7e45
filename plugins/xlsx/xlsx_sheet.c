/* The sheet itself, parsed as it is unpacked: expat suspends at the end of every row, so one
 * row is in memory at a time whatever the sheet's size. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx_int.h"

static const char *local_name(const char *el)
{
    const char *c = strchr(el, ':');
    return c ? c + 1 : el;
}

/* "C5" -> 2; 0 when there are no letters. Capped so a silly reference cannot overflow. */
static size_t col_of(const char *ref)
{
    size_t c = 0;
    for (; *ref >= 'A' && *ref <= 'Z' && c < 1000000; ref++)
        c = c * 26 + (size_t)(*ref - 'A' + 1);
    return c ? c - 1 : 0;
}

static void civil(long z, int *y, unsigned *m, unsigned *d)
{
    /* days since 1970-01-01 to a Gregorian date (Howard Hinnant's algorithm) */
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = (long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

/* Excel's serial day to YYYY-MM-DD; 0 when it is no plausible date. The 1900 system counts
 * a 29 February 1900 that never was, so serials before it start a day later. */
static int serial_date(const char *v, int d1904, char *out, size_t n)
{
    char *end;
    double s = strtod(v, &end);
    if (end == v || *end || !(s >= 1 && s < 2958466)) return 0;
    long days = (long)floor(s);
    long z = d1904 ? days - 24107 : days < 61 ? days - 25568 : days - 25569;
    int y;
    unsigned m, d;
    civil(z, &y, &m, &d);
    snprintf(out, n, "%04d-%02u-%02u", y % 10000, m % 100, d % 100);
    return 1;
}

static int add_cell(xl *x, const char *s, size_t n)
{
    if (x->ncells >= x->max_fields)
        return xl_fail(x, "row %ld: more than %zu cells (raise max_fields)", x->row_num,
                       x->max_fields);
    if (x->ncells == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 32;
        size_t *o = realloc(x->off, cap * sizeof *o);
        if (!o) return xl_fail(x, "out of memory");
        x->off = o;
        const char **p = realloc(x->ptr, cap * sizeof *p);
        if (!p) return xl_fail(x, "out of memory");
        x->ptr = p;
        x->cap = cap;
    }
    if (!s) {
        x->off[x->ncells++] = (size_t)-1;
        return 0;
    }
    size_t at = x->cells.len;
    /* A row's text is bounded too: many cells can name one huge shared string. */
    if (xb_add(&x->cells, s, n, x->max_row) || xb_add(&x->cells, "", 1, x->max_row))
        return xl_fail(x, "row %ld: more than %zu bytes of text in one row (raise max_cell)",
                       x->row_num, x->max_row);
    x->off[x->ncells++] = at;
    return 0;
}

static int finish_cell(xl *x)
{
    const char *v = x->val.d ? x->val.d : "";
    size_t n = x->val.len;
    char date[32];
    if (x->col < x->ncells) x->col = x->ncells; /* out of order: keep file order */
    if (x->col >= x->max_fields)
        return xl_fail(x, "row %ld: a cell past column %zu (raise max_fields)", x->row_num,
                       x->max_fields);
    while (x->ncells < x->col)
        if (add_cell(x, NULL, 0)) return -1;
    if (!strcmp(x->ctype, "s")) {
        char *end;
        unsigned long i = strtoul(v, &end, 10);
        if (end == v || *end || i >= x->sst.n)
            return xl_fail(x,
                           "row %ld: shared string index '%s' out of range (the workbook "
                           "has %zu)",
                           x->row_num, v, x->sst.n);
        size_t len;
        const char *s = xl_sst_get(x, i, &len);
        return s ? add_cell(x, s, len) : -1;
    }
    if (!strcmp(x->ctype, "b"))
        return add_cell(x, strcmp(v, "1") ? "false" : "true", 4 + !!strcmp(v, "1"));
    if (!n) return add_cell(x, NULL, 0);
    if (!x->ctype[0] || !strcmp(x->ctype, "n")) {
        if (x->cstyle >= 0 && (size_t)x->cstyle < x->nxf && x->date_xf[x->cstyle] &&
            serial_date(v, x->date1904, date, sizeof date))
            return add_cell(x, date, strlen(date));
    }
    return add_cell(x, v, n);
}

static void XMLCALL sh_start(void *ud, const XML_Char *el, const XML_Char **a)
{
    xl *x = ud;
    const char *local = local_name(el);
    if (!x->root_seen) {
        x->root_seen = 1;
        if (strcmp(local, "worksheet")) {
            xl_fail(x, "the sheet '%s' is not a table of rows (%s holds a <%s>)", x->sheet_label,
                    x->sheet_path, local);
            XML_StopParser(x->cur, XML_FALSE);
            return;
        }
    }
    if (!strcmp(local, "row")) {
        const char *r = xl_attr(a, "r");
        x->row_num = r ? strtol(r, NULL, 10) : x->row_num + 1;
        x->ncells = 0;
        x->cells.len = 0;
    } else if (!strcmp(local, "c")) {
        const char *t = xl_attr(a, "t"), *s = xl_attr(a, "s"), *r = xl_attr(a, "r");
        x->in_c = 1;
        snprintf(x->ctype, sizeof x->ctype, "%s", t ? t : "");
        x->cstyle = s ? strtol(s, NULL, 10) : -1;
        x->col = r ? col_of(r) : x->ncells;
        x->val.len = 0;
    } else if (x->in_c && !strcmp(local, "v")) {
        x->in_v = 1;
    } else if (x->in_c && !strcmp(local, "is")) {
        x->in_is = 1;
    } else if (x->in_is && !strcmp(local, "t")) {
        x->in_t = 1;
    }
}

static void XMLCALL sh_text(void *ud, const XML_Char *t, int n)
{
    xl *x = ud;
    if (!x->in_v && !x->in_t) return;
    if (xb_add(&x->val, t, (size_t)n, x->max_cell)) {
        xl_fail(x, "row %ld: a cell longer than the limit of %zu bytes (raise max_cell)",
                x->row_num, x->max_cell);
        XML_StopParser(x->cur, XML_FALSE);
    }
}

static void XMLCALL sh_end(void *ud, const XML_Char *el)
{
    xl *x = ud;
    const char *local = local_name(el);
    if (!strcmp(local, "v"))
        x->in_v = 0;
    else if (!strcmp(local, "t"))
        x->in_t = 0;
    else if (!strcmp(local, "is"))
        x->in_is = 0;
    else if (!strcmp(local, "c") && x->in_c) {
        x->in_c = 0;
        if (finish_cell(x)) XML_StopParser(x->cur, XML_FALSE);
    } else if (!strcmp(local, "row")) {
        for (size_t i = 0; i < x->ncells; i++)
            x->ptr[i] = x->off[i] == (size_t)-1 ? NULL : x->cells.d + x->off[i];
        x->row_ready = 1;
        XML_StopParser(x->cur, XML_TRUE);
    }
}

int xl_sheet_start(xl *x)
{
    x->sheet = xl_fopen(x, x->sheet_path);
    if (!x->sheet) return xl_fail(x, "the workbook has no %s (a truncated file?)", x->sheet_path);
    x->p = XML_ParserCreate("UTF-8");
    if (!x->p) return xl_fail(x, "out of memory creating an XML parser");
    xl_guard(x, x->p);
    x->cur = x->p;
    XML_SetElementHandler(x->p, sh_start, sh_end);
    XML_SetCharacterDataHandler(x->p, sh_text);
    return 0;
}

static int status(xl *x, enum XML_Status s)
{
    if (s == XML_STATUS_ERROR && !x->failed)
        xl_fail(x, "%s: line %lu: malformed XML (%s)", x->sheet_path,
                (unsigned long)XML_GetCurrentLineNumber(x->p),
                XML_ErrorString(XML_GetErrorCode(x->p)));
    if (x->failed) return -1;
    if (s == XML_STATUS_SUSPENDED) {
        x->suspended = 1;
        return 1;
    }
    return 0;
}

int xl_sheet_next(xl *x)
{
    if (x->failed) return -1;
    x->row_ready = 0;
    x->cur = x->p;
    for (;;) {
        if (x->suspended) {
            x->suspended = 0;
            int r = status(x, XML_ResumeParser(x->p));
            if (r) return r;
        }
        if (x->sheet_eof) return 0;
        zip_int64_t got = zip_fread(x->sheet, x->buf, sizeof x->buf);
        if (got < 0)
            return xl_fail(x, "%s cannot be unpacked (%s): a damaged or truncated file",
                           x->sheet_path, zip_file_strerror(x->sheet));
        x->used += (size_t)got;
        if (x->used > x->max_total)
            return xl_fail(x,
                           "unpacks to more than the limit of %zu bytes (a zip bomb? raise "
                           "max_total)",
                           x->max_total);
        x->sheet_eof = got == 0;
        int r = status(x, XML_Parse(x->p, x->buf, (int)got, got == 0));
        if (r) return r;
    }
}

void xl_sheet_stop(xl *x)
{
    if (x->p) XML_ParserFree(x->p);
    if (x->sheet) zip_fclose(x->sheet);
    x->p = NULL;
    x->sheet = NULL;
}
