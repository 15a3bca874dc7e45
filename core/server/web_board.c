/* The deals board: the funnel's stages (deal.stage's options) as columns with counts and
 * amounts; a deal moves stage through the write door, so the workspace's rules apply. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/report.h"
#include "kartoteka/save.h"
#include "web.h"

#define BOARD_LIMIT 200

typedef struct column {
    web_req *w;
    html *h;
    const kt_field *stage, *amount;
    long count;
    long long units; /* the amounts, in the smallest unit */
} column;

/* "12.5" at scale 2 -> 1250. */
static long long units_of(const char *text, int scale)
{
    if (!text) return 0;
    int neg = *text == '-';
    if (neg) text++;
    long long v = 0;
    int digits = -1;
    for (const char *p = text; *p && digits < scale; p++) {
        if (*p == '.') {
            digits = 0;
            continue;
        }
        if (*p < '0' || *p > '9') break;
        v = v * 10 + (*p - '0');
        if (digits >= 0) digits++;
    }
    for (int d = digits < 0 ? 0 : digits; d < scale; d++)
        v *= 10;
    return neg ? -v : v;
}

static int on_deal(void *ud, const kt_record *rec)
{
    column *c = ud;
    web_req *w = c->w;
    html *h = c->h;
    c->count++;
    const char *amount = c->amount ? kt_record_text(rec, "amount") : NULL;
    c->units += units_of(amount, c->amount ? c->amount->scale : 2);
    html_open(h, "li", "class", "deal", HTML_END);
    web_record_link(w, h, rec->id);
    if (amount) {
        html_text(h, " · ");
        char local[64];
        html_el(h, "span", web_local_text(w, KT_TYPE_DECIMAL, amount, local, sizeof local), "class",
                "amount", HTML_END);
    }
    if (web_may(w, KT_ACT_WRITE, "deal")) {
        char id[32], sel[48];
        snprintf(id, sizeof id, "%lld", rec->id);
        snprintf(sel, sizeof sel, "stage-%lld", rec->id);
        html_open(h, "form", "method", "post", "action", "/board", "class", "move", HTML_END);
        web_csrf_input(w, h);
        html_open(h, "input", "type", "hidden", "name", "deal", "value", id, HTML_END);
        html_el(h, "label", web_word(w, "Move"), "for", sel, "class", "sr", HTML_END);
        html_open(h, "select", "id", sel, "name", "stage", HTML_END);
        const char *now = kt_record_text(rec, "stage");
        for (size_t i = 0; i < c->stage->noptions; i++)
            html_el(h, "option", c->stage->options[i], "value", c->stage->options[i], "selected",
                    now && !strcmp(now, c->stage->options[i]) ? "" : NULL, HTML_END);
        html_close(h, "select");
        html_el(h, "button", web_word(w, "Move"), "type", "submit", HTML_END);
        html_close(h, "form");
    }
    html_close(h, "li");
    return c->count >= BOARD_LIMIT;
}

static enum MHD_Result move(web_req *w)
{
    const char *deal = web_form_get(&w->form, "deal"), *stage = web_form_get(&w->form, "stage");
    kt_id id = deal ? kt_id_parse(deal) : 0;
    char of[64];
    kt_error err;
    if (!id || !stage || kt_ws_entity_of(w->ws, id, of, sizeof of, &err) || strcmp(of, "deal"))
        return web_fail(w, MHD_HTTP_BAD_REQUEST, web_word(w, "There is no such page."));
    kt_record *rec = kt_record_new("deal");
    kt_failures f;
    kt_failures_init(&f);
    kt_save_opts o = {.allow_duplicate = 1};
    kt_status st = rec ? KT_OK : kt_error_set(&err, KT_NOMEM, "out of memory");
    if (rec) rec->id = id;
    if (!st) st = kt_record_set(rec, "stage", stage, &err);
    if (!st) st = kt_save(w->ws, rec, &o, &f, &err);
    kt_record_free(rec);
    enum MHD_Result res;
    if (st) {
        html h = HTML_INIT;
        web_page_begin(w, &h, web_word(w, "Deals board"));
        html_open(&h, "div", "class", "error", "role", "alert", HTML_END);
        html_el(&h, "p", err.message, HTML_END);
        for (size_t i = 0; i < f.n; i++)
            html_el(&h, "p", f.items[i].message, HTML_END);
        html_close(&h, "div");
        html_el(&h, "a", web_word(w, "Deals board"), "href", "/board", HTML_END);
        web_page_end(w, &h);
        res = web_send(w, &h, srv_http_status(st));
    } else {
        res = web_redirect(w, "/board", NULL);
    }
    kt_failures_free(&f);
    return res;
}

enum MHD_Result web_board(web_req *w)
{
    if (w->post) return move(w);
    const kt_registry *reg = kt_ws_registry(w->ws);
    const kt_field *stage = kt_registry_field(reg, "deal", "stage");
    if (!stage || stage->kind != KT_TYPE_ENUM)
        return web_fail(w, MHD_HTTP_NOT_FOUND, web_word(w, "There is no such page."));
    html h = HTML_INIT;
    web_page_begin(w, &h, web_word(w, "Deals board"));
    html_open(&h, "div", "class", "board", HTML_END);
    for (size_t i = 0; i < stage->noptions; i++) {
        html part = HTML_INIT;
        column c = {w, &part, stage, kt_registry_field(reg, "deal", "amount"), 0, 0};
        char text[160];
        snprintf(text, sizeof text, "stage=%s", stage->options[i]);
        kt_filter f;
        kt_error err;
        if (!kt_filter_parse(text, &f, &err)) {
            kt_list_opts o = {&f, 1, 0, BOARD_LIMIT, 0};
            if (kt_list(w->ws, "deal", &o, on_deal, &c, &err)) srv_log_error(w->r, &err);
            kt_filter_clear(&f);
        }
        char digits[64], local[64];
        const char *total = web_local_text(
            w, KT_TYPE_DECIMAL,
            kt_report_decimal_text(c.units, c.amount ? c.amount->scale : 2, digits, sizeof digits),
            local, sizeof local);
        html_open(&h, "section", "class", "stage", "id", stage->options[i], HTML_END);
        html_open(&h, "h2", HTML_END);
        html_text(&h, stage->options[i]);
        snprintf(text, sizeof text, " (%ld · %s)", c.count, total);
        html_text(&h, text);
        html_close(&h, "h2");
        html_open(&h, "ul", HTML_END);
        html_append(&h, &part);
        html_close(&h, "ul");
        html_close(&h, "section");
    }
    html_close(&h, "div");
    web_page_end(w, &h);
    return web_send(w, &h, MHD_HTTP_OK);
}
