/* The frame of every page, the headers every page carries, and values as people read them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/save.h"
#include "web.h"

/* Scripts and styles come only from our own static files: no inline code can run. */
#define PAGE_CSP                                                                                   \
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "                    \
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

int web_may(web_req *w, kt_act act, const char *entity)
{
    kt_error err;
    return w->logged_in && kt_auth_allow(w->ws, act, entity, &err) == KT_OK;
}

void web_csrf_input(web_req *w, html *h)
{
    html_open(h, "input", "type", "hidden", "name", "_csrf", "value", w->csrf, HTML_END);
}

void web_button_form(web_req *w, html *h, const char *action, const char *label,
                     const char *const *hidden)
{
    html_open(h, "form", "method", "post", "action", action, "class", "inline", HTML_END);
    web_csrf_input(w, h);
    for (size_t i = 0; hidden && hidden[i] && hidden[i + 1]; i += 2)
        html_open(h, "input", "type", "hidden", "name", hidden[i], "value", hidden[i + 1],
                  HTML_END);
    html_el(h, "button", label, "type", "submit", HTML_END);
    html_close(h, "form");
}

static void nav_link(web_req *w, html *h, const char *href, const char *text)
{
    (void)w;
    html_open(h, "li", HTML_END);
    html_el(h, "a", text, "href", href, HTML_END);
    html_close(h, "li");
}

void web_page_begin(web_req *w, html *h, const char *title)
{
    html_raw_static(h, "<!DOCTYPE html>");
    html_open(h, "html", "lang", w->lang, "dir", !strcmp(w->lang, "fa") ? "rtl" : "ltr", HTML_END);
    html_open(h, "head", HTML_END);
    html_open(h, "meta", "charset", "utf-8", HTML_END);
    html_open(h, "meta", "name", "viewport", "content", "width=device-width, initial-scale=1",
              HTML_END);
    html_el(h, "title", title, HTML_END);
    html_open(h, "link", "rel", "stylesheet", "href", "/static/kt.css", HTML_END);
    html_open(h, "script", "src", "/static/kt.js", "defer", "", HTML_END);
    html_close(h, "script");
    html_close(h, "head");
    html_open(h, "body", HTML_END);
    if (w->logged_in) {
        html_open(h, "header", HTML_END);
        html_open(h, "nav", "aria-label", "main", HTML_END);
        html_open(h, "ul", HTML_END);
        nav_link(w, h, "/", web_word(w, "Today"));
        const kt_registry *reg = kt_ws_registry(w->ws);
        for (size_t i = 0; i < kt_registry_entity_count(reg); i++) {
            const kt_entity *e = kt_registry_entity_at(reg, i);
            char href[96], label[128];
            snprintf(href, sizeof href, "/e/%s", e->name);
            nav_link(w, h, href, web_label(w, e->label, e->name, label, sizeof label));
        }
        nav_link(w, h, "/board", web_word(w, "Deals board"));
        nav_link(w, h, "/reports", web_word(w, "Reports"));
        if (web_may(w, KT_ACT_IMPORT, NULL)) nav_link(w, h, "/import", web_word(w, "Import"));
        if (web_may(w, KT_ACT_MERGE, NULL))
            nav_link(w, h, "/dupes/person", web_word(w, "Duplicates"));
        if (web_may(w, KT_ACT_FIELDS, NULL)) nav_link(w, h, "/settings", web_word(w, "Settings"));
        html_close(h, "ul");
        html_close(h, "nav");
        html_open(h, "form", "role", "search", "method", "get", "action", "/find", HTML_END);
        html_el(h, "label", web_word(w, "Search"), "for", "q", "class", "sr", HTML_END);
        const char *q = srv_arg(w->r, "q");
        html_open(h, "input", "id", "q", "name", "q", "type", "search", "value", q, "autocomplete",
                  "off", HTML_END);
        html_el(h, "button", web_word(w, "Search"), "type", "submit", HTML_END);
        html_close(h, "form");
        html_open(h, "form", "method", "post", "action", "/logout", "class", "inline", HTML_END);
        web_csrf_input(w, h);
        html_open(h, "button", "type", "submit", "id", "logout", HTML_END);
        html_text(h, web_word(w, "Log out"));
        html_text(h, " (");
        html_text(h, w->actor.name);
        html_text(h, ", ");
        html_text(h, kt_role_name(w->actor.role));
        html_text(h, ")");
        html_close(h, "button");
        html_close(h, "form");
        html_close(h, "header");
    }
    html_open(h, "main", "id", "main", HTML_END);
    html_el(h, "h1", title, HTML_END);
}

