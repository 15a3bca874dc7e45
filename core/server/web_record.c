/* One record's pages: the form (new and edit) generated from the field registry, with the write
 * door's errors at each field and everything typed kept, a probable duplicate's candidates
 * with "open it" and "save anyway"; and the record's actions (archive, restore, merge). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/dedupe.h"
#include "kartoteka/save.h"
#include "web.h"

#define MAX_SET 256

/* A path of ours to return to after saving ("/e/person/12"), else NULL. */
static const char *safe_back(const char *back)
{
    if (!back || strncmp(back, "/e/", 3) != 0 || strlen(back) > 100) return NULL;
    for (const char *c = back; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '/' || *c == '_'))
            return NULL;
    return back;
}

/* The form's values as a record: a set from its check boxes, a bool from its box. On an edit an
 * empty input clears the field; on a new record it is left to the defaults. */
static kt_status form_record(web_req *w, const kt_entity *e, int editing, kt_record *rec,
                             kt_error *err)
{
    kt_status st = KT_OK;
    for (size_t i = 0; !st && i < e->nfields; i++) {
        const kt_field *f = &e->fields[i];
        if (f->kind == KT_TYPE_SET) {
            const char *items[MAX_SET];
            size_t n = web_form_all(&w->form, f->name, items, MAX_SET);
            if (n || editing) st = kt_record_set_list(rec, f->name, items, n, err);
        } else if (f->kind == KT_TYPE_BOOL) {
            const char *v = web_form_get(&w->form, f->name);
            if (v || editing) st = kt_record_set(rec, f->name, v ? "true" : "false", err);
        } else {
            const char *v = web_form_get(&w->form, f->name);
            if (v && *v)
                st = kt_record_set(rec, f->name, v, err);
            else if (editing && v)
                st = kt_record_set(rec, f->name, NULL, err);
        }
    }
    return st;
}

static void field_errors(html *h, const kt_failures *f, const char *field, char *id, size_t size)
{
    id[0] = '\0';
    for (size_t i = 0; f && i < f->n; i++) {
        if (!f->items[i].field || strcmp(f->items[i].field, field) != 0) continue;
        if (!id[0]) snprintf(id, size, "err-%s", field);
        html_el(h, "p", f->items[i].message, "class", "error", "id", id, HTML_END);
    }
}

static int has_item(const kt_value *v, const char *opt)
{
    for (size_t i = 0; v && v->is_set && i < v->nitems; i++)
        if (!strcmp(v->items[i], opt)) return 1;
    return 0;
}

static void input(web_req *w, html *h, const kt_field *f, const kt_record *rec,
                  const char *described)
{
    const kt_value *v = kt_record_get(rec, f->name);
    const char *text = v && !v->is_set ? v->text : NULL;
    if (v && !kt_value_empty(v)) kt_pii_access_note(w->ws, rec->entity, rec->id, f->name);
    const char *invalid = described[0] ? "true" : NULL, *desc = described[0] ? described : NULL;
    const char *req = f->required ? "true" : NULL;
    switch (f->kind) {
    case KT_TYPE_ENUM:
        html_open(h, "select", "id", f->name, "name", f->name, "aria-invalid", invalid,
                  "aria-describedby", desc, "aria-required", req, HTML_END);
        html_el(h, "option", "", "value", "", HTML_END);
        for (size_t i = 0; i < f->noptions; i++)
            html_el(h, "option", f->options[i], "value", f->options[i], "selected",
                    text && !strcmp(text, f->options[i]) ? "" : NULL, HTML_END);
        html_close(h, "select");
        return;
    case KT_TYPE_SET:
        for (size_t i = 0; i < f->noptions; i++) {
            char id[160];
            snprintf(id, sizeof id, "%s-%zu", f->name, i);
            html_open(h, "span", "class", "check", HTML_END);
            html_open(h, "input", "type", "checkbox", "id", id, "name", f->name, "value",
                      f->options[i], "checked", has_item(v, f->options[i]) ? "" : NULL,
                      "aria-describedby", desc, HTML_END);
            html_el(h, "label", f->options[i], "for", id, HTML_END);
            html_close(h, "span");
        }
        return;
    case KT_TYPE_BOOL:
        html_open(h, "input", "type", "checkbox", "id", f->name, "name", f->name, "value", "true",
                  "checked", text && !strcmp(text, "true") ? "" : NULL, "aria-describedby", desc,
                  HTML_END);
        return;
    default:
        break;
    }
    if (f->no_trim) {
        html_open(h, "textarea", "id", f->name, "name", f->name, "rows", "3", "aria-invalid",
                  invalid, "aria-describedby", desc, "aria-required", req, HTML_END);
        html_text(h, text);
        html_close(h, "textarea");
        return;
    }
    const char *type = f->kind == KT_TYPE_DATE    ? "date"
                       : f->kind == KT_TYPE_PHONE ? "tel"
                       : f->kind == KT_TYPE_EMAIL ? "email"
                       : f->kind == KT_TYPE_URL   ? "url"
                                                  : "text";
    const char *mode = f->kind == KT_TYPE_INTEGER   ? "numeric"
                       : f->kind == KT_TYPE_DECIMAL ? "decimal"
                                                    : NULL;
    html_open(h, "input", "type", type, "id", f->name, "name", f->name, "value", text, "inputmode",
              mode, "aria-invalid", invalid, "aria-describedby", desc, "aria-required", req,
              "data-ref", f->kind == KT_TYPE_REF ? f->ref : NULL, "placeholder",
              f->kind == KT_TYPE_DATETIME ? "YYYY-MM-DD HH:MM" : NULL, HTML_END);
    if (f->kind == KT_TYPE_PHONE) { /* a number without +CC is read in this country */
        const char *country = rec ? kt_record_text(rec, "country") : NULL;
        char id[160];
        if (!country || !*country) country = kt_ws_setting(w->ws, "country");
        snprintf(id, sizeof id, "%s-country", f->name);
        if (country && *country)
            html_el(h, "span", country, "class", "country", "id", id, "title",
                    web_word(w, "country"), HTML_END);
    }
    if (f->kind == KT_TYPE_REF && text && kt_id_parse(text)) {
        html_open(h, "span", "class", "ref", HTML_END);
        web_record_link(w, h, kt_id_parse(text));
        html_close(h, "span");
    }
}

