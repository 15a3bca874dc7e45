/* Reports: every shipped and workspace report, its parameters as a form, the table, its SVG
 * chart (an image from our own address, so no markup of the report's enters the page), and
 * the same run as CSV (neutralised) or JSON. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/report.h"
#include "web.h"

#define MAX_PARAMS 16

static enum MHD_Result index_page(web_req *w)
{
    const srv_config *c = w->r->cfg;
    kt_report_info *infos = NULL;
    size_t n = 0;
    kt_error err;
    html h = HTML_INIT;
    web_page_begin(w, &h, web_word(w, "Reports"));
    if (kt_report_list(w->ws, c->script_dirs, c->nscript_dirs, &infos, &n, &err)) {
        srv_log_error(w->r, &err);
        n = 0;
    }
    html_open(&h, "ul", HTML_END);
    for (size_t i = 0; i < n; i++) {
        char href[160];
        snprintf(href, sizeof href, "/reports/%s", infos[i].name);
        html_open(&h, "li", HTML_END);
        html_el(&h, "a", infos[i].title ? infos[i].title : infos[i].name, "href", href, "id",
                infos[i].name, HTML_END);
        html_text(&h, " (");
        html_text(&h, infos[i].name);
        html_text(&h, ")");
        html_close(&h, "li");
    }
    html_close(&h, "ul");
    kt_report_infos_free(infos, n);
    web_page_end(w, &h);
    return web_send(w, &h, MHD_HTTP_OK);
}

typedef struct params {
    char names[MAX_PARAMS][64];
    char defaults[MAX_PARAMS][128];
    size_t n;
} params;

/* "from, to=2024-12, days=30" */
static void parse_params(const char *text, params *p)
{
    p->n = 0;
    while (text && *text && p->n < MAX_PARAMS) {
        while (*text == ' ' || *text == ',')
            text++;
        if (!*text) break;
        size_t len = strcspn(text, ",");
        const char *eq = memchr(text, '=', len);
        size_t nl = eq ? (size_t)(eq - text) : len;
        snprintf(p->names[p->n], sizeof p->names[0], "%.*s", (int)nl, text);
        snprintf(p->defaults[p->n], sizeof p->defaults[0], "%.*s", eq ? (int)(len - nl - 1) : 0,
                 eq ? eq + 1 : "");
        p->n++;
        text += len;
    }
}

static void query_of(web_req *w, const params *p, kt_buf *q)
{
    for (size_t i = 0; i < p->n; i++) {
        const char *v = srv_arg(w->r, p->names[i]);
        if (!v || !*v) continue;
        kt_buf_printf(q, NULL, "%s%s=", q->len ? "&" : "?", p->names[i]);
        html_url_value(q, v);
    }
}

static enum MHD_Result download(web_req *w, const kt_report *rep, kt_report_format fmt,
                                const char *name)
{
    kt_buf out = KT_BUF_INIT;
    kt_error err;
    kt_report_render_opts o = {0, 0};
    if (kt_report_render(rep, fmt, &o, &out, &err)) {
        kt_buf_free(&out);
        return web_fail(w, srv_http_status(err.code), err.message);
    }
    const char *type = fmt == KT_REPORT_CSV    ? "text/csv; charset=utf-8"
                       : fmt == KT_REPORT_JSON ? "application/json; charset=utf-8"
                                               : "image/svg+xml";
    char disp[160];
    snprintf(disp, sizeof disp, "%s; filename=\"%s.%s\"",
             fmt == KT_REPORT_SVG ? "inline" : "attachment", name,
             fmt == KT_REPORT_CSV    ? "csv"
             : fmt == KT_REPORT_JSON ? "json"
                                     : "svg");
    /* an SVG opened on its own may style itself, never run anything */
    web_body b = {NULL, out.len,
                  1,    type,
                  disp, "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
                  NULL};
    b.data = kt_buf_take(&out);
    return web_send_body(w, MHD_HTTP_OK, &b);
}

static void table(html *h, const kt_report *rep)
{
    const kt_report_table *t = &rep->table;
    html_open(h, "table", "id", "report", HTML_END);
    html_open(h, "thead", HTML_END);
    html_open(h, "tr", HTML_END);
    for (size_t c = 0; c < t->ncolumns; c++)
        html_el(h, "th", t->columns[c].name, "scope", "col", HTML_END);
    html_close(h, "tr");
    html_close(h, "thead");
    html_open(h, "tbody", HTML_END);
    for (size_t r = 0; r < t->nrows; r++) {
        html_open(h, "tr", HTML_END);
        for (size_t c = 0; c < t->ncolumns; c++) {
            char buf[128];
            html_el(h, "td",
                    kt_report_cell_text(&t->columns[c], &t->cells[r * t->ncolumns + c], buf,
                                        sizeof buf),
                    HTML_END);
        }
        html_close(h, "tr");
    }
    html_close(h, "tbody");
    html_close(h, "table");
}