void web_page_end(web_req *w, html *h)
{
    (void)w;
    html_close(h, "main");
    html_close(h, "body");
    html_close(h, "html");
}

static void common_headers(struct MHD_Response *resp, const char *csp, const char *cache)
{
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Content-Security-Policy", csp ? csp : PAGE_CSP);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, cache ? cache : "no-store");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
}

static enum MHD_Result send_body(web_req *w, unsigned status, const web_body *b,
                                 const char *const *headers);

enum MHD_Result web_send_body(web_req *w, unsigned status, const web_body *b)
{
    return send_body(w, status, b, NULL);
}

static enum MHD_Result send_body(web_req *w, unsigned status, const web_body *b,
                                 const char *const *headers)
{
    struct MHD_Response *resp =
        b->owned ? MHD_create_response_from_buffer_with_free_callback(
                       b->len, b->data, (MHD_ContentReaderFreeCallback)kt_free)
                 : MHD_create_response_from_buffer(b->len, b->data, MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        if (b->owned) kt_free(b->data);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, b->type);
    if (b->disposition) MHD_add_response_header(resp, "Content-Disposition", b->disposition);
    common_headers(resp, b->csp, b->cache);
    for (size_t i = 0; headers && headers[i] && headers[i + 1]; i += 2)
        MHD_add_response_header(resp, headers[i], headers[i + 1]);
    w->r->status = status;
    enum MHD_Result res = MHD_queue_response(w->r->conn, status, resp);
    MHD_destroy_response(resp);
    return res;
}

enum MHD_Result web_send(web_req *w, html *h, unsigned status)
{
    return web_send_with(w, h, status, NULL);
}

enum MHD_Result web_send_with(web_req *w, html *h, unsigned status, const char *const *headers)
{
    web_body b = {NULL, 0, 1, "text/html; charset=utf-8", NULL, NULL, NULL};
    if (!(b.data = html_take(h, &b.len)))
        return srv_reply_error(w->r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory", NULL);
    return send_body(w, status, &b, headers);
}

enum MHD_Result web_redirect(web_req *w, const char *location, const char *const *headers)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!resp) return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, location);
    common_headers(resp, NULL, NULL);
    for (size_t i = 0; headers && headers[i] && headers[i + 1]; i += 2)
        MHD_add_response_header(resp, headers[i], headers[i + 1]);
    w->r->status = MHD_HTTP_SEE_OTHER;
    enum MHD_Result res = MHD_queue_response(w->r->conn, MHD_HTTP_SEE_OTHER, resp);
    MHD_destroy_response(resp);
    return res;
}

enum MHD_Result web_fail(web_req *w, unsigned status, const char *message)
{
    html h = HTML_INIT;
    web_page_begin(w, &h, message);
    if (!w->logged_in) html_el(&h, "a", web_word(w, "Log in"), "href", "/login", HTML_END);
    web_page_end(w, &h);
    return web_send(w, &h, status);
}

/* English: "2 Jun 1985" (the month named, so no reader takes it for 6 February) and
 * "1,234.50" (thousands grouped); other text as it is. */