static void candidates(web_req *w, html *h, const kt_record *rec, const kt_failures *f)
{
    kt_dupe_match *m = NULL;
    size_t n = 0;
    kt_error ignored;
    if (kt_dupes_for_record(w->ws, rec, -1, &m, &n, 10, &ignored)) n = 0;
    html_open(h, "section", "class", "dupes", "role", "alert", "id", "duplicates", HTML_END);
    html_el(h, "h2", web_word(w, "This may be a duplicate of:"), HTML_END);
    html_open(h, "ul", HTML_END);
    for (size_t i = 0; i < f->n; i++) {
        const kt_failure *x = &f->items[i];
        kt_id id = x->rule && !strcmp(x->rule, "duplicate") ? kt_id_parse(x->value) : 0;
        if (!id) continue;
        html_open(h, "li", HTML_END);
        web_record_link(w, h, id);
        for (size_t k = 0; k < n; k++)
            if (m[k].id == id) {
                char score[32];
                snprintf(score, sizeof score, " (%.2f) ", m[k].score);
                html_text(h, score);
            }
        html_el(h, "span", x->message, "class", "why", HTML_END);
        char href[128];
        snprintf(href, sizeof href, "/e/%s/%lld", rec->entity, id);
        html_text(h, " ");
        html_el(h, "a", web_word(w, "Open it"), "href", href, "class", "button", HTML_END);
        html_close(h, "li");
    }
    html_close(h, "ul");
    html_close(h, "section");
    kt_free(m);
}

