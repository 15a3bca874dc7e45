/* The web face's requests: the path cut into parts, the browser's session (a cookie) and, for
 * every POST, the CSRF token the page's own forms carry; then the page. A visitor without a
 * session sees the login page and nothing else. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "web.h"

static int split(web_req *w, const char *url)
{
    if (*url == '/') url++;
    if (strlen(url) >= sizeof w->segbuf) return 0;
    strcpy(w->segbuf, url);
    return srv_split_path(w->segbuf, w->seg, WEB_MAX_SEGS, &w->nseg);
}

static void set_language(web_req *w)
{
    const char *l = kt_ws_setting(w->ws, "language");
    static const char *const known[] = {"en", "pl", "ru", "fa"};
    snprintf(w->lang, sizeof w->lang, "en");
    for (size_t i = 0; l && i < sizeof known / sizeof *known; i++)
        if (!strcmp(l, known[i])) snprintf(w->lang, sizeof w->lang, "%s", known[i]);
}

/* The session of the cookie, with its CSRF token: from the form on a POST (another site cannot
 * know it), from the second cookie on a GET (to put into the page's forms). */
static kt_status authenticate(web_req *w, kt_error *err)
{
    const char *id = MHD_lookup_connection_value(w->r->conn, MHD_COOKIE_KIND, "kt_session");
    const char *csrf = w->post
                           ? web_form_get(&w->form, "_csrf")
                           : MHD_lookup_connection_value(w->r->conn, MHD_COOKIE_KIND, "kt_csrf");
    if (!id) return kt_error_set(err, KT_DENIED, "log in");
    if (!csrf || strlen(csrf) >= sizeof w->csrf) csrf = "";
    kt_status st = kt_session_check(w->ws, id, csrf, &w->actor, err);
    if (st == KT_DENIED && w->post && kt_session_check(w->ws, id, NULL, &w->actor, err) == KT_OK)
        w->r->forged = 1;
    if (st) return st;
    snprintf(w->csrf, sizeof w->csrf, "%s", csrf);
    snprintf(w->r->who, sizeof w->r->who, "%s", w->actor.source);
    w->logged_in = 1;
    return kt_auth_set_actor(w->ws, &w->actor, err);
}

static enum MHD_Result page(web_req *w)
{
    const char *first = w->nseg ? w->seg[0] : "";
    if (!strcmp(first, "static")) return web_static(w);
    if (!strcmp(first, "login")) return web_login(w);
    kt_error err;
    kt_status st = authenticate(w, &err);
    if (st == KT_DENIED && w->r->forged)
        return web_fail(w, MHD_HTTP_FORBIDDEN,
                        web_word(w, "This form has expired: open the page again."));
    if (st == KT_DENIED) return web_redirect(w, "/login", NULL);
    if (st) {
        srv_log_error(w->r, &err);
        return web_fail(w, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error");
    }
    /* each user has their own budget, counted once they are known */
    if (!srv_rate_ok(w->r))
        return web_fail(w, MHD_HTTP_TOO_MANY_REQUESTS,
                        web_word(w, "Too many requests: slow down."));
    if (!strcmp(first, "")) return web_today(w);
    if (!strcmp(first, "logout")) return web_logout(w);
    if (!strcmp(first, "find")) return web_find(w);
    if (!strcmp(first, "board")) return web_board(w);
    if (!strcmp(first, "reports")) return web_reports(w);
    if (!strcmp(first, "import")) return web_import(w);
    if (!strcmp(first, "dupes")) return web_dupes(w);
    if (!strcmp(first, "settings")) return web_settings(w);
    if (!strcmp(first, "e") && w->nseg >= 2) {
        const char *entity = w->seg[1];
        if (!kt_registry_entity(kt_ws_registry(w->ws), entity))
            return web_fail(w, MHD_HTTP_NOT_FOUND, web_word(w, "There is no such page."));
        if (w->nseg == 2) return web_list(w, entity);
        return web_record(w, entity);
    }
    return web_fail(w, MHD_HTTP_NOT_FOUND, web_word(w, "There is no such page."));
}

enum MHD_Result srv_web(srv_req *r, const char *url)
{
    web_req *w = kt_calloc(1, sizeof *w);
    if (!w) return MHD_NO;
    w->r = r;
    w->post = !strcmp(r->method, "POST");
    kt_error err;
    enum MHD_Result res;
    if (!(w->ws = srv_worker_ws(r->cfg, &err))) {
        srv_log_error(r, &err);
        res = srv_reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "the workspace cannot be opened",
                              NULL);
        goto out;
    }
    set_language(w);
    if (!split(w, url)) {
        res = web_fail(w, MHD_HTTP_NOT_FOUND, web_word(w, "There is no such page."));
    } else if (r->too_large) {
        res = web_fail(w, MHD_HTTP_CONTENT_TOO_LARGE, web_word(w, "The file is too large."));
    } else if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD") && !w->post) {
        res = web_fail(w, MHD_HTTP_METHOD_NOT_ALLOWED, "GET or POST");
    } else if (w->post && web_form_parse(w, &err)) {
        res = web_fail(w, MHD_HTTP_BAD_REQUEST, web_word(w, "The form could not be read."));
    } else {
        srv_pii_log_begin(r, w->ws);
        res = page(w);
        srv_pii_log_end(r, w->ws);
    }
    static const kt_actor nobody = {"-", KT_ROLE_VIEWER, "web:-"};
    kt_auth_set_actor(w->ws, &nobody, NULL);
out:
    web_form_free(&w->form);
    memset(w->csrf, 0, sizeof w->csrf);
    kt_free(w);
    return res;
}
