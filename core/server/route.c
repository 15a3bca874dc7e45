/* Requests: the body gathered up to its limit, the path checked and cut into parts, the caller
 * authenticated, then the resource called. Every request ends with one access log line. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "server.h"
#include "web.h"

#define API_PREFIX "/api/v1"

static atomic_int in_flight;

int srv_in_flight(void)
{
    return atomic_load(&in_flight);
}

const char *srv_arg(const srv_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* The path for the log: printable ASCII only, so no one can forge log lines through it. */
static void log_path(char *out, size_t size, const char *url)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)url; *p && n + 1 < size; p++)
        out[n++] = *p > 0x20 && *p < 0x7f ? (char)*p : '?';
    out[n] = '\0';
}

int srv_split_path(char *buf, const char **seg, size_t max, size_t *n)
{
    *n = 0;
    if (!buf[0]) return 1;
    size_t len = strlen(buf);
    if (buf[len - 1] == '/') buf[--len] = '\0'; /* one trailing slash is forgiven */
    for (char *p = buf, *next; p; p = next) {
        next = strchr(p, '/');
        if (next) *next++ = '\0';
        if (!*p || !strcmp(p, ".") || !strcmp(p, "..") || *n == max) return 0;
        for (const char *c = p; *c; c++) {
            int ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                     (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' || *c == '.';
            if (!ok) return 0;
        }
        seg[(*n)++] = p;
    }
    return 1;
}

/* Cuts the path after /api/v1 into parts; 0 when a part is empty, "." or "..", or holds
 * anything but letters, digits, '_', '-' and '.'. */
static int split_path(srv_req *r, const char *url)
{
    size_t plen = strlen(API_PREFIX);
    if (strncmp(url, API_PREFIX, plen) != 0 || (url[plen] && url[plen] != '/')) return 0;
    const char *rest = url + plen;
    if (*rest == '/') rest++;
    if (strlen(rest) >= sizeof r->segbuf) return 0;
    strcpy(r->segbuf, rest);
    return srv_split_path(r->segbuf, r->seg, SRV_MAX_SEGS, &r->nseg);
}

static enum MHD_Result serve(srv_req *r);

static enum MHD_Result dispatch(srv_req *r, const char *url)
{
    size_t plen = strlen(API_PREFIX);
    if (strncmp(url, API_PREFIX, plen) != 0 || (url[plen] && url[plen] != '/'))
        return srv_web(r, url); /* the web face: every path outside the API */
    if (!split_path(r, url)) {
        int api = strncmp(url, API_PREFIX, strlen(API_PREFIX)) == 0;
        return srv_reply_error(
            r, api ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_NOT_FOUND,
            api ? "this path is not allowed" : "not found: the API is under /api/v1", NULL);
    }
    kt_error err;
    if (!(r->ws = srv_worker_ws(r->cfg, &err))) {
        srv_log_error(r, &err);
        return srv_reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "the workspace cannot be opened",
                               NULL);
    }
    enum MHD_Result res;
    int is_session = r->nseg == 1 && !strcmp(r->seg[0], "session") && !r->too_large;
    kt_status st = is_session ? KT_OK : srv_authenticate(r, &err);
    if (st == KT_DENIED)
        return srv_reply_error(r, r->forged ? MHD_HTTP_FORBIDDEN : MHD_HTTP_UNAUTHORIZED,
                               err.message, NULL);
    if (st) return srv_reply_status(r, &err, NULL);
    if (!is_session && !srv_rate_ok(r)) {
        static const char *const retry[] = {MHD_HTTP_HEADER_RETRY_AFTER, "1", NULL};
        res = srv_reply_json(
            r, MHD_HTTP_TOO_MANY_REQUESTS,
            srv_error_body(MHD_HTTP_TOO_MANY_REQUESTS, "too many requests: slow down", NULL, NULL),
            retry);
    } else {
        srv_pii_log_begin(r, r->ws);
        res = is_session ? srv_session(r) : serve(r);
        srv_pii_log_end(r, r->ws);
    }
    /* Between requests a worker acts for nobody with rights: a request always sets its own. */
    static const kt_actor nobody = {"-", KT_ROLE_VIEWER, "api:-"};
    kt_auth_set_actor(r->ws, &nobody, NULL);
    return res;
}

static enum MHD_Result serve(srv_req *r)
{
    if (r->too_large) {
        char msg[96];
        snprintf(msg, sizeof msg, "the request body is larger than %zu bytes", r->cfg->max_body);
        return srv_reply_error(r, MHD_HTTP_CONTENT_TOO_LARGE, msg, NULL);
    }
    if (r->nseg == 0) return srv_reply_error(r, MHD_HTTP_NOT_FOUND, "name a resource", NULL);
    if (!strcmp(r->seg[0], "fields") && r->nseg == 1) return srv_fields(r);
    if (!strcmp(r->seg[0], "find") && r->nseg == 1) return srv_find(r);
    if (!strcmp(r->seg[0], "openapi.json") && r->nseg == 1) return srv_openapi(r);
    if (!strcmp(r->seg[0], "merge") && r->nseg == 1) return srv_merge(r);
    if (!strcmp(r->seg[0], "reports")) return srv_report(r);
    if (!strcmp(r->seg[0], "dupes") && r->nseg == 3) return srv_dupes_review(r);
    if (!strcmp(r->seg[0], "dupes")) return srv_dupes(r);
    if (!strcmp(r->seg[0], "import") && r->nseg == 1) return srv_import(r);
    return srv_records(r);
}

enum MHD_Result srv_handle(void *cls, struct MHD_Connection *conn, const char *url,
                           const char *method, const char *version, const char *upload,
                           size_t *upload_size, void **state)
{
    (void)version;
    srv_req *r = *state;
    if (!r) {
        if (!(r = kt_calloc(1, sizeof *r))) return MHD_NO;
        atomic_fetch_add(&in_flight, 1);
        clock_gettime(CLOCK_MONOTONIC, &r->start);
        r->conn = conn;
        r->cfg = cls;
        snprintf(r->method, sizeof r->method, "%s", method);
        r->body.max = r->cfg->max_body;
        snprintf(r->who, sizeof r->who, "-");
        log_path(r->path, sizeof r->path, url);
        *state = r;
        /* a body announced too large is refused before it is read */
        const char *length =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (length && strtoull(length, NULL, 10) > r->cfg->max_body) r->too_large = 1;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!r->too_large && kt_buf_append(&r->body, upload, *upload_size, NULL)) r->too_large = 1;
        *upload_size = 0;
        return MHD_YES;
    }
    return dispatch(r, url);
}

void srv_completed(void *cls, struct MHD_Connection *conn, void **state,
                   enum MHD_RequestTerminationCode how)
{
    (void)cls;
    (void)conn;
    srv_req *r = *state;
    if (!r) return;
    if (how != MHD_REQUEST_TERMINATED_COMPLETED_OK && !r->status) r->status = 499;
    srv_log_request(r);
    kt_buf_free(&r->body);
    kt_free(r);
    *state = NULL;
    atomic_fetch_sub(&in_flight, 1);
}