/* The form, for a new record (id 0) or an edit, holding rec's values. */
static enum MHD_Result form_page(web_req *w, const kt_entity *e, kt_id id, const kt_record *rec,
                                 const kt_failures *f, int duplicate, unsigned status)
{
    char title[256], label[128], action[128];
    if (id) {
        web_record_name(w, rec, title, sizeof title);
        snprintf(action, sizeof action, "/e/%s/%lld/edit", e->name, id);
    } else {
        snprintf(title, sizeof title, "%s: %s",
                 web_label(w, e->label, e->name, label, sizeof label), web_word(w, "New"));
        snprintf(action, sizeof action, "/e/%s/new", e->name);
    }
    html h = HTML_INIT;
    web_page_begin(w, &h, title);
    if (f && f->n && !duplicate) {
        html_open(&h, "div", "class", "error", "role", "alert", "id", "problems", HTML_END);
        html_el(&h, "p", web_word(w, "Please correct the marked fields."), HTML_END);
        html_open(&h, "ul", HTML_END);
        for (size_t i = 0; i < f->n; i++)
            html_el(&h, "li", f->items[i].message, HTML_END);
        html_close(&h, "ul");
        html_close(&h, "div");
    }
    if (duplicate) candidates(w, &h, rec, f);
    html_open(&h, "form", "method", "post", "action", action, "novalidate", "", "class", "record",
              HTML_END);
    web_csrf_input(w, &h);
    const char *back =
        safe_back(w->post ? web_form_get(&w->form, "_back") : srv_arg(w->r, "_back"));
    if (back) html_open(&h, "input", "type", "hidden", "name", "_back", "value", back, HTML_END);
    long long version = 0;
    char vtext[32];
    kt_error verr;
    const char *kept = w->post ? web_form_get(&w->form, "_version") : NULL;
    if (id && !kept && !kt_record_version(w->ws, id, &version, &verr)) {
        snprintf(vtext, sizeof vtext, "%lld", version);
        kept = vtext;
    }
    if (id && kept)
        html_open(&h, "input", "type", "hidden", "name", "_version", "value", kept, HTML_END);
    for (size_t i = 0; i < e->nfields; i++) {
        const kt_field *fd = &e->fields[i];
        char err_id[96];
        int group = fd->kind == KT_TYPE_SET;
        html_open(&h, group ? "fieldset" : "div", "class", "field", HTML_END);
        html_open(&h, group ? "legend" : "label", "for", group ? NULL : fd->name, HTML_END);
        html_text(&h, web_field_label(w, fd, label, sizeof label));
        if (fd->required) {
            html_text(&h, " ");
            html_el(&h, "abbr", "*", "title", web_word(w, "required"), "class", "req", HTML_END);
        }
        html_close(&h, group ? "legend" : "label");
        html part = HTML_INIT;
        field_errors(&part, f, fd->name, err_id, sizeof err_id);
        input(w, &h, fd, rec, err_id);
        html_append(&h, &part);
        html_close(&h, group ? "fieldset" : "div");
    }
    html_el(&h, "button", web_word(w, "Save"), "type", "submit", "id", "save", HTML_END);
    if (duplicate && web_may(w, KT_ACT_MERGE, e->name))
        html_el(&h, "button", web_word(w, "Save anyway"), "type", "submit", "name",
                "_allow_duplicate", "value", "1", "id", "save-anyway", HTML_END);
    html_close(&h, "form");
    web_page_end(w, &h);
    return web_send(w, &h, status);
}

/* A new record's starting values: the defaults, then what the link says (?person=12). */
static void start_values(web_req *w, const kt_entity *e, kt_record *rec)
{
    for (size_t i = 0; i < e->nfields; i++) {
        const kt_field *f = &e->fields[i];
        const char *given = srv_arg(w->r, f->name);
        const char *v = given ? given : f->default_value;
        if (!v) continue;
        if (f->kind == KT_TYPE_SET)
            kt_record_set_csv(rec, f->name, v, NULL);
        else
            kt_record_set(rec, f->name, v, NULL);
    }
}

static int is_duplicate(const kt_failures *f)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->items[i].rule && !strcmp(f->items[i].rule, "duplicate")) return 1;
    return 0;
}

/* Has someone changed the record since the form was opened (its _version)? Two people editing
 * one client must not overwrite each other without knowing. */
static int changed_since(web_req *w, kt_id id, kt_failures *f)
{
    const char *want = web_form_get(&w->form, "_version");
    long long now = 0;
    kt_error err;
    if (!want || kt_record_version(w->ws, id, &now, &err) || now == strtoll(want, NULL, 10))
        return 0;
    kt_failures_add(f, KT_SEVERITY_ERROR, NULL, NULL, "version",
                    web_word(w, "Someone changed this record since you opened it: open it "
                                "again and reapply your change."));
    return 1;
}

