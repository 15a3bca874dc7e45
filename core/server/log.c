/* The access log on stderr: one line per request — time, who, method, path, status, ms — and
 * never a password, a token, a query string or a field value; and the request's frame for the
 * workspace's log of personal data shown (kt_pii_access). */
#include <stdio.h>

#include "kartoteka/store.h"
#include "server.h"

void srv_log_request(const srv_req *r)
{
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    double ms = (double)(end.tv_sec - r->start.tv_sec) * 1e3 +
                (double)(end.tv_nsec - r->start.tv_nsec) / 1e6;
    char now[32];
    kt_store_now(now);
    fprintf(stderr, "%s %s %s %s %u %.1fms\n", now, r->who, r->method, r->path, r->status, ms);
}

void srv_log_error(const srv_req *r, const kt_error *err)
{
    fprintf(stderr, "kt: %s %s: %s\n", r->method, r->path, err->message);
}

void srv_pii_log_begin(const srv_req *r, kt_ws *ws)
{
    char route[sizeof r->method + sizeof r->path + 1];
    snprintf(route, sizeof route, "%s %s", r->method, r->path);
    kt_error err;
    if (kt_pii_access_begin(ws, route, &err)) srv_log_error(r, &err);
}

void srv_pii_log_end(const srv_req *r, kt_ws *ws)
{
    kt_error err;
    if (kt_pii_access_end(ws, &err)) srv_log_error(r, &err);
}
