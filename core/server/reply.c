/* Replies: JSON bodies with the headers every reply carries, and errors with the write door's
 * whole failure list. A reply never carries internal detail (paths, SQL, script lines). */
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "server.h"

unsigned srv_http_status(kt_status st)
{
    switch (st) {
    case KT_OK:
        return MHD_HTTP_OK;
    case KT_NOTFOUND:
        return MHD_HTTP_NOT_FOUND;
    case KT_INVALID:
        return MHD_HTTP_UNPROCESSABLE_CONTENT;
    case KT_CONSTRAINT:
    case KT_EXISTS:
        return MHD_HTTP_CONFLICT;
    case KT_DENIED:
        return MHD_HTTP_FORBIDDEN;
    case KT_USAGE:
        return MHD_HTTP_BAD_REQUEST;
    case KT_LIMIT:
        return MHD_HTTP_CONTENT_TOO_LARGE;
    case KT_BUSY:
    case KT_TIMEOUT:
        return MHD_HTTP_SERVICE_UNAVAILABLE;
    default:
        return MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
}

/* The headers every reply carries, and the reply queued. */
static enum MHD_Result queue(srv_req *r, unsigned status, struct MHD_Response *resp,
                             const char *type, const char *csp, const char *const *headers)
{
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Content-Security-Policy", csp);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (status == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                "Bearer realm=\"kartoteka\"");
    for (size_t i = 0; headers && headers[i] && headers[i + 1]; i += 2)
        MHD_add_response_header(resp, headers[i], headers[i + 1]);
    r->status = status;
    enum MHD_Result res = MHD_queue_response(r->conn, status, resp);
    MHD_destroy_response(resp);
    return res;
}

#define API_CSP "default-src 'none'; frame-ancestors 'none'"

enum MHD_Result srv_reply_json(srv_req *r, unsigned status, cJSON *body, const char *const *headers)
{
    char *text = body ? cJSON_PrintUnformatted(body) : NULL;
    cJSON_Delete(body);
    if (!text) {
        status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        text = cJSON_PrintUnformatted(NULL);
    }
    static const char oom[] = "{\"error\":{\"status\":500,\"message\":\"out of memory\"}}";
    struct MHD_Response *resp =
        text ? MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE)
             : MHD_create_response_from_buffer(sizeof oom - 1, (void *)oom, MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        cJSON_free(text);
        return MHD_NO;
    }
    return queue(r, status, resp, "application/json; charset=utf-8", API_CSP, headers);
}

enum MHD_Result srv_reply_buf(srv_req *r, unsigned status, const char *type, kt_buf *body)
{
    size_t len = body->len;
    char *data = kt_buf_take(body);
    if (!data) return srv_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory", NULL);
    struct MHD_Response *resp = MHD_create_response_from_buffer_with_free_callback(
        len, data, (MHD_ContentReaderFreeCallback)kt_free);
    if (!resp) {
        kt_free(data);
        return MHD_NO;
    }
    /* a page's own <style> may apply; nothing else loads */
    return queue(r, status, resp, type,
                 strncmp(type, "text/html", 9) ? API_CSP : API_CSP "; style-src 'unsafe-inline'",
                 NULL);
}

static cJSON *failure_json(const kt_failure *f)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "field", f->field ? cJSON_CreateString(f->field) : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "value", f->value ? cJSON_CreateString(f->value) : cJSON_CreateNull());
    cJSON_AddStringToObject(o, "rule", f->rule ? f->rule : "invalid");
    cJSON_AddStringToObject(o, "message", f->message);
    cJSON_AddStringToObject(o, "severity",
                            f->severity == KT_SEVERITY_WARNING ? "warning" : "error");
    return o;
}

cJSON *srv_error_body(unsigned status, const char *message, const kt_failures *failures,
                      cJSON **error)
{
    cJSON *body = cJSON_CreateObject(), *e = cJSON_AddObjectToObject(body, "error");
    cJSON_AddNumberToObject(e, "status", status);
    cJSON_AddStringToObject(e, "message", message);
    if (failures && failures->n) {
        cJSON *a = cJSON_AddArrayToObject(e, "failures");
        for (size_t i = 0; i < failures->n; i++)
            cJSON_AddItemToArray(a, failure_json(&failures->items[i]));
    }
    if (error) *error = e;
    return body;
}

enum MHD_Result srv_reply_error(srv_req *r, unsigned status, const char *message,
                                const kt_failures *failures)
{
    return srv_reply_json(r, status, srv_error_body(status, message, failures, NULL), NULL);
}

enum MHD_Result srv_reply_status(srv_req *r, const kt_error *err, const kt_failures *failures)
{
    unsigned status = srv_http_status(err->code);
    if (status == MHD_HTTP_INTERNAL_SERVER_ERROR) {
        srv_log_error(r, err);
        return srv_reply_error(r, status, "internal error (the server's log says more)", NULL);
    }
    if (err->code == KT_BUSY)
        return srv_reply_error(r, status, "the database is busy: try again", NULL);
    return srv_reply_error(r, status, err->message, failures);
}
