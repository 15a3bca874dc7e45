/* The parts of a workbook read before the sheet: the zip directory (with the zip-bomb
 * checks), workbook.xml and its relations (which file is the wanted sheet), styles.xml (which
 * cell styles are dates) and sharedStrings.xml. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx_int.h"

int xb_add(xb *b, const char *s, size_t n, size_t max)
{
    if (n > max || b->len > max - n) return -1;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *d = realloc(b->d, cap);
        if (!d) return -1;
        b->d = d;
        b->cap = cap;
    }
    if (n) memcpy(b->d + b->len, s, n);
    b->len += n;
    b->d[b->len] = '\0';
    return 0;
}

void xb_free(xb *b)
{
    free(b->d);
    memset(b, 0, sizeof *b);
}

int xl_fail(xl *x, const char *fmt, ...)
{
    if (x->failed) return -1; /* keep the first, most precise message */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->err, sizeof x->err, fmt, ap);
    va_end(ap);
    x->failed = 1;
    return -1;
}

const char *xl_attr(const XML_Char **a, const char *name)
{
    size_t n = strlen(name);
    for (; a && a[0]; a += 2) {
        size_t l = strlen(a[0]);
        /* "r:id" whatever the prefix is called */
        if (!strcmp(a[0], name) || (name[0] == ':' && l > n && !strcmp(a[0] + l - n, name)))
            return a[1];
    }
    return NULL;
}

static void XMLCALL refuse_doctype(void *ud, const XML_Char *name, const XML_Char *sys,
                                   const XML_Char *pub, int internal)
{
    xl *x = ud;
    x->refused = 1;
    xl_fail(x, "a DOCTYPE inside the workbook (refused: entity expansion)");
    XML_StopParser(x->cur, XML_FALSE);
}

static void XMLCALL refuse_entity(void *ud, const XML_Char *name, int pe, const XML_Char *v,
                                  int vlen, const XML_Char *base, const XML_Char *sys,
                                  const XML_Char *pub, const XML_Char *notation)
{
    xl *x = ud;
    x->refused = 1;
    xl_fail(x, "an entity declaration inside the workbook (refused)");
    XML_StopParser(x->cur, XML_FALSE);
}

void xl_guard(xl *x, XML_Parser p)
{
    XML_SetUserData(p, x);
    XML_SetStartDoctypeDeclHandler(p, refuse_doctype);
    XML_SetEntityDeclHandler(p, refuse_entity);
}

int xl_open_zip(xl *x, const char *path)
{
    int e = 0;
    x->z = zip_open(path, ZIP_RDONLY, &e);
    if (!x->z) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, e);
        xl_fail(x, "not a readable XLSX file (%s)", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return -1;
    }
    zip_int64_t n = zip_get_num_entries(x->z, 0);
    if (n < 0 || n > XL_MAX_ENTRIES)
        return xl_fail(x, "%lld entries in the zip, over the limit of %d", (long long)n,
                       XL_MAX_ENTRIES);
    zip_uint64_t total = 0;
    for (zip_int64_t i = 0; i < n; i++) {
        zip_stat_t st;
        if (zip_stat_index(x->z, (zip_uint64_t)i, 0, &st) != 0) continue;
        if (st.valid & ZIP_STAT_SIZE) total += st.size;
        if (total > x->max_total)
            return xl_fail(x,
                           "unpacks to more than the limit of %zu bytes (a zip bomb? "
                           "raise max_total)",
                           x->max_total);
    }
    return 0;
}

int xl_parse_entry(xl *x, const char *name, XML_Parser p, int optional)
{
    zip_file_t *f = zip_fopen(x->z, name, ZIP_FL_NOCASE);
    if (!f) return optional ? 0 : xl_fail(x, "the workbook has no %s (a truncated file?)", name);
    char buf[XL_CHUNK];
    int rc = 0;
    x->cur = p;
    for (;;) {
        zip_int64_t got = zip_fread(f, buf, sizeof buf);
        if (got < 0) {
            rc = xl_fail(x, "%s: cannot be unpacked (%s)", name, zip_strerror(x->z));
            break;
        }
        x->used += (size_t)got;
        if (x->used > x->max_total) {
            rc = xl_fail(x, "%s: unpacks to more than the limit of %zu bytes (raise max_total)",
                         name, x->max_total);
            break;
        }
        if (XML_Parse(p, buf, (int)got, got == 0) != XML_STATUS_OK) {
            rc = xl_fail(x, "%s: line %lu: malformed XML (%s)", name,
                         (unsigned long)XML_GetCurrentLineNumber(p),
                         XML_ErrorString(XML_GetErrorCode(p)));
            break;
        }
        if (x->failed) {
            rc = -1;
            break;
        }
        if (got == 0) break;
    }
    zip_fclose(f);
    return rc;
}

