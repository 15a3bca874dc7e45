/* Lists per entity (columns from the registry, sort, the command line's filter language,
 * paging) and the search every page offers (the same find as `kt find`, grouped by entity). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/csv_write.h"
#include "web.h"

#define PAGE_SIZE 50
#define MAX_COLUMNS 6
#define MAX_FILTERS 16
#define FIND_LIMIT 200

typedef struct rows {
    web_req *w;
    html *h;
    const kt_entity *e;
    size_t ncols;
    long count;
    const char *only; /* find: this entity's records only */
} rows;

/* One table row: the first column links to the card. */
static int on_row(void *ud, const kt_record *rec)
{
    rows *x = ud;
    if (x->only && strcmp(rec->entity, x->only) != 0) return 0;
    if (x->count >= PAGE_SIZE) { /* one more than shown: there is a next page */
        x->count++;
        return 1;
    }
    x->count++;
    html *h = x->h;
    char buf[512], href[128];
    html_open(h, "tr", HTML_END);
    html_open(h, "td", HTML_END);
    snprintf(href, sizeof href, "/e/%s/%lld", rec->entity, rec->id);
    web_record_name(x->w, rec, buf, sizeof buf);
    html_el(h, "a", buf, "href", href, HTML_END);
    html_close(h, "td");
    for (size_t i = 0; i < x->ncols; i++) {
        const kt_field *f = &x->e->fields[i];
        const char *v = web_value_text(x->w, f, rec, buf, sizeof buf);
        html_open(h, "td", HTML_END);
        if (f->kind == KT_TYPE_REF && kt_id_parse(v))
            web_record_link(x->w, h, kt_id_parse(v));
        else
            html_text(h, v);
        html_close(h, "td");
    }
    html_close(h, "tr");
    return 0;
}

static void table_head(web_req *w, html *h, const kt_entity *e, size_t ncols, const char *sort,
                       const char *where)
{
    char label[128];
    html_open(h, "table", HTML_END);
    html_open(h, "thead", HTML_END);
    html_open(h, "tr", HTML_END);
    html_el(h, "th", "#", "scope", "col", HTML_END);
    for (size_t i = 0; i < ncols; i++) {
        const kt_field *f = &e->fields[i];
        html_open(h, "th", "scope", "col", HTML_END);
        if (sort) { /* a list: each heading sorts, again to reverse */
            kt_buf href = KT_BUF_INIT;
            int asc = !strcmp(sort, f->name);
            kt_buf_printf(&href, NULL, "/e/%s?sort=%s%s&where=", e->name, asc ? "-" : "", f->name);
            html_url_value(&href, where ? where : "");
            html_el(h, "a", web_field_label(w, f, label, sizeof label), "href", kt_buf_str(&href),
                    HTML_END);
            kt_buf_free(&href);
        } else {
            html_text(h, web_field_label(w, f, label, sizeof label));
        }
        html_close(h, "th");
    }
    html_close(h, "tr");
    html_close(h, "thead");
    html_open(h, "tbody", HTML_END);
}

static size_t column_count(const kt_entity *e);

typedef struct export
{
    web_req *w;
    const kt_entity *e;
    size_t ncols;
    web_xlsx *book; /* an XLSX workbook, or NULL: CSV into out */
    kt_buf out;
    int failed;
}
export;

/* One row into the CSV (as people read it; a cell a spreadsheet would run as a formula is
 * neutralised) or into the workbook (typed cells, text as strings). */
static int export_row(export *x, const web_cell *cells, size_t n, int heading)
{
    const char *texts[8];
    if (x->book) return web_xlsx_row(x->book, cells, n, heading);
    for (size_t i = 0; i < n; i++)
        texts[i] = cells[i].text;
    return kt_csv_write_row(&x->out, texts, n, ',', 1, NULL) ? -1 : 0;
}

/* One exported row: the id, the name, then the list's columns. */
static int on_export_row(void *ud, const kt_record *rec)
{
    export *x = ud;
    char id[32], name[512], bufs[6][512];
    web_cell cells[8] = {{id, id, KT_TYPE_INTEGER}, {name, NULL, KT_TYPE_TEXT}};
    snprintf(id, sizeof id, "%lld", rec->id);
    web_record_name(x->w, rec, name, sizeof name);
    for (size_t i = 0; i < x->ncols; i++) {
        const kt_field *f = &x->e->fields[i];
        const kt_value *v = kt_record_get(rec, f->name);
        cells[2 + i].text = web_value_text(x->w, f, rec, bufs[i], sizeof bufs[i]);
        cells[2 + i].stored = v && !v->is_set ? v->text : NULL;
        cells[2 + i].kind = f->kind;
    }
    if (export_row(x, cells, 2 + x->ncols, 0)) x->failed = 1;
    return x->failed;
}