static enum MHD_Result one(web_req *w, const char *seg)
{
    const srv_config *c = w->r->cfg;
    char name[128], *dot;
    snprintf(name, sizeof name, "%s", seg);
    kt_report_format fmt = KT_REPORT_TABLE;
    if ((dot = strrchr(name, '.'))) {
        *dot++ = '\0';
        fmt = !strcmp(dot, "csv")    ? KT_REPORT_CSV
              : !strcmp(dot, "json") ? KT_REPORT_JSON
              : !strcmp(dot, "svg")  ? KT_REPORT_SVG
                                     : KT_REPORT_TABLE;
        if (fmt == KT_REPORT_TABLE)
            return web_fail(w, MHD_HTTP_NOT_FOUND, web_word(w, "There is no such page."));
    }
    kt_report_info *infos = NULL, *info = NULL;
    size_t n = 0;
    kt_error err;
    if (kt_report_list(w->ws, c->script_dirs, c->nscript_dirs, &infos, &n, &err)) n = 0;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(infos[i].name, name)) info = &infos[i];
    if (!info) {
        kt_report_infos_free(infos, n);
        return web_fail(w, MHD_HTTP_NOT_FOUND, web_word(w, "There is no such page."));
    }
    params p;
    parse_params(info->params, &p);
    kt_report_param given[MAX_PARAMS];
    size_t ng = 0;
    for (size_t i = 0; i < p.n; i++) {
        const char *v = srv_arg(w->r, p.names[i]);
        if (v && *v) given[ng++] = (kt_report_param){p.names[i], v};
    }
    kt_report *rep = NULL;
    kt_status st = kt_report_run(w->ws, info->name, info->path, given, ng, &rep, &err);
    enum MHD_Result res;
    if (!st && fmt != KT_REPORT_TABLE) {
        res = download(w, rep, fmt, info->name);
        goto out;
    }
    html h = HTML_INIT;
    web_page_begin(w, &h, rep && rep->title ? rep->title : info->title);
    char action[160];
    snprintf(action, sizeof action, "/reports/%s", info->name);
    html_open(&h, "form", "method", "get", "action", action, "class", "params", HTML_END);
    for (size_t i = 0; i < p.n; i++) {
        const char *v = srv_arg(w->r, p.names[i]);
        html_open(&h, "span", "class", "field", HTML_END);
        html_el(&h, "label", p.names[i], "for", p.names[i], HTML_END);
        html_open(&h, "input", "id", p.names[i], "name", p.names[i], "value", v, "placeholder",
                  p.defaults[i], HTML_END);
        html_close(&h, "span");
    }
    html_el(&h, "button", web_word(w, "Show"), "type", "submit", HTML_END);
    html_close(&h, "form");
    if (st) {
        html_el(&h, "p", err.message, "class", "error", "role", "alert", HTML_END);
    } else {
        kt_buf q = KT_BUF_INIT, href = KT_BUF_INIT;
        query_of(w, &p, &q);
        if (rep->chart) {
            kt_buf_printf(&href, NULL, "/reports/%s.svg%s", info->name, kt_buf_str(&q));
            html_open(&h, "img", "src", kt_buf_str(&href), "alt",
                      rep->chart->title ? rep->chart->title : info->name, "class", "chart", "id",
                      "chart", HTML_END);
        }
        table(&h, rep);
        html_open(&h, "p", "class", "downloads", HTML_END);
        static const char *const exts[] = {"csv", "json"};
        for (size_t i = 0; i < 2; i++) {
            kt_buf_reset(&href);
            kt_buf_printf(&href, NULL, "/reports/%s.%s%s", info->name, exts[i], kt_buf_str(&q));
            char label[64];
            snprintf(label, sizeof label, "%s %s", web_word(w, "Download"), exts[i]);
            html_el(&h, "a", label, "href", kt_buf_str(&href), "class", "button", HTML_END);
            html_text(&h, " ");
        }
        html_close(&h, "p");
        kt_buf_free(&q);
        kt_buf_free(&href);
    }
    web_page_end(w, &h);
    res = web_send(w, &h, st ? srv_http_status(st) : MHD_HTTP_OK);
out:
    kt_report_free(rep);
    kt_report_infos_free(infos, n);
    return res;
}

enum MHD_Result web_reports(web_req *w)
{
    if (w->nseg == 1) return index_page(w);
    if (w->nseg == 2) return one(w, w->seg[1]);
    return web_fail(w, MHD_HTTP_NOT_FOUND, web_word(w, "There is no such page."));
}
