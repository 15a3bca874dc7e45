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
    zip_file_t *f = xl_fopen(x, name);
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

/* The workbook part: its date system and its sheets, in order. Only the first XL_SHEETS are
 * kept for messages; the wanted one is kept whatever its place. */
#define XL_SHEETS 32
typedef struct book_ctx {
    struct {
        char name[128], rid[128];
    } sheet[XL_SHEETS];
    size_t nsheets;
    int found;
    char name[128], rid[128];
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
        /* Excel also writes <x14:workbookPr> (an extension without date1904): only the
         * attribute itself decides, or a 1904 workbook would turn into a 1900 one. */
        const char *d = xl_attr(a, "date1904");
        if (d) x->date1904 = !strcmp(d, "1") || !strcmp(d, "true");
    } else if (!strcmp(local, "sheet")) {
        const char *name = xl_attr(a, "name"), *rid = xl_attr(a, ":id");
        if (!rid || !name) return;
        if (b->nsheets < XL_SHEETS) {
            snprintf(b->sheet[b->nsheets].name, sizeof b->sheet[0].name, "%s", name);
            snprintf(b->sheet[b->nsheets].rid, sizeof b->sheet[0].rid, "%s", rid);
        }
        b->nsheets++;
        if (!b->found && (!x->sheet_name || !strcmp(name, x->sheet_name))) {
            snprintf(b->name, sizeof b->name, "%s", name);
            snprintf(b->rid, sizeof b->rid, "%s", rid);
            b->found = 1;
        }
    }
}

/* What a sheet's relationship type says it is, for people: NULL for a worksheet. */
static const char *sheet_kind(const xl_rel *r)
{
    if (!r) return "missing";
    if (!strcmp(r->type, "chartsheet")) return "a chart";
    if (!strcmp(r->type, "dialogsheet")) return "a dialog";
    if (!strcmp(r->type, "macrosheet") || !strcmp(r->type, "xlIntlMacrosheet")) return "macros";
    return NULL; /* a worksheet, or a type nobody knows: the sheet's own root decides */
}

/* "'Chart1' (a chart), 'Dane'" — every sheet the workbook names, so a user can pick one. */
static void list_sheets(const book_ctx *b, const xl_rels *rels, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < b->nsheets && i < XL_SHEETS && len < n; i++) {
        const char *kind = sheet_kind(xl_rel_by_id(rels, b->sheet[i].rid));
        int w = snprintf(out + len, n - len, "%s'%s'%s%s%s", i ? ", " : "", b->sheet[i].name,
                         kind ? " (" : "", kind ? kind : "", kind ? ")" : "");
        len += w > 0 ? (size_t)w : 0;
    }
    if (b->nsheets > XL_SHEETS && len < n)
        snprintf(out + len, n - len, " and %zu more", b->nsheets - XL_SHEETS);
}

static int choose_sheet(xl *x, const book_ctx *b, const xl_rels *rels)
{
    char names[300];
    list_sheets(b, rels, names, sizeof names);
    if (!b->found)
        return x->sheet_name ? xl_fail(x, "the workbook has no sheet named '%s' (its sheets: %s)",
                                       x->sheet_name, names)
                             : xl_fail(x, "the workbook has no sheets");
    const xl_rel *r = xl_rel_by_id(rels, b->rid);
    const char *kind = sheet_kind(r);
    if (!r)
        return xl_fail(x, "the workbook does not say where its sheet '%s' is (a damaged file?)",
                       b->name);
    if (kind)
        return xl_fail(x,
                       "the %ssheet '%s' is %s, not a table of rows (the workbook's sheets: "
                       "%s; choose one with read = { sheet = \"...\" })",
                       x->sheet_name ? "" : "first ", b->name, kind, names);
    snprintf(x->sheet_path, sizeof x->sheet_path, "%s", r->target);
    snprintf(x->sheet_label, sizeof x->sheet_label, "%s", b->name);
    return 0;
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
                x->sst.n, x->max_cell);
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
        if (xl_sst_add(x, s->text.d ? s->text.d : "", s->text.len))
            XML_StopParser(x->cur, XML_FALSE);
    }
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

/* A part the workbook's relationships name, or the usual name beside the workbook. */
static void part_path(const xl_rels *rels, const char *type, const char *dir, const char *usual,
                      char *out, size_t n)
{
    const xl_rel *r = xl_rel_by_type(rels, type);
    if (r)
        snprintf(out, n, "%s", r->target);
    else if (xl_resolve(dir, usual, out, n))
        out[0] = '\0';
}

int xl_load_book(xl *x)
{
    char wb[XL_PATH] = "xl/workbook.xml", path[XL_PATH];
    xl_rels root, rels;
    memset(&root, 0, sizeof root);
    memset(&rels, 0, sizeof rels);
    /* _rels/.rels names the workbook; a package without it gets the usual name. */
    int rc = xl_parse_rels(x, "_rels/.rels", &root);
    const xl_rel *doc = rc ? NULL : xl_rel_by_type(&root, "officeDocument");
    if (doc) snprintf(wb, sizeof wb, "%s", doc->target);
    xl_rels_free(&root);
    book_ctx *b = calloc(1, sizeof *b);
    if (!rc && !b) rc = xl_fail(x, "out of memory");
    if (!rc) rc = parse(x, wb, b, wb_start, NULL, NULL, 0);
    if (!rc) rc = xl_read_rels(x, wb, &rels);
    if (!rc) rc = choose_sheet(x, b, &rels);
    free(b);
    style_ctx *s = rc ? NULL : calloc(1, sizeof *s);
    if (!rc && !s) rc = xl_fail(x, "out of memory");
    if (!rc) {
        part_path(&rels, "styles", rels.base, "styles.xml", path, sizeof path);
        rc = parse(x, path, s, style_start, style_end, NULL, 1);
    }
    free(s);
    if (!rc) {
        sst_ctx t;
        memset(&t, 0, sizeof t);
        part_path(&rels, "sharedStrings", rels.base, "sharedStrings.xml", path, sizeof path);
        rc = parse(x, path, &t, sst_start, sst_end, sst_text, 1);
        xb_free(&t.text);
    }
    xl_rels_free(&rels);
    return rc;
}
