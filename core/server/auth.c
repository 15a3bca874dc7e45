/* Who asks: a bearer token in the Authorization header. Sessions for browsers come with the web
 * pages. The actor found is set on the worker's workspace, where the core checks it. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "server.h"

kt_status srv_authenticate(srv_req *r, kt_error *err)
{
    const char *h =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!h) return kt_error_set(err, KT_DENIED, "no credentials: send Authorization: Bearer TOKEN");
    if (strncasecmp(h, "Bearer ", 7) != 0)
        return kt_error_set(err, KT_DENIED, "only bearer tokens are accepted");
    const char *token = h + 7;
    while (*token == ' ')
        token++;
    kt_actor a;
    kt_status st = kt_token_check(r->ws, token, &a, err);
    if (st == KT_DENIED) return st;
    if (st) {
        srv_log_error(r, err);
        return kt_error_set(err, KT_INTERNAL, "the credentials could not be checked");
    }
    snprintf(r->who, sizeof r->who, "%s", a.source);
    return kt_auth_set_actor(r->ws, &a, err);
}