static enum MHD_Result save(web_req *w, const kt_entity *e, kt_id id)
{
    kt_record *rec = kt_record_new(e->name);
    if (!rec) return web_fail(w, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    rec->id = id;
    kt_error err;
    kt_failures f;
    kt_failures_init(&f);
    const char *allow = web_form_get(&w->form, "_allow_duplicate");
    kt_save_opts o = {.allow_duplicate = id || (allow && !strcmp(allow, "1") &&
                                                web_may(w, KT_ACT_MERGE, e->name))};
    enum MHD_Result res;
    kt_status st = form_record(w, e, id != 0, rec, &err);
    if (!st && id && changed_since(w, id, &f))
        st = kt_error_set(&err, KT_INVALID, "the record changed meanwhile");
    if (!st) st = kt_save(w->ws, rec, &o, &f, &err);
    if (!st && !o.allow_duplicate) st = kt_dupes_queue_similar(w->ws, rec, "web", &err);
    if (st == KT_CONSTRAINT && is_duplicate(&f)) {
        res = form_page(w, e, id, rec, &f, 1, MHD_HTTP_CONFLICT);
    } else if (st == KT_INVALID || st == KT_USAGE || st == KT_CONSTRAINT) {
        if (!f.n) kt_failures_add(&f, KT_SEVERITY_ERROR, NULL, NULL, NULL, err.message);
        res = form_page(w, e, id, rec, &f, 0, MHD_HTTP_UNPROCESSABLE_CONTENT);
    } else if (st == KT_DENIED) {
        res = web_fail(w, MHD_HTTP_FORBIDDEN, err.message);
    } else if (st) {
        srv_log_error(w->r, &err);
        res = web_fail(w, srv_http_status(st), "the record could not be saved");
    } else {
        char href[128];
        const char *back = safe_back(web_form_get(&w->form, "_back"));
        snprintf(href, sizeof href, "/e/%s/%lld", e->name, rec->id);
        res = web_redirect(w, back ? back : href, NULL);
    }
    kt_failures_free(&f);
    kt_record_free(rec);
    return res;
}

static enum MHD_Result lifecycle(web_req *w, const char *entity, kt_id id, const char *what)
{
    if (!w->post) return web_fail(w, MHD_HTTP_METHOD_NOT_ALLOWED, "POST");
    kt_error err;
    kt_status st;
    char href[128];
    snprintf(href, sizeof href, "/e/%s/%lld", entity, id);
    if (!strcmp(what, "merge")) {
        const char *other = web_form_get(&w->form, "other");
        kt_id loser = other ? kt_id_parse(other) : 0;
        char source[KT_AUTH_SOURCE_MAX + 16], of[64];
        if (!loser || loser == id || kt_ws_entity_of(w->ws, loser, of, sizeof of, &err) ||
            strcmp(of, entity) != 0)
            return web_fail(w, MHD_HTTP_BAD_REQUEST, "merge: name another record of this kind");
        st = kt_merge(w->ws, id, &loser, 1, kt_auth_source(w->ws, "merge", source, sizeof source),
                      &err);
    } else {
        kt_save_opts o = {0};
        st = what[0] == 'a' ? kt_archive(w->ws, id, &o, &err) : kt_restore(w->ws, id, &o, &err);
    }
    if (st == KT_DENIED) return web_fail(w, MHD_HTTP_FORBIDDEN, err.message);
    if (st) return web_fail(w, srv_http_status(st), err.message);
    return web_redirect(w, href, NULL);
}

enum MHD_Result web_record(web_req *w, const char *entity)
{
    const kt_entity *e = kt_registry_entity(kt_ws_registry(w->ws), entity);
    const char *what = w->seg[2];
    if (!strcmp(what, "new") && w->nseg == 3) {
        if (!web_may(w, KT_ACT_WRITE, entity))
            return web_fail(w, MHD_HTTP_FORBIDDEN, "your role may not add records");
        if (w->post) return save(w, e, 0);
        kt_record *rec = kt_record_new(entity);
        if (!rec) return web_fail(w, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
        start_values(w, e, rec);
        enum MHD_Result res = form_page(w, e, 0, rec, NULL, 0, MHD_HTTP_OK);
        kt_record_free(rec);
        return res;
    }
    kt_id id = kt_id_parse(what);
    char of[64];
    kt_error err;
    if (!id || kt_ws_entity_of(w->ws, id, of, sizeof of, &err) || strcmp(of, entity) != 0)
        return web_fail(w, MHD_HTTP_NOT_FOUND, web_word(w, "There is no such page."));
    if (w->nseg == 3) return web_card(w, entity, id);
    const char *action = w->seg[3];
    if (w->nseg == 4 && !strcmp(action, "edit")) {
        if (!web_may(w, KT_ACT_WRITE, entity))
            return web_fail(w, MHD_HTTP_FORBIDDEN, "your role may not change records");
        if (w->post) return save(w, e, id);
        kt_record *rec = NULL;
        if (kt_get(w->ws, id, &rec, &err))
            return web_fail(w, srv_http_status(err.code), err.message);
        enum MHD_Result res = form_page(w, e, id, rec, NULL, 0, MHD_HTTP_OK);
        kt_record_free(rec);
        return res;
    }
    if (w->nseg == 4 &&
        (!strcmp(action, "archive") || !strcmp(action, "restore") || !strcmp(action, "merge")))
        return lifecycle(w, entity, id, action);
    if (w->nseg == 4 && !strcmp(entity, "person") && !strcmp(action, "erase"))
        return web_erase(w, id);
    return web_fail(w, MHD_HTTP_NOT_FOUND, web_word(w, "There is no such page."));
}