static enum MHD_Result send_export(web_req *w, export *x, const char *entity)
{
    char disp[128];
    web_body b = {NULL, 0, 1, "text/csv; charset=utf-8", disp, NULL, NULL};
    snprintf(disp, sizeof disp, "attachment; filename=\"%s.%s\"", entity, x->book ? "xlsx" : "csv");
    if (x->book) {
        b.type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        int failed = web_xlsx_finish(x->book, &b.data, &b.len);
        web_xlsx_free(x->book);
        if (failed)
            return web_fail(w, MHD_HTTP_INTERNAL_SERVER_ERROR, "the list could not be exported");
    } else {
        b.len = x->out.len;
        b.data = kt_buf_take(&x->out);
    }
    return web_send_body(w, MHD_HTTP_OK, &b);
}

/* The list as a download (format "csv" or "xlsx"): what is shown, every page of it. */
static enum MHD_Result export_list(web_req *w, const kt_entity *e, const kt_list_opts *o,
                                   const char *sort, int xlsx)
{
    export x = {w, e, column_count(e), NULL, KT_BUF_INIT, 0};
    web_cell head[8] = {{"id", NULL, KT_TYPE_TEXT}, {"name", NULL, KT_TYPE_TEXT}};
    char labels[6][128];
    kt_error err;
    kt_status st = KT_OK;
    for (size_t i = 0; i < x.ncols; i++)
        head[2 + i] = (web_cell){web_field_label(w, &e->fields[i], labels[i], sizeof labels[i]),
                                 NULL, KT_TYPE_TEXT};
    if (xlsx && !(x.book = web_xlsx_new())) x.failed = 1;
    if (!x.failed && export_row(&x, head, 2 + x.ncols, 1)) x.failed = 1;
    if (!x.failed) st = kt_list_ordered(w->ws, e->name, o, sort, on_export_row, &x, &err);
    if (!st && !x.failed) return send_export(w, &x, e->name);
    web_xlsx_free(x.book);
    kt_buf_free(&x.out);
    return web_fail(w, st == KT_NOTFOUND ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_INTERNAL_SERVER_ERROR,
                    st == KT_NOTFOUND ? err.message : "the list could not be exported");
}

static size_t column_count(const kt_entity *e)
{
    return e->nfields < MAX_COLUMNS ? e->nfields : MAX_COLUMNS;
}

/* The list's address with the same sort, filter and state, after first ("offset=50"). */
static void list_href(kt_buf *b, const char *entity, const char *first, const char *sort,
                      const char *where, const char *state)
{
    kt_buf_printf(b, NULL, "/e/%s?%s&sort=", entity, first);
    html_url_value(b, sort ? sort : "");
    kt_buf_puts(b, "&where=", NULL);
    html_url_value(b, where ? where : "");
    kt_buf_puts(b, "&state=", NULL);
    html_url_value(b, state ? state : "active");
}

enum MHD_Result web_list(web_req *w, const char *entity)
{
    const kt_entity *e = kt_registry_entity(kt_ws_registry(w->ws), entity);
    const char *sort = srv_arg(w->r, "sort"), *where = srv_arg(w->r, "where");
    const char *offset_text = srv_arg(w->r, "offset"), *state = srv_arg(w->r, "state");
    long offset = offset_text ? strtol(offset_text, NULL, 10) : 0;
    if (offset < 0) offset = 0;
    char title[128];
    html h = HTML_INIT;
    web_page_begin(w, &h, web_entity_label(w, entity, title, sizeof title));
    if (web_may(w, KT_ACT_WRITE, entity)) {
        char href[96];
        snprintf(href, sizeof href, "/e/%s/new", entity);
        html_el(&h, "a", web_word(w, "New"), "href", href, "class", "button", "id", "new",
                HTML_END);
    }
    char action[96];
    snprintf(action, sizeof action, "/e/%s", entity);
    html_open(&h, "form", "method", "get", "action", action, "class", "filter", HTML_END);
    html_el(&h, "label", web_word(w, "Filter"), "for", "where", HTML_END);
    html_open(&h, "input", "id", "where", "name", "where", "value", where, "placeholder",
              "city = Kraków and birth_date < 1990-01-01", HTML_END);
    if (sort) html_open(&h, "input", "type", "hidden", "name", "sort", "value", sort, HTML_END);
    html_open(&h, "select", "name", "state", "aria-label", "state", HTML_END);
    static const char *const states[] = {"active", "archived", "all"};
    for (size_t i = 0; i < 3; i++)
        html_el(&h, "option", states[i], "value", states[i], "selected",
                state && !strcmp(state, states[i]) ? "" : NULL, HTML_END);
    html_close(&h, "select");
    html_el(&h, "button", web_word(w, "Filter"), "type", "submit", HTML_END);
    html_close(&h, "form");

