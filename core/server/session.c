/* POST /session logs a user in with name and password: an HttpOnly, SameSite=Lax cookie (Secure
 * under TLS) and the CSRF token the browser's state-changing requests must send back in
 * X-CSRF-Token. DELETE /session logs out. */
#include <stdio.h>
#include <string.h>

#include "server.h"

#define COOKIE "kt_session"

static enum MHD_Result login(srv_req *r)
{
    cJSON *j = r->body.len ? cJSON_ParseWithLength(r->body.data, r->body.len) : NULL;
    const cJSON *name = cJSON_GetObjectItem(j, "name"), *pass = cJSON_GetObjectItem(j, "password");
    if (!cJSON_IsString(name) || !cJSON_IsString(pass)) {
        cJSON_Delete(j);
        return srv_reply_error(r, MHD_HTTP_BAD_REQUEST, "send {\"name\": ..., \"password\": ...}",
                               NULL);
    }
    char id[KT_SESSION_TEXT_MAX], csrf[KT_SESSION_TEXT_MAX];
    kt_actor a;
    kt_error err;
    kt_status st = kt_session_open(r->ws, name->valuestring, pass->valuestring, id, csrf, &a, &err);
    cJSON_Delete(j);
    if (st == KT_LIMIT) {
        const char *retry[] = {MHD_HTTP_HEADER_RETRY_AFTER, "900", NULL};
        return srv_reply_json(r, MHD_HTTP_TOO_MANY_REQUESTS,
                              srv_error_body(MHD_HTTP_TOO_MANY_REQUESTS, err.message, NULL, NULL),
                              retry);
    }
    if (st == KT_DENIED) return srv_reply_error(r, MHD_HTTP_UNAUTHORIZED, err.message, NULL);
    if (st) return srv_reply_status(r, &err, NULL);
    snprintf(r->who, sizeof r->who, "%s", a.source);
    char cookie[256];
    snprintf(cookie, sizeof cookie, "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s", COOKIE,
             id, KT_SESSION_MAX_AGE, r->cfg->tls_cert ? "; Secure" : "");
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "user", a.name);
    cJSON_AddStringToObject(o, "role", kt_role_name(a.role));
    cJSON_AddStringToObject(o, "csrf_token", csrf);
    const char *headers[] = {MHD_HTTP_HEADER_SET_COOKIE, cookie, NULL};
    enum MHD_Result res = srv_reply_json(r, MHD_HTTP_CREATED, o, headers);
    memset(id, 0, sizeof id);
    memset(csrf, 0, sizeof csrf);
    memset(cookie, 0, sizeof cookie);
    return res;
}

static enum MHD_Result logout(srv_req *r)
{
    kt_error err;
    kt_status st = srv_authenticate(r, &err);
    if (st == KT_DENIED) return srv_reply_error(r, MHD_HTTP_UNAUTHORIZED, err.message, NULL);
    const char *id = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, COOKIE);
    if (st || (st = kt_session_close(r->ws, id, &err))) return srv_reply_status(r, &err, NULL);
    char cookie[128];
    snprintf(cookie, sizeof cookie, "%s=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0", COOKIE);
    const char *headers[] = {MHD_HTTP_HEADER_SET_COOKIE, cookie, NULL};
    return srv_reply_json(r, MHD_HTTP_OK, cJSON_CreateObject(), headers);
}

enum MHD_Result srv_session(srv_req *r)
{
    if (!strcmp(r->method, "POST")) return login(r);
    if (!strcmp(r->method, "DELETE")) return logout(r);
    return srv_reply_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "use POST to log in, DELETE to log out",
                           NULL);
}