/* workbook.xml and its relations: which file holds the wanted sheet. */
typedef struct book_ctx {
    char rid[128];
    int found;
    char target[512];
} book_ctx;

static const char *local_name(const char *el)
{
    const char *c = strchr(el, ':');
    return c ? c + 1 : el;
}

static void XMLCALL wb_start(void *ud, const XML_Char *el, const XML_Char **a)
{
    xl *x = ud;
    book_ctx *b = x->ctx;
    const char *local = local_name(el);
    if (!strcmp(local, "workbookPr")) {
        const char *d = xl_attr(a, "date1904");
        x->date1904 = d && (!strcmp(d, "1") || !strcmp(d, "true"));
    } else if (!strcmp(local, "sheet") && !b->found) {
        const char *name = xl_attr(a, "name"), *rid = xl_attr(a, ":id");
        if (!rid || !name) return;
        if (!x->sheet_name || !strcmp(name, x->sheet_name)) {
            snprintf(b->rid, sizeof b->rid, "%s", rid);
            b->found = 1;
        }
    }
}

static void XMLCALL rel_start(void *ud, const XML_Char *el, const XML_Char **a)
{
    xl *x = ud;
    book_ctx *b = x->ctx;
    const char *id = xl_attr(a, "Id"), *t = xl_attr(a, "Target");
    if (!id || !t || strcmp(id, b->rid)) return;
    if (t[0] == '/')
        snprintf(b->target, sizeof b->target, "%s", t + 1);
    else
        snprintf(b->target, sizeof b->target, "xl/%s", t);
}

/* styles.xml: custom number formats, then the cellXfs list. */
typedef struct style_ctx {
    int in_fmts, in_xfs;
    struct {
        long id;
        int date;
    } fmt[256];
    size_t nfmt;
} style_ctx;

/* A format code shows a date when it has d or y, or m without h or s (minutes), outside
 * quoted text, escapes and [colour] sections. */
static int date_code(const char *c)
{
    int d = 0, m = 0, hs = 0;
    for (; *c; c++) {
        if (*c == '"') {
            while (c[1] && c[1] != '"')
                c++;
            if (c[1]) c++;
        } else if (*c == '\\' && c[1]) {
            c++;
        } else if (*c == '[') {
            while (c[1] && c[1] != ']')
                c++;
        } else {
            char l = (char)(*c | 0x20);
            d |= l == 'd' || l == 'y';
            m |= l == 'm';
            hs |= l == 'h' || l == 's';
        }
    }
    return d || (m && !hs);
}

static int builtin_date(long id)
{
    /* 14-17 and 22 hold a date; 18-21 are times of day, left as numbers */
    return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
}

static void XMLCALL style_start(void *ud, const XML_Char *el, const XML_Char **a)
{
    xl *x = ud;
    style_ctx *s = x->ctx;
    const char *local = local_name(el);
    if (!strcmp(local, "numFmts"))
        s->in_fmts = 1;
    else if (!strcmp(local, "cellXfs"))
        s->in_xfs = 1;
    else if (s->in_fmts && !strcmp(local, "numFmt") && s->nfmt < 256) {
        const char *id = xl_attr(a, "numFmtId"), *code = xl_attr(a, "formatCode");
        if (!id || !code) return;
        s->fmt[s->nfmt].id = strtol(id, NULL, 10);
        s->fmt[s->nfmt++].date = date_code(code);
    } else if (s->in_xfs && !strcmp(local, "xf")) {
        if (x->nxf >= 65536) return;
        unsigned char *d = realloc(x->date_xf, x->nxf + 1);
        if (!d) {
            xl_fail(x, "out of memory reading styles");
            XML_StopParser(x->cur, XML_FALSE);
            return;
        }
        x->date_xf = d;
        const char *id = xl_attr(a, "numFmtId");
        long n = id ? strtol(id, NULL, 10) : 0;
        int date = builtin_date(n);
        for (size_t i = 0; i < s->nfmt; i++)
            if (s->fmt[i].id == n) date = s->fmt[i].date;
        x->date_xf[x->nxf++] = (unsigned char)date;
    }
}

