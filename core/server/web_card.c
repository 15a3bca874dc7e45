/* The client card: the record's fields grouped, its company and contacts, deals, sales, and
 * one timeline (history with who and where from, the histories of records merged into it,
 * activities, tasks), with the buttons the role may use. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/campaign.h"
#include "kartoteka/report.h"
#include "web.h"

#define MAX_EVENTS 2000

typedef struct event {
    char at[32];
    html body; /* the entry, escaped by the builder */
} event;

typedef struct timeline {
    web_req *w;
    event *items;
    size_t n, cap;
} timeline;

static event *add_event(timeline *t, const char *at)
{
    if (t->n == MAX_EVENTS) return NULL;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 32;
        event *items = kt_realloc(t->items, cap * sizeof *items);
        if (!items) return NULL;
        t->items = items;
        t->cap = cap;
    }
    event *e = &t->items[t->n++];
    memset(e, 0, sizeof *e);
    snprintf(e->at, sizeof e->at, "%s", at ? at : "");
    return e;
}

static int on_change(void *ud, const kt_change *c)
{
    timeline *t = ud;
    event *e = add_event(t, c->at);
    if (!e) return 1;
    html *h = &e->body;
    html_el(h, "span", c->action, "class", "kind", HTML_END);
    html_text(h, " ");
    if (c->field) {
        html_el(h, "strong", c->field, HTML_END);
        html_text(h, ": ");
        if (c->old) {
            html_el(h, "del", c->old, HTML_END);
            html_text(h, " → ");
        }
    }
    html_el(h, "span", c->new_, "class", "value", HTML_END);
    html_text(h, " — ");
    html_el(h, "span", c->source, "class", "who", HTML_END);
    return 0;
}

/* A related record (activity, task) as a timeline entry. */
static int on_related(void *ud, const kt_record *rec)
{
    timeline *t = ud;
    const char *at = kt_record_text(rec, "at");
    if (!at) at = kt_record_text(rec, "due");
    if (!at) at = rec->created_at;
    event *e = add_event(t, at);
    if (!e) return 1;
    html *h = &e->body;
    char href[128], buf[512];
    snprintf(href, sizeof href, "/e/%s/%lld", rec->entity, rec->id);
    const kt_entity *ent = kt_registry_entity(kt_ws_registry(t->w->ws), rec->entity);
    html_el(h, "a", web_entity_label(t->w, rec->entity, buf, sizeof buf), "href", href, "class",
            "kind", HTML_END);
    for (size_t i = 0; ent && i < ent->nfields; i++) {
        const kt_field *f = &ent->fields[i];
        if (f->kind == KT_TYPE_REF) continue;
        const char *v = web_value_text(t->w, f, rec, buf, sizeof buf);
        if (!*v || !strcmp(f->name, "at")) continue;
        html_text(h, " · ");
        html_el(h, "span", v, "class", f->name, HTML_END);
    }
    return 0;
}

static int newest_first(const void *a, const void *b)
{
    return strcmp(((const event *)b)->at, ((const event *)a)->at);
}

/* Records of entity whose field refers to id, through cb. */
static void related(web_req *w, const char *entity, const char *field, kt_id id, kt_record_cb cb,
                    void *ud)
{
    if (!kt_registry_field(kt_ws_registry(w->ws), entity, field)) return;
    char text[64];
    snprintf(text, sizeof text, "%s=%lld", field, id);
    kt_filter f;
    kt_error err;
    if (kt_filter_parse(text, &f, &err)) return;
    kt_list_opts o = {&f, 1, 0, 500, 0};
    if (kt_list(w->ws, entity, &o, cb, ud, &err)) srv_log_error(w->r, &err);
    kt_filter_clear(&f);
}

typedef struct table {
    web_req *w;
    html *h;
    const char *const *fields;
    long n;
} table;

static int on_table_row(void *ud, const kt_record *rec)
{
    table *t = ud;
    const kt_registry *reg = kt_ws_registry(t->w->ws);
    char buf[512];
    html_open(t->h, "li", HTML_END);
    web_record_link(t->w, t->h, rec->id);
    for (size_t i = 0; t->fields[i]; i++) {
        const kt_field *f = kt_registry_field(reg, rec->entity, t->fields[i]);
        if (!f) continue;
        const char *v = web_value_text(t->w, f, rec, buf, sizeof buf);
        if (!*v) continue;
        html_text(t->h, " · ");
        html_el(t->h, "span", v, "class", f->name, HTML_END);
    }
    html_close(t->h, "li");
    t->n++;
    return 0;
}

/* A section of related records; how many there are. */
static long section(web_req *w, html *h, const char *title, const char *entity, const char *field,
                    kt_id id, const char *const *fields)
{
    html part = HTML_INIT;
    table t = {w, &part, fields, 0};
    related(w, entity, field, id, on_table_row, &t);
    if (!t.n) {
        html_free(&part);
        return 0;
    }
    html_open(h, "section", "class", entity, HTML_END);
    html_el(h, "h2", web_word(w, title), HTML_END);
    html_open(h, "ul", HTML_END);
    html_append(h, &part);
    html_close(h, "ul");
    html_close(h, "section");
    return t.n;
}

