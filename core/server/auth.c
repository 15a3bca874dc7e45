/* Who asks: a bearer token in the Authorization header. Sessions for browsers come with the web
 * pages. The actor found is set on the worker's workspace, where the core checks it. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "server.h"

/* Cookies travel with every request a browser makes, also those another site triggers: a
 * request that may change something must prove it comes from our page. */
static int changes_something(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

kt_status srv_authenticate(srv_req *r, kt_error *err)
{
    const char *h =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "kt_session");
    kt_actor a;
    kt_status st;
    if (h) {
        if (strncasecmp(h, "Bearer ", 7) != 0)
            return kt_error_set(err, KT_DENIED, "only bearer tokens are accepted");
        const char *token = h + 7;
        while (*token == ' ')
            token++;
        st = kt_token_check(r->ws, token, &a, err);
    } else if (cookie) {
        st = kt_session_check(r->ws, cookie, NULL, &a, err);
        if (!st && changes_something(r->method)) {
            /* a live session without its CSRF token: forged by another site, forbidden */
            const char *csrf =
                MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
            st = kt_session_check(r->ws, cookie, csrf ? csrf : "", &a, err);
            r->forged = st == KT_DENIED;
        }
    } else {
        return kt_error_set(err, KT_DENIED,
                            "no credentials: send Authorization: Bearer TOKEN, or log in");
    }
    if (st == KT_DENIED) return st;
    if (st) {
        srv_log_error(r, err);
        return kt_error_set(err, KT_INTERNAL, "the credentials could not be checked");
    }
    snprintf(r->who, sizeof r->who, "%s", a.source);
    return kt_auth_set_actor(r->ws, &a, err);
}