    kt_filter f[MAX_FILTERS];
    size_t nf = 0;
    kt_error err;
    kt_status st = where && *where ? kt_filter_parse_all(where, f, MAX_FILTERS, &nf, &err) : KT_OK;
    size_t ncols = column_count(e);
    rows x = {w, &h, e, ncols, 0, NULL};
    const char *format = srv_arg(w->r, "format");
    int archived = !state ? 0 : !strcmp(state, "archived") ? 1 : !strcmp(state, "all") ? 2 : 0;
    int xlsx = format && !strcmp(format, "xlsx");
    if (!st && format && (xlsx || !strcmp(format, "csv"))) {
        kt_list_opts o = {f, nf, archived, 0, 0};
        enum MHD_Result r = export_list(w, e, &o, sort, xlsx);
        for (size_t i = 0; i < nf; i++)
            kt_filter_clear(&f[i]);
        html_free(&h);
        return r;
    }
    if (!st) {
        kt_list_opts o = {f, nf, archived, PAGE_SIZE + 1, offset};
        table_head(w, &h, e, ncols, sort ? sort : "", where);
        st = kt_list_ordered(w->ws, entity, &o, sort, on_row, &x, &err);
        html_close(&h, "tbody");
        html_close(&h, "table");
    }
    for (size_t i = 0; i < nf; i++)
        kt_filter_clear(&f[i]);
    if (st == KT_INVALID || st == KT_USAGE || st == KT_NOTFOUND)
        html_el(&h, "p", err.message, "class", "error", "role", "alert", HTML_END);
    else if (st)
        srv_log_error(w->r, &err);
    else if (!x.count)
        html_el(&h, "p", web_word(w, "Nothing found."), HTML_END);
    for (int i = 0; i < 2; i++) {
        kt_buf href = KT_BUF_INIT;
        list_href(&href, entity, i ? "format=xlsx" : "format=csv", sort, where, state);
        html_el(&h, "a", i ? "XLSX" : "CSV", "href", kt_buf_str(&href), "class", "button", "id",
                i ? "export-xlsx" : "export-csv", "download", "", HTML_END);
        kt_buf_free(&href);
    }
    html_open(&h, "nav", "aria-label", "pages", "class", "pages", HTML_END);
    for (int dir = -1; dir <= 1; dir += 2) {
        long to = offset + dir * PAGE_SIZE;
        if ((dir < 0 && offset == 0) || (dir > 0 && x.count <= PAGE_SIZE)) continue;
        kt_buf href = KT_BUF_INIT;
        char first[48];
        snprintf(first, sizeof first, "offset=%ld", to < 0 ? 0 : to);
        list_href(&href, entity, first, sort, where, state);
        html_el(&h, "a", web_word(w, dir < 0 ? "Previous page" : "Next page"), "href",
                kt_buf_str(&href), "rel", dir < 0 ? "prev" : "next", HTML_END);
        kt_buf_free(&href);
    }
    html_close(&h, "nav");
    web_page_end(w, &h);
    return web_send(w, &h, MHD_HTTP_OK);
}

enum MHD_Result web_find(web_req *w)
{
    const char *q = srv_arg(w->r, "q");
    html h = HTML_INIT;
    web_page_begin(w, &h, web_word(w, "Search"));
    const kt_registry *reg = kt_ws_registry(w->ws);
    int any = 0;
    for (size_t i = 0; q && *q && i < kt_registry_entity_count(reg); i++) {
        const kt_entity *e = kt_registry_entity_at(reg, i);
        html part = HTML_INIT;
        rows x = {w, &part, e, column_count(e), 0, e->name};
        kt_error err;
        table_head(w, &part, e, x.ncols, NULL, NULL);
        if (kt_find(w->ws, q, FIND_LIMIT, on_row, &x, &err)) {
            srv_log_error(w->r, &err);
            html_free(&part);
            break;
        }
        html_close(&part, "tbody");
        html_close(&part, "table");
        if (x.count) {
            char label[128];
            any = 1;
            html_el(&h, "h2", web_label(w, e->label, e->name, label, sizeof label), HTML_END);
            html_append(&h, &part);
        }
        html_free(&part);
    }
    if (!any) html_el(&h, "p", web_word(w, "Nothing found."), HTML_END);
    web_page_end(w, &h);
    return web_send(w, &h, MHD_HTTP_OK);
}
