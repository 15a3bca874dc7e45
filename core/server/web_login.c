/* Log in (a form with user and password, named so password managers find them) and out. The
 * session cookie is HttpOnly and SameSite=Lax (Secure under TLS); a second cookie carries the
 * session's CSRF token to the server's pages, which put it into every form. The login form has
 * its own token before any session exists (a cookie and a hidden field that must match), so
 * another site cannot log a browser in under an account of its choosing (login CSRF). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "web.h"

#define LOGIN_TOKEN_HEX 65 /* 32 random bytes in hex, and the end */

static int is_token(const char *text)
{
    return text && strlen(text) == LOGIN_TOKEN_HEX - 1 &&
           strspn(text, "0123456789abcdef") == LOGIN_TOKEN_HEX - 1;
}

static enum MHD_Result form(web_req *w, const char *user, const char *problem, unsigned status)
{
    /* The browser's token stays while it has one: a second login page loaded behind the
     * first (the favicon's redirect, another tab) must not void the form on screen. */
    const char *had = MHD_lookup_connection_value(w->r->conn, MHD_COOKIE_KIND, "kt_login");
    char token[LOGIN_TOKEN_HEX], cookie[256];
    if (is_token(had)) {
        memcpy(token, had, sizeof token);
    } else {
        unsigned char secret[32];
        randombytes_buf(secret, sizeof secret);
        sodium_bin2hex(token, sizeof token, secret, sizeof secret);
        sodium_memzero(secret, sizeof secret);
    }
    snprintf(cookie, sizeof cookie, "kt_login=%s; Path=/login; HttpOnly; SameSite=Strict%s", token,
             w->r->cfg->tls_cert ? "; Secure" : "");
    const char *headers[] = {MHD_HTTP_HEADER_SET_COOKIE, cookie, NULL};
    html h = HTML_INIT;
    web_page_begin(w, &h, web_word(w, "Log in"));
    if (problem) html_el(&h, "p", problem, "class", "error", "role", "alert", HTML_END);
    html_open(&h, "form", "method", "post", "action", "/login", "class", "login", HTML_END);
    html_open(&h, "input", "type", "hidden", "name", "_login", "value", token, HTML_END);
    html_el(&h, "label", web_word(w, "User"), "for", "user", HTML_END);
    html_open(&h, "input", "id", "user", "name", "user", "value", user, "autocomplete", "username",
              "required", "", "autofocus", "", HTML_END);
    html_el(&h, "label", web_word(w, "Password"), "for", "password", HTML_END);
    html_open(&h, "input", "id", "password", "name", "password", "type", "password", "autocomplete",
              "current-password", "required", "", HTML_END);
    html_el(&h, "button", web_word(w, "Log in"), "type", "submit", HTML_END);
    html_close(&h, "form");
    web_page_end(w, &h);
    return web_send_with(w, &h, status, headers);
}

/* Did the form come from our login page in this browser: its hidden token the cookie's? */
static int login_token_ok(web_req *w)
{
    const char *field = web_form_get(&w->form, "_login");
    const char *cookie = MHD_lookup_connection_value(w->r->conn, MHD_COOKIE_KIND, "kt_login");
    return is_token(cookie) && field && strlen(field) == LOGIN_TOKEN_HEX - 1 &&
           sodium_memcmp(field, cookie, LOGIN_TOKEN_HEX - 1) == 0;
}

enum MHD_Result web_login(web_req *w)
{
    if (!w->post) return form(w, NULL, NULL, MHD_HTTP_OK);
    if (!login_token_ok(w))
        return form(w, web_form_get(&w->form, "user"),
                    web_word(w, "The form has expired; please log in again."), MHD_HTTP_FORBIDDEN);
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
    const char *headers[] = {MHD_HTTP_HEADER_SET_COOKIE,
                             c1,
                             MHD_HTTP_HEADER_SET_COOKIE,
                             c2,
                             MHD_HTTP_HEADER_SET_COOKIE,
                             "kt_login=; Path=/login; HttpOnly; SameSite=Strict; Max-Age=0",
                             NULL};
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
