/* Finding a workbook's parts the way the package says, not by fixed names: _rels/.rels names
 * the workbook (any name, e.g. xl/workbook2.xml), the workbook's own relationships name its
 * sheets, styles and shared strings. Zip entry names are matched case-insensitively and with
 * '\' read as '/', since some Windows tools write backslashes. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx_int.h"

static int same_name(const char *a, const char *b)
{
    for (;; a++, b++) {
        char ca = *a == '\\' ? '/' : (char)tolower((unsigned char)*a);
        char cb = *b == '\\' ? '/' : (char)tolower((unsigned char)*b);
        if (ca != cb) return 0;
        if (!ca) return 1;
    }
}

zip_file_t *xl_fopen(xl *x, const char *name)
{
    zip_int64_t i = zip_name_locate(x->z, name, ZIP_FL_NOCASE);
    if (i < 0) {
        zip_int64_t n = zip_get_num_entries(x->z, 0);
        for (zip_int64_t k = 0; k < n && i < 0; k++) {
            const char *e = zip_get_name(x->z, (zip_uint64_t)k, ZIP_FL_ENC_RAW);
            if (e && same_name(e[0] == '/' || e[0] == '\\' ? e + 1 : e, name)) i = k;
        }
    }
    return i < 0 ? NULL : zip_fopen_index(x->z, (zip_uint64_t)i, 0);
}

int xl_resolve(const char *base_dir, const char *target, char *out, size_t n)
{
    char tmp[XL_PATH];
    int w = target[0] == '/' || target[0] == '\\'
                ? snprintf(tmp, sizeof tmp, "%s", target + 1)
                : snprintf(tmp, sizeof tmp, "%s%s", base_dir, target);
    if (w < 0 || (size_t)w >= sizeof tmp) return -1;
    /* Segments one by one: "." dropped, ".." takes the last one back. */
    size_t len = 0;
    for (char *seg = tmp; *seg;) {
        size_t k = strcspn(seg, "/\\");
        if (k == 1 && seg[0] == '.') {
        } else if (k == 2 && seg[0] == '.' && seg[1] == '.') {
            while (len && out[len - 1] != '/')
                len--;
            if (len) len--;
        } else if (k) {
            if (len + (len > 0) + k + 1 > n) return -1;
            if (len) out[len++] = '/';
            memcpy(out + len, seg, k);
            len += k;
        }
        seg += k;
        if (*seg) seg++;
    }
    out[len] = '\0';
    return len ? 0 : -1;
}

void xl_dir_of(const char *path, char *dir, size_t n)
{
    const char *slash = strrchr(path, '/');
    size_t k = slash ? (size_t)(slash - path) + 1 : 0;
    if (k >= n) k = 0;
    memcpy(dir, path, k);
    dir[k] = '\0';
}

/* The last word of a relationship type URI: ".../relationships/worksheet" -> "worksheet". */
static void type_word(const char *type, char *out, size_t n)
{
    const char *slash = type ? strrchr(type, '/') : NULL;
    snprintf(out, n, "%s", slash ? slash + 1 : type ? type : "");
}

static void XMLCALL rel_start(void *ud, const XML_Char *el, const XML_Char **a)
{
    xl *x = ud;
    xl_rels *r = x->ctx;
    const char *id = xl_attr(a, "Id"), *t = xl_attr(a, "Target"), *ty = xl_attr(a, "Type");
    const char *mode = xl_attr(a, "TargetMode");
    if (!id || !t || (mode && !strcmp(mode, "External"))) return;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        if (cap > 100000) return; /* far more than any real workbook holds */
        xl_rel *v = realloc(r->rel, cap * sizeof *v);
        if (!v) {
            xl_fail(x, "out of memory reading the relationships");
            XML_StopParser(x->cur, XML_FALSE);
            return;
        }
        r->rel = v;
        r->cap = cap;
    }
    xl_rel *e = &r->rel[r->n];
    snprintf(e->id, sizeof e->id, "%s", id);
    type_word(ty, e->type, sizeof e->type);
    if (xl_resolve(r->base, t, e->target, sizeof e->target) == 0) r->n++;
}

int xl_read_rels(xl *x, const char *part, xl_rels *r)
{
    /* part/../_rels/<name>.rels; targets are relative to part's folder */
    char rels[XL_PATH];
    const char *name = strrchr(part, '/') ? strrchr(part, '/') + 1 : part;
    xl_dir_of(part, r->base, sizeof r->base);
    if (snprintf(rels, sizeof rels, "%s_rels/%s.rels", r->base, name) >= (int)sizeof rels)
        return xl_fail(x, "a part name too long: %s", part);
    return xl_parse_rels(x, rels, r);
}

int xl_parse_rels(xl *x, const char *rels_path, xl_rels *r)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p) return xl_fail(x, "out of memory creating an XML parser");
    xl_guard(x, p);
    XML_SetStartElementHandler(p, rel_start);
    void *saved = x->ctx;
    x->ctx = r;
    int rc = xl_parse_entry(x, rels_path, p, 1);
    x->ctx = saved;
    XML_ParserFree(p);
    return rc;
}

const xl_rel *xl_rel_by_id(const xl_rels *r, const char *id)
{
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->rel[i].id, id)) return &r->rel[i];
    return NULL;
}

const xl_rel *xl_rel_by_type(const xl_rels *r, const char *type)
{
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->rel[i].type, type)) return &r->rel[i];
    return NULL;
}

void xl_rels_free(xl_rels *r)
{
    free(r->rel);
    r->rel = NULL;
    r->n = r->cap = 0;
}
