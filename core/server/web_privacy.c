/* A person's card, personal data part: their consents (each decision with its purpose, when
 * and how), and for a manager or owner the erase form (a reason and a confirmation box, sent
 * with the CSRF token) with its POST /e/person/ID/erase. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/consent.h"
#include "kartoteka/privacy.h"
#include "web.h"

typedef struct consent_rows {
    web_req *w;
    html *h;
    int n;
} consent_rows;

static int on_consent(void *ud, const kt_consent_row *row)
{
    consent_rows *c = ud;
    html *h = c->h;
    if (!c->n++) {
        html_open(h, "table", "id", "consents", HTML_END);
        html_open(h, "thead", HTML_END);
        html_open(h, "tr", HTML_END);
        static const char *const heads[] = {"Purpose", "Decision", "When", "Source", "By"};
        for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++)
            html_el(h, "th", web_word(c->w, heads[i]), HTML_END);
        html_close(h, "tr");
        html_close(h, "thead");
        html_open(h, "tbody", HTML_END);
    }
    html_open(h, "tr", "class", row->given ? "given" : "withdrawn", HTML_END);
    html_el(h, "td", row->purpose, "class", "purpose", HTML_END);
    html_el(h, "td", web_word(c->w, row->given ? "given" : "withdrawn"), "class", "decision",
            HTML_END);
    html_el(h, "td", row->at, HTML_END);
    html_el(h, "td", row->source ? row->source : "", "class", "source", HTML_END);
    html_el(h, "td", row->by ? row->by : "", HTML_END);
    html_close(h, "tr");
    return 0;
}

void web_card_consents(web_req *w, html *h, kt_id person)
{
    html_open(h, "section", "class", "consents", "id", "consent-section", HTML_END);
    html_el(h, "h2", web_word(w, "Consents"), HTML_END);
    consent_rows c = {w, h, 0};
    kt_error err;
    if (kt_consent_history(w->ws, person, NULL, on_consent, &c, &err)) srv_log_error(w->r, &err);
    if (c.n) {
        html_close(h, "tbody");
        html_close(h, "table");
    } else {
        html_el(h, "p", web_word(w, "No consent recorded."), HTML_END);
    }
    html_close(h, "section");
}

void web_erase_form(web_req *w, html *h, const kt_record *rec)
{
    if (!web_may(w, KT_ACT_ERASE, NULL) || !strcmp(rec->state, "merged")) return;
    char action[128];
    snprintf(action, sizeof action, "/e/%s/%lld/erase", rec->entity, rec->id);
    html_open(h, "form", "method", "post", "action", action, "class", "inline", "id", "erase-form",
              HTML_END);
    web_csrf_input(w, h);
    html_el(h, "label", web_word(w, "Reason"), "for", "erase-reason", HTML_END);
    html_open(h, "input", "id", "erase-reason", "name", "reason", "required", "required",
              "maxlength", "500", HTML_END);
    html_open(h, "label", HTML_END);
    html_open(h, "input", "type", "checkbox", "name", "confirm", "value", "yes", "id",
              "erase-confirm", "required", "required", HTML_END);
    html_text(h, web_word(w, "Erase every personal value: this cannot be undone"));
    html_close(h, "label");
    html_el(h, "button", web_word(w, "Erase"), "type", "submit", "id", "erase", HTML_END);
    html_close(h, "form");
}

enum MHD_Result web_erase(web_req *w, kt_id id)
{
    if (!w->post) return web_fail(w, MHD_HTTP_METHOD_NOT_ALLOWED, "POST");
    if (!web_may(w, KT_ACT_ERASE, NULL))
        return web_fail(w, MHD_HTTP_FORBIDDEN, web_word(w, "Your role may not erase people."));
    const char *reason = web_form_get(&w->form, "reason");
    const char *confirm = web_form_get(&w->form, "confirm");
    if (!reason || !*reason || !confirm || strcmp(confirm, "yes") != 0)
        return web_fail(w, MHD_HTTP_BAD_REQUEST,
                        web_word(w, "Say why, and tick the box to confirm the erasure."));
    kt_erase_result res;
    kt_error err;
    kt_status st = kt_person_erase(w->ws, id, KT_ERASE_ALL, reason, &res, &err);
    if (st == KT_DENIED) return web_fail(w, MHD_HTTP_FORBIDDEN, err.message);
    if (st && srv_http_status(st) >= 500) {
        srv_log_error(w->r, &err); /* no internal detail on the page */
        return web_fail(w, srv_http_status(st), web_word(w, "The erasure failed."));
    }
    if (st) return web_fail(w, srv_http_status(st), err.message);
    char href[128];
    snprintf(href, sizeof href, "/e/%s/%lld", w->seg[1], id);
    return web_redirect(w, href, NULL);
}