/* The customer's ABC/XYZ class, as the shipped abcxyz report computes it (by customer). */
static void sales_class(web_req *w, html *h, kt_id id)
{
    const srv_config *c = w->r->cfg;
    char *path = NULL;
    kt_report *rep = NULL;
    kt_error err;
    const kt_report_param by = {"by", "customer"};
    if (kt_report_find(w->ws, c->script_dirs, c->nscript_dirs, "abcxyz", &path, &err) ||
        kt_report_run(w->ws, "abcxyz", path, &by, 1, &rep, &err)) {
        kt_free(path);
        return;
    }
    const kt_report_table *t = &rep->table;
    long idcol = -1, paircol = -1;
    for (size_t k = 0; k < t->ncolumns; k++) {
        if (!strcmp(t->columns[k].name, "id")) idcol = (long)k;
        if (!strcmp(t->columns[k].name, "pair")) paircol = (long)k;
    }
    for (size_t r = 0; idcol >= 0 && paircol >= 0 && r < t->nrows; r++) {
        const kt_report_cell *cid = &t->cells[r * t->ncolumns + (size_t)idcol];
        const kt_report_cell *cp = &t->cells[r * t->ncolumns + (size_t)paircol];
        if (cid->kind != KT_CELL_TEXT || kt_id_parse(cid->text) != id || cp->kind != KT_CELL_TEXT)
            continue;
        html_open(h, "p", "class", "abcxyz", "id", "abcxyz", HTML_END);
        html_text(h, "ABC/XYZ: ");
        html_el(h, "strong", cp->text, HTML_END);
        html_close(h, "p");
    }
    kt_report_free(rep);
    kt_free(path);
}

typedef struct messages {
    timeline *t;
    kt_id id;
    int clear; /* the subject is shown to those who see personal data */
} messages;

/* A message a campaign sent (or is sending) to the client, on the timeline. */
static int on_message(void *ud, const kt_outbox_msg *m)
{
    messages *x = ud;
    if (m->record != x->id) return 0;
    event *e = add_event(x->t, m->sent_at ? m->sent_at : m->created_at);
    if (!e) return 1;
    html_el(&e->body, "span", "message", "class", "kind", HTML_END);
    html_text(&e->body, " ");
    html_el(&e->body, "strong", m->campaign, HTML_END);
    html_text(&e->body, " · ");
    html_text(&e->body, m->channel);
    html_text(&e->body, " · ");
    html_text(&e->body, m->status);
    if (x->clear && m->subject) {
        html_text(&e->body, " · ");
        html_el(&e->body, "span", m->subject, "class", "subject", HTML_END);
    }
    return 0;
}

static int group_of(const kt_field *f)
{
    if (f->kind == KT_TYPE_EMAIL || f->kind == KT_TYPE_PHONE || f->kind == KT_TYPE_URL ||
        strstr(f->name, "street") || strstr(f->name, "city") || strstr(f->name, "postal") ||
        strstr(f->name, "country") || strstr(f->name, "address"))
        return 1;
    if (f->kind == KT_TYPE_DATE || f->kind == KT_TYPE_DATETIME) return 2;
    return 0;
}

static void fields(web_req *w, html *h, const kt_record *rec)
{
    static const char *const groups[] = {"Details", "Contact", "Dates"};
    const kt_entity *e = kt_registry_entity(kt_ws_registry(w->ws), rec->entity);
    char label[128], buf[1024];
    for (int g = 0; g < 3; g++) {
        int any = 0;
        for (size_t i = 0; i < e->nfields; i++) {
            const kt_field *f = &e->fields[i];
            const char *v = web_value_text(w, f, rec, buf, sizeof buf);
            if (group_of(f) != g || !*v) continue;
            if (!any) {
                html_open(h, "section", "class", "fields", HTML_END);
                html_el(h, "h2", web_word(w, groups[g]), HTML_END);
                html_open(h, "dl", HTML_END);
                any = 1;
            }
            html_el(h, "dt", web_field_label(w, f, label, sizeof label), HTML_END);
            html_open(h, "dd", "id", f->name, HTML_END);
            if (f->kind == KT_TYPE_REF && kt_id_parse(v))
                web_record_link(w, h, kt_id_parse(v));
            else
                html_text(h, v);
            html_close(h, "dd");
        }
        if (any) {
            html_close(h, "dl");
            html_close(h, "section");
        }
    }
}

