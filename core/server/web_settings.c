/* Settings (the owner's): the field registry with "add a field" (the same as `kt field add`),
 * users and tokens. The core checks the role again on every change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/config.h"
#include "web.h"

static const char *const types[] = {"text", "integer", "decimal", "date",  "datetime", "bool",
                                    "enum", "set",     "email",   "phone", "url",      "ref"};
static const char *const roles[] = {"viewer", "staff", "manager", "owner"};

static void select_of(html *h, const char *id, const char *const *opts, size_t n)
{
    html_open(h, "select", "id", id, "name", id, HTML_END);
    for (size_t i = 0; i < n; i++)
        html_el(h, "option", opts[i], "value", opts[i], HTML_END);
    html_close(h, "select");
}

static void labelled(html *h, const char *label, const char *id, const char *type)
{
    html_el(h, "label", label, "for", id, HTML_END);
    html_open(h, "input", "id", id, "name", id, "type", type, HTML_END);
}

static int on_user(void *ud, const kt_user_info *u)
{
    html *h = ud;
    html_open(h, "tr", HTML_END);
    html_el(h, "td", u->name, HTML_END);
    html_el(h, "td", kt_role_name(u->role), HTML_END);
    html_el(h, "td", u->disabled ? "disabled" : "active", HTML_END);
    html_close(h, "tr");
    return 0;
}

typedef struct tokens {
    web_req *w;
    html *h;
} tokens;

static int on_token(void *ud, const kt_token_info *t)
{
    tokens *x = ud;
    html_open(x->h, "tr", HTML_END);
    html_el(x->h, "td", t->name, HTML_END);
    html_el(x->h, "td", kt_role_name(t->role), HTML_END);
    html_el(x->h, "td", t->expires, HTML_END);
    html_el(x->h, "td", t->state, HTML_END);
    html_open(x->h, "td", HTML_END);
    if (!strcmp(t->state, "active")) {
        const char *hidden[] = {"name", t->name, NULL};
        web_button_form(x->w, x->h, "/settings/revoke", "revoke", hidden);
    }
    html_close(x->h, "td");
    html_close(x->h, "tr");
    return 0;
}

static enum MHD_Result page(web_req *w, const char *message, const char *token)
{
    html h = HTML_INIT;
    kt_error err;
    char label[128], full[160];
    web_page_begin(w, &h, web_word(w, "Settings"));
    if (message) html_el(&h, "p", message, "role", "alert", "class", "notice", HTML_END);
    if (token) {
        html_el(&h, "p", "The token, shown once:", HTML_END);
        html_el(&h, "code", token, "id", "token", HTML_END);
    }
    html_el(&h, "h2", web_word(w, "Add a field"), HTML_END);
    html_open(&h, "form", "method", "post", "action", "/settings/field", "class", "record",
              HTML_END);
    web_csrf_input(w, &h);
    const kt_registry *reg = kt_ws_registry(w->ws);
    const char *ents[64];
    size_t ne = 0;
    for (size_t i = 0; i < kt_registry_entity_count(reg) && ne < 64; i++)
        ents[ne++] = kt_registry_entity_at(reg, i)->name;
    html_el(&h, "label", "entity", "for", "entity", HTML_END);
    select_of(&h, "entity", ents, ne);
    labelled(&h, "name", "name", "text");
    html_el(&h, "label", "type", "for", "type", HTML_END);
    select_of(&h, "type", types, sizeof types / sizeof *types);
    labelled(&h, "options (a, b, c)", "options", "text");
    labelled(&h, "label", "label", "text");
    labelled(&h, "ref", "ref", "text");
    html_open(&h, "span", "class", "check", HTML_END);
    html_open(&h, "input", "type", "checkbox", "id", "required", "name", "required", "value", "1",
              HTML_END);
    html_el(&h, "label", web_word(w, "required"), "for", "required", HTML_END);
    html_close(&h, "span");
    html_el(&h, "button", web_word(w, "Add a field"), "type", "submit", HTML_END);
    html_close(&h, "form");

    html_el(&h, "h2", web_word(w, "Fields"), HTML_END);
    html_open(&h, "table", "id", "fields", HTML_END);
    for (size_t i = 0; i < kt_registry_entity_count(reg); i++) {
        const kt_entity *e = kt_registry_entity_at(reg, i);
        for (size_t k = 0; k < e->nfields; k++) {
            const kt_field *f = &e->fields[k];
            snprintf(full, sizeof full, "%s.%s", e->name, f->name);
            html_open(&h, "tr", HTML_END);
            html_el(&h, "td", full, HTML_END);
            html_el(&h, "td", web_field_label(w, f, label, sizeof label), HTML_END);
            html_el(&h, "td", f->type, HTML_END);
            html_el(&h, "td", f->required ? web_word(w, "required") : "", HTML_END);
            html_el(&h, "td", f->origin, HTML_END);
            html_close(&h, "tr");
        }
    }
    html_close(&h, "table");

    html_el(&h, "h2", web_word(w, "Users"), HTML_END);
    html_open(&h, "table", "id", "users", HTML_END);
    if (kt_user_list(w->ws, on_user, &h, &err)) srv_log_error(w->r, &err);
    html_close(&h, "table");
    html_open(&h, "form", "method", "post", "action", "/settings/user", HTML_END);
    web_csrf_input(w, &h);
    labelled(&h, web_word(w, "User"), "user_name", "text");
    html_el(&h, "label", "role", "for", "role", HTML_END);
    select_of(&h, "role", roles, 4);
    html_el(&h, "label", web_word(w, "Password"), "for", "new_password", HTML_END);
    html_open(&h, "input", "id", "new_password", "name", "new_password", "type", "password",
              "autocomplete", "new-password", HTML_END);
    html_el(&h, "button", web_word(w, "Save"), "type", "submit", HTML_END);
    html_close(&h, "form");

    html_el(&h, "h2", web_word(w, "Tokens"), HTML_END);
    html_open(&h, "table", "id", "tokens", HTML_END);
    tokens x = {w, &h};
    if (kt_token_list(w->ws, on_token, &x, &err)) srv_log_error(w->r, &err);
    html_close(&h, "table");
    html_open(&h, "form", "method", "post", "action", "/settings/token", HTML_END);
    web_csrf_input(w, &h);
    labelled(&h, "token", "token_name", "text");
    html_el(&h, "label", "role", "for", "token_role", HTML_END);
    select_of(&h, "token_role", roles, 4);
    labelled(&h, "expires", "expires", "date");
    html_el(&h, "button", web_word(w, "Save"), "type", "submit", HTML_END);
    html_close(&h, "form");
    web_page_end(w, &h);
    return web_send(w, &h,
                    message && strcmp(message, web_word(w, "Saved."))
                        ? MHD_HTTP_UNPROCESSABLE_CONTENT
                        : MHD_HTTP_OK);
}

static kt_status add_field(web_req *w, kt_error *err)
{
    const char *entity = web_form_get(&w->form, "entity"), *name = web_form_get(&w->form, "name");
    const char *type = web_form_get(&w->form, "type"), *opts = web_form_get(&w->form, "options");
    const char *label = web_form_get(&w->form, "label"), *ref = web_form_get(&w->form, "ref");
    if (!entity || !name || !type || !kt_registry_valid_name(name))
        return kt_error_set(err, KT_USAGE,
                            "a field needs an entity, a name (a-z, 0-9, _) and a type");
    if (kt_config_field_where(w->ws, entity, name))
        return kt_error_set(err, KT_USAGE, "%s.%s is declared in kartoteka.lua: change it there",
                            entity, name);
    cJSON *props = cJSON_CreateObject();
    if (web_form_get(&w->form, "required")) cJSON_AddTrueToObject(props, "required");
    if (label && *label) cJSON_AddStringToObject(props, "label", label);
    if (ref && *ref) cJSON_AddStringToObject(props, "ref", ref);
    if (opts && *opts) {
        cJSON *a = cJSON_AddArrayToObject(props, "options");
        for (const char *p = opts; *p;) {
            size_t len = strcspn(p, ",");
            const char *s = p, *e = p + len;
            while (s < e && *s == ' ')
                s++;
            while (e > s && e[-1] == ' ')
                e--;
            char item[256];
            snprintf(item, sizeof item, "%.*s", (int)(e - s), s);
            if (*item) cJSON_AddItemToArray(a, cJSON_CreateString(item));
            p += len;
            if (*p) p++;
        }
    }
    char *text = cJSON_PrintUnformatted(props);
    cJSON_Delete(props);
    if (!text) return kt_error_set(err, KT_NOMEM, "out of memory");
    kt_field_decl d = {entity, name, type, text, "cli", 1};
    kt_status st = kt_ws_declare_field(w->ws, &d, err);
    cJSON_free(text);
    return st;
}

enum MHD_Result web_settings(web_req *w)
{
    if (!web_may(w, KT_ACT_FIELDS, NULL))
        return web_fail(w, MHD_HTTP_FORBIDDEN, "settings are the owner's");
    if (!w->post || w->nseg != 2) return page(w, NULL, NULL);
    const char *what = w->seg[1];
    kt_error err;
    kt_status st;
    char token[KT_TOKEN_TEXT_MAX] = "";
    kt_role role;
    if (!strcmp(what, "field")) {
        st = add_field(w, &err);
    } else if (!strcmp(what, "user")) {
        const char *name = web_form_get(&w->form, "user_name");
        const char *pass = web_form_get(&w->form, "new_password");
        st = kt_role_parse(web_form_get(&w->form, "role") ? web_form_get(&w->form, "role") : "",
                           &role, &err);
        if (!st) st = kt_user_add(w->ws, name ? name : "", role, pass ? pass : "", &err);
    } else if (!strcmp(what, "token")) {
        const char *name = web_form_get(&w->form, "token_name");
        const char *expires = web_form_get(&w->form, "expires");
        const char *r = web_form_get(&w->form, "token_role");
        st = kt_role_parse(r ? r : "", &role, &err);
        if (!st)
            st = kt_token_add(w->ws, name ? name : "", role, expires && *expires ? expires : NULL,
                              token, &err);
    } else if (!strcmp(what, "revoke")) {
        const char *name = web_form_get(&w->form, "name");
        st = kt_token_revoke(w->ws, name ? name : "", &err);
    } else {
        return web_fail(w, MHD_HTTP_NOT_FOUND, web_word(w, "There is no such page."));
    }
    enum MHD_Result res =
        page(w, st ? err.message : web_word(w, "Saved."), token[0] ? token : NULL);
    memset(token, 0, sizeof token);
    return res;
}