static const char *english_text(kt_type_kind kind, const char *text, char *buf, size_t size)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    size_t n = text ? strlen(text) : 0;
    if (kind == KT_TYPE_DATE && n == 10 && text[4] == '-' && text[7] == '-') {
        int m = atoi(text + 5), d = atoi(text + 8);
        if (m < 1 || m > 12) return text;
        snprintf(buf, size, "%d %s %.4s", d, months[m - 1], text);
        return buf;
    }
    if (kind != KT_TYPE_DECIMAL || !n || n * 2 >= size) return text;
    size_t sign = text[0] == '-', digits = strspn(text + sign, "0123456789"), k = 0;
    if (digits < 4) return text;
    for (size_t i = 0; i < n; i++) {
        if (i > sign && i < sign + digits && (sign + digits - i) % 3 == 0) buf[k++] = ',';
        buf[k++] = text[i];
    }
    buf[k] = '\0';
    return buf;
}

const char *web_local_text(const web_req *w, kt_type_kind kind, const char *text, char *buf,
                           size_t size)
{
    int comma = !strcmp(w->lang, "pl") || !strcmp(w->lang, "ru");
    if (!strcmp(w->lang, "en")) return english_text(kind, text, buf, size);
    if (!comma || !text) return text;
    size_t n = strlen(text);
    if (kind == KT_TYPE_DATE && n == 10 && text[4] == '-' && text[7] == '-') {
        snprintf(buf, size, "%.2s.%.2s.%.4s", text + 8, text + 5, text);
        return buf;
    }
    const char *dot = strchr(text, '.');
    if (kind == KT_TYPE_DECIMAL && dot && n < size) {
        memcpy(buf, text, n + 1);
        buf[dot - text] = ',';
        return buf;
    }
    return text;
}

const char *web_value_text(web_req *w, const kt_field *f, const kt_record *rec, char *buf,
                           size_t size)
{
    const kt_value *v = kt_record_get(rec, f->name);
    if (!v || kt_value_empty(v)) return "";
    kt_pii_access_note(w->ws, rec->entity, rec->id, f->name);
    if (v->is_set) {
        size_t n = 0;
        buf[0] = '\0';
        for (size_t i = 0; i < v->nitems && n + 1 < size; i++)
            n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", v->items[i]);
        return buf;
    }
    if (f->kind == KT_TYPE_DATE || f->kind == KT_TYPE_DECIMAL)
        return web_local_text(w, f->kind, v->text, buf, size);
    return kt_field_display(w->ws, f, rec, v->text, buf, size);
}

void web_record_name(web_req *w, const kt_record *rec, char *buf, size_t size)
{
    const char *first = kt_record_text(rec, "first_name"), *last = kt_record_text(rec, "last_name");
    const char *one = kt_record_text(rec, "name");
    const char *one_field = one ? "name" : "title";
    if (!one) one = kt_record_text(rec, "title");
    if (first) kt_pii_access_note(w->ws, rec->entity, rec->id, "first_name");
    if (last) kt_pii_access_note(w->ws, rec->entity, rec->id, "last_name");
    if (!first && !last && one) kt_pii_access_note(w->ws, rec->entity, rec->id, one_field);
    if (first || last)
        snprintf(buf, size, "%s%s%s", first ? first : "", first && last ? " " : "",
                 last ? last : "");
    else if (one)
        snprintf(buf, size, "%s", one);
    else
        snprintf(buf, size, "%s #%lld", rec->entity, rec->id);
}

void web_record_link(web_req *w, html *h, kt_id id)
{
    kt_record *rec = NULL;
    kt_error err;
    char href[128], name[256];
    if (kt_get(w->ws, id, &rec, &err)) {
        html_num(h, id);
        return;
    }
    snprintf(href, sizeof href, "/e/%s/%lld", rec->entity, id);
    web_record_name(w, rec, name, sizeof name);
    html_el(h, "a", name, "href", href, HTML_END);
    kt_record_free(rec);
}