static void buttons(web_req *w, html *h, const kt_record *rec)
{
    char href[160], action[128];
    const char *e = rec->entity;
    html_open(h, "nav", "class", "actions", "aria-label", "actions", HTML_END);
    int person = !strcmp(e, "person"), company = !strcmp(e, "company");
    if (web_may(w, KT_ACT_WRITE, e) && !strcmp(rec->state, "active")) {
        snprintf(href, sizeof href, "/e/%s/%lld/edit", e, rec->id);
        html_el(h, "a", web_word(w, "Edit"), "href", href, "class", "button", "id", "edit",
                HTML_END);
        if (person || company) {
            snprintf(href, sizeof href, "/e/activity/new?%s=%lld&kind=call&_back=/e/%s/%lld", e,
                     rec->id, e, rec->id);
            html_el(h, "a", web_word(w, "Log an activity"), "href", href, "class", "button", "id",
                    "log-activity", HTML_END);
            snprintf(href, sizeof href, "/e/task/new?%s=%lld&_back=/e/%s/%lld", e, rec->id, e,
                     rec->id);
            html_el(h, "a", web_word(w, "Add a task"), "href", href, "class", "button", "id",
                    "add-task", HTML_END);
        }
    }
    if (web_may(w, KT_ACT_ARCHIVE, e)) {
        int active = !strcmp(rec->state, "active");
        snprintf(action, sizeof action, "/e/%s/%lld/%s", e, rec->id,
                 active ? "archive" : "restore");
        if (strcmp(rec->state, "merged") != 0)
            web_button_form(w, h, action, web_word(w, active ? "Archive" : "Restore"), NULL);
    }
    if (web_may(w, KT_ACT_MERGE, e) && !strcmp(rec->state, "active")) {
        snprintf(action, sizeof action, "/e/%s/%lld/merge", e, rec->id);
        html_open(h, "form", "method", "post", "action", action, "class", "inline", HTML_END);
        web_csrf_input(w, h);
        html_el(h, "label", web_word(w, "Merge"), "for", "other", HTML_END);
        html_open(h, "input", "id", "other", "name", "other", "data-ref", e, "inputmode", "numeric",
                  HTML_END);
        html_el(h, "button", web_word(w, "Merge"), "type", "submit", "id", "merge", HTML_END);
        html_close(h, "form");
    }
    if (person) web_erase_form(w, h, rec);
    html_close(h, "nav");
}

enum MHD_Result web_card(web_req *w, const char *entity, kt_id id)
{
    kt_record *rec = NULL;
    kt_error err;
    if (kt_get(w->ws, id, &rec, &err)) return web_fail(w, srv_http_status(err.code), err.message);
    char title[256];
    web_record_name(w, rec, title, sizeof title);
    html h = HTML_INIT;
    web_page_begin(w, &h, title);
    if (strcmp(rec->state, "active") != 0) {
        html_open(&h, "p", "class", "state", HTML_END);
        html_text(&h, rec->state);
        if (rec->merged_into) {
            html_text(&h, " → ");
            web_record_link(w, &h, rec->merged_into);
        }
        html_close(&h, "p");
    }
    buttons(w, &h, rec);
    fields(w, &h, rec);
    if (!strcmp(entity, "person")) web_card_consents(w, &h, id);
    static const char *const person_cols[] = {"job_title", "email", "mobile", NULL};
    static const char *const deal_cols[] = {"stage", "amount", "close_date", NULL};
    static const char *const sale_cols[] = {"date", "amount", "product", NULL};
    if (!strcmp(entity, "company"))
        section(w, &h, "Contacts", "person", "company", id, person_cols);
    const char *key = !strcmp(entity, "company") ? "company" : "person";
    section(w, &h, "Deals", "deal", key, id, deal_cols);
    if (section(w, &h, "Sales", "sale", "customer", id, sale_cols)) sales_class(w, &h, id);

    timeline t = {w, NULL, 0, 0};
    if (kt_history(w->ws, id, on_change, &t, &err)) srv_log_error(w->r, &err);
    /* the records merged into this one bring their histories along */
    for (size_t i = 0, n = t.n; i < n; i++) {
        const char *text = kt_buf_str(&t.items[i].body.b);
        const char *m = strstr(text, "record ");
        long long loser = 0;
        if (m && strstr(m, " merged in") && sscanf(m, "record %lld merged in", &loser) == 1 &&
            loser != id && kt_history(w->ws, loser, on_change, &t, &err))
            srv_log_error(w->r, &err);
    }
    related(w, "activity", key, id, on_related, &t);
    related(w, "task", key, id, on_related, &t);
    messages mx = {&t, id, kt_auth_sees_pii(w->ws)};
    if (kt_outbox_list(w->ws, NULL, on_message, &mx, &err)) srv_log_error(w->r, &err);
    if (t.n) qsort(t.items, t.n, sizeof *t.items, newest_first);
    html_open(&h, "section", "class", "timeline", "id", "timeline", HTML_END);
    html_el(&h, "h2", web_word(w, "Timeline"), HTML_END);
    html_open(&h, "ol", HTML_END);
    for (size_t i = 0; i < t.n; i++) {
        html_open(&h, "li", HTML_END);
        html_el(&h, "time", t.items[i].at, HTML_END);
        html_text(&h, " ");
        html_append(&h, &t.items[i].body);
        html_close(&h, "li");
    }
    html_close(&h, "ol");
    html_close(&h, "section");
    kt_free(t.items);
    kt_record_free(rec);
    web_page_end(w, &h);
    return web_send(w, &h, MHD_HTTP_OK);
}