static void XMLCALL style_end(void *ud, const XML_Char *el)
{
    style_ctx *s = ((xl *)ud)->ctx;
    const char *local = local_name(el);
    if (!strcmp(local, "numFmts"))
        s->in_fmts = 0;
    else if (!strcmp(local, "cellXfs"))
        s->in_xfs = 0;
}

/* sharedStrings.xml: <si> holds <t>, or runs <r><t>; phonetic <rPh> text is not the value. */
typedef struct sst_ctx {
    int in_si, in_t, in_rph;
    xb text;
} sst_ctx;

static void XMLCALL sst_start(void *ud, const XML_Char *el, const XML_Char **a)
{
    sst_ctx *s = ((xl *)ud)->ctx;
    const char *local = local_name(el);
    if (!strcmp(local, "si"))
        s->in_si = 1, s->text.len = 0;
    else if (!strcmp(local, "rPh"))
        s->in_rph = 1;
    else if (!strcmp(local, "t") && s->in_si && !s->in_rph)
        s->in_t = 1;
}

static void XMLCALL sst_text(void *ud, const XML_Char *t, int n)
{
    xl *x = ud;
    sst_ctx *s = x->ctx;
    if (!s->in_t) return;
    if (xb_add(&s->text, t, (size_t)n, x->max_cell) != 0) {
        xl_fail(x, "shared string %zu is longer than the limit of %zu bytes (raise max_cell)",
                x->sst_n, x->max_cell);
        XML_StopParser(x->cur, XML_FALSE);
    }
}

static void XMLCALL sst_end(void *ud, const XML_Char *el)
{
    xl *x = ud;
    sst_ctx *s = x->ctx;
    const char *local = local_name(el);
    if (!strcmp(local, "t"))
        s->in_t = 0;
    else if (!strcmp(local, "rPh"))
        s->in_rph = 0;
    else if (!strcmp(local, "si")) {
        s->in_si = 0;
        if (x->sst_n == x->sst_cap) {
            size_t cap = x->sst_cap ? x->sst_cap * 2 : 256;
            size_t *o = realloc(x->sst_off, cap * sizeof *o);
            if (!o) goto nomem;
            x->sst_off = o;
            x->sst_cap = cap;
        }
        x->sst_off[x->sst_n++] = x->sst.len;
        if (xb_add(&x->sst, s->text.d ? s->text.d : "", s->text.len, x->max_total) ||
            xb_add(&x->sst, "", 1, x->max_total))
            goto nomem;
    }
    return;
nomem:
    xl_fail(x, "out of memory (or over max_total) reading the shared strings");
    XML_StopParser(x->cur, XML_FALSE);
}

static int parse(xl *x, const char *name, void *ctx, XML_StartElementHandler st,
                 XML_EndElementHandler en, XML_CharacterDataHandler tx, int optional)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p) return xl_fail(x, "out of memory creating an XML parser");
    xl_guard(x, p);
    XML_SetElementHandler(p, st, en);
    if (tx) XML_SetCharacterDataHandler(p, tx);
    x->ctx = ctx;
    int rc = xl_parse_entry(x, name, p, optional);
    XML_ParserFree(p);
    x->ctx = NULL;
    x->cur = NULL;
    return rc;
}

int xl_load_book(xl *x)
{
    book_ctx b;
    memset(&b, 0, sizeof b);
    if (parse(x, "xl/workbook.xml", &b, wb_start, NULL, NULL, 0)) return -1;
    if (!b.found)
        return x->sheet_name ? xl_fail(x, "the workbook has no sheet named '%s'", x->sheet_name)
                             : xl_fail(x, "the workbook has no sheets");
    if (parse(x, "xl/_rels/workbook.xml.rels", &b, rel_start, NULL, NULL, 0)) return -1;
    if (!b.target[0]) return xl_fail(x, "the workbook does not say where its sheet is");
    snprintf(x->sheet_path, sizeof x->sheet_path, "%s", b.target);
    style_ctx *s = calloc(1, sizeof *s);
    if (!s) return xl_fail(x, "out of memory");
    int rc = parse(x, "xl/styles.xml", s, style_start, style_end, NULL, 1);
    free(s);
    if (rc) return -1;
    sst_ctx t;
    memset(&t, 0, sizeof t);
    rc = parse(x, "xl/sharedStrings.xml", &t, sst_start, sst_end, sst_text, 1);
    xb_free(&t.text);
    return rc;
}
