/* Log in (a form with user and password, named so password managers find them) and out. The
 * session cookie is HttpOnly and SameSite=Lax (Secure under TLS); a second cookie carries the
 * session's CSRF token to the server's pages, which put it into every form. */
#include <stdio.h>
#include <string.h>

#include "web.h"

static enum MHD_Result form(web_req *w, const char *user, const char *problem, unsigned status)
{
    html h = HTML_INIT;
    web_page_begin(w, &h, web_word(w, "Log in"));
    if (problem) html_el(&h, "p", problem, "class", "error", "role", "alert", HTML_END);
    html_open(&h, "form", "method", "post", "action", "/login", "class", "login", HTML_END);
    html_el(&h, "label", web_word(w, "User"), "for", "user", HTML_END);
    html_open(&h, "input", "id", "user", "name", "user", "value", user, "autocomplete", "username",
              "required", "", "autofocus", "", HTML_END);
    html_el(&h, "label", web_word(w, "Password"), "for", "password", HTML_END);
    html_open(&h, "input", "id", "password", "name", "password", "type", "password", "autocomplete",
              "current-password", "required", "", HTML_END);
    html_el(&h, "button", web_word(w, "Log in"), "type", "submit", HTML_END);
    html_close(&h, "form");
    web_page_end(w, &h);
    return web_send(w, &h, status);
}

enum MHD_Result web_login(web_req *w)
{
    if (!w->post) return form(w, NULL, NULL, MHD_HTTP_OK);
    const char *user = web_form_get(&w->form, "user"), *pass = web_form_get(&w->form, "password");
    char id[KT_SESSION_TEXT_MAX], csrf[KT_SESSION_TEXT_MAX];
    kt_actor a;
    kt_error err;
    kt_status st = kt_session_open(w->ws, user ? user : "", pass ? pass : "", id, csrf, &a, &err);
    if (st == KT_LIMIT) return form(w, user, err.message, MHD_HTTP_TOO_MANY_REQUESTS);
    if (st == KT_DENIED)
        return form(w, user, web_word(w, "Wrong name or password."), MHD_HTTP_UNAUTHORIZED);
    if (st) {
        srv_log_error(w->r, &err);
        return web_fail(w, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error");
    }
    snprintf(w->r->who, sizeof w->r->who, "%s", a.source);
    const char *secure = w->r->cfg->tls_cert ? "; Secure" : "";
    char c1[256], c2[256];
    snprintf(c1, sizeof c1, "kt_session=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s", id,
             KT_SESSION_MAX_AGE, secure);
    snprintf(c2, sizeof c2, "kt_csrf=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s", csrf,
             KT_SESSION_MAX_AGE, secure);
    const char *headers[] = {MHD_HTTP_HEADER_SET_COOKIE, c1, MHD_HTTP_HEADER_SET_COOKIE, c2, NULL};
    enum MHD_Result res = web_redirect(w, "/", headers);
    memset(id, 0, sizeof id);
    memset(csrf, 0, sizeof csrf);
    memset(c1, 0, sizeof c1);
    memset(c2, 0, sizeof c2);
    return res;
}

enum MHD_Result web_logout(web_req *w)
{
    if (!w->post) return web_redirect(w, "/", NULL);
    const char *id = MHD_lookup_connection_value(w->r->conn, MHD_COOKIE_KIND, "kt_session");
    kt_error err;
    if (kt_session_close(w->ws, id, &err)) srv_log_error(w->r, &err);
    static const char *const headers[] = {
        MHD_HTTP_HEADER_SET_COOKIE, "kt_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
        MHD_HTTP_HEADER_SET_COOKIE, "kt_csrf=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0", NULL};
    return web_redirect(w, "/login", headers);
}
