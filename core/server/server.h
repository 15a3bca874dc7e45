/* kt serve: the HTTP JSON API over a workspace (issue 18). The server sits at the top beside
 * the command line: it authenticates (bearer tokens) and speaks HTTP; the core authorises every
 * read and write through the actor it is given. One file per job: listen.c (address, threads,
 * signals, the workers' workspaces), route.c (requests, paths, methods), auth.c (who asks),
 * reply.c (JSON replies and errors), log.c (the access log), records.c and meta.c (resources). */
#ifndef KT_SERVER_SERVER_H
#define KT_SERVER_SERVER_H

#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <time.h>

#include "kartoteka/auth.h"
#include "kartoteka/buf.h"
#include "kartoteka/save.h"

/* Opens the workspace in dir with its configuration (the command line's way). */
typedef kt_status (*srv_open_fn)(const char *dir, kt_ws **out, kt_error *err);

typedef struct srv_config {
    const char *listen; /* "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:0" (any free port) */
    int threads;        /* worker threads, each with its own connection to the database */
    const char *dir;    /* the workspace folder (borrowed) */
    srv_open_fn open_ws;
    size_t max_body;                /* largest request body in bytes */
    const char *tls_cert, *tls_key; /* PEM files: serve HTTPS; both NULL: plain HTTP */
    double rate; /* requests per second per caller (a burst of twice as many); 0: no limit */
    const char *const *script_dirs; /* Kartoteka's own scripts/ folders (reports), borrowed */
    size_t nscript_dirs;
} srv_config;

/* Serves until SIGTERM or SIGINT, then lets the requests in flight finish and closes every
 * worker's workspace. Says where it listens on stderr. */
kt_status srv_run(const srv_config *cfg, kt_error *err);

#define SRV_MAX_SEGS 6

/* One request, from its first byte to its log line. */
typedef struct srv_req {
    struct MHD_Connection *conn;
    const srv_config *cfg;
    kt_ws *ws;       /* the worker's workspace, borrowed */
    char method[16]; /* GET, POST, PATCH, ... */
    char path[256];  /* the path as logged: printable, cut */
    kt_buf body;
    int too_large;
    int forged; /* a session cookie without its CSRF token */
    unsigned status;
    char who[KT_AUTH_SOURCE_MAX + 1]; /* "api:shop-sync", or "-" */
    struct timespec start;
    const char *seg[SRV_MAX_SEGS]; /* the path's parts after /api/v1, pointing into segbuf */
    size_t nseg;
    char segbuf[256];
} srv_req;

/* listen.c: the calling thread's workspace, opened on its first request (NULL, err set, when
 * it cannot be opened). */
kt_ws *srv_worker_ws(const srv_config *cfg, kt_error *err);

/* route.c: MHD's access handler and completion callback. */
enum MHD_Result srv_handle(void *cls, struct MHD_Connection *conn, const char *url,
                           const char *method, const char *version, const char *upload,
                           size_t *upload_size, void **state);
void srv_completed(void *cls, struct MHD_Connection *conn, void **state,
                   enum MHD_RequestTerminationCode how);
/* How many requests are being handled now (for a clean stop). */
int srv_in_flight(void);

/* auth.c: sets the actor of r's workspace from its Authorization header (a bearer token) or
 * its session cookie (with the X-CSRF-Token header on a request that may change something);
 * KT_DENIED when there is no valid credential. */
kt_status srv_authenticate(srv_req *r, kt_error *err);

/* limit.c: may r's caller make one more request now? */
int srv_rate_ok(const srv_req *r);

/* reply.c: queue a reply. Headers are name, value pairs ended by NULL (may be NULL). body is
 * deleted. */
enum MHD_Result srv_reply_json(srv_req *r, unsigned status, cJSON *body,
                               const char *const *headers);
/* body (a JSON or HTML text made whole) as the reply, of Content-Type type; body is emptied. */
enum MHD_Result srv_reply_buf(srv_req *r, unsigned status, const char *type, kt_buf *body);
/* {"error": {"status", "message", "failures": [...]}}; failures may be NULL. */
enum MHD_Result srv_reply_error(srv_req *r, unsigned status, const char *message,
                                const kt_failures *failures);
/* The error body srv_reply_error sends; *error (may be NULL) is its "error" object, borrowed,
 * for a caller adding more. Caller deletes. */
cJSON *srv_error_body(unsigned status, const char *message, const kt_failures *failures,
                      cJSON **error);
/* The reply for a failed core call: its HTTP status, and no internal detail for a bug, a script
 * or an I/O failure (those are logged on stderr instead). */
enum MHD_Result srv_reply_status(srv_req *r, const kt_error *err, const kt_failures *failures);
unsigned srv_http_status(kt_status st);

/* log.c: the access line of a finished request. */
void srv_log_request(const srv_req *r);
/* A server-side failure the client was not told about. */
void srv_log_error(const srv_req *r, const kt_error *err);
/* A request's reads of personal data in clear: noted from begin, written at end (failures go
 * to stderr: the reply is already made). */
void srv_pii_log_begin(const srv_req *r, kt_ws *ws);
void srv_pii_log_end(const srv_req *r, kt_ws *ws);

/* records.c and meta.c: the resources. Each replies. */
enum MHD_Result srv_records(srv_req *r);
enum MHD_Result srv_fields(srv_req *r);
enum MHD_Result srv_find(srv_req *r);
enum MHD_Result srv_openapi(srv_req *r);
enum MHD_Result srv_session(srv_req *r); /* session.c: log in and out */
enum MHD_Result srv_merge(srv_req *r);   /* merge.c */
/* An id sent as "12" or 12; 0 when it is neither (merge.c). */
kt_id srv_json_id(const cJSON *j);
enum MHD_Result srv_report(srv_req *r);  /* analyses.c */
enum MHD_Result srv_dupes(srv_req *r);   /* analyses.c */
/* /dupes/{entity}/review and /dupes/{entity}/label (dupes_review.c) */
enum MHD_Result srv_dupes_review(srv_req *r);
enum MHD_Result srv_import(srv_req *r);  /* import.c */

/* consent.c: GET and POST /person/ID/consents. */
enum MHD_Result srv_consents(srv_req *r, kt_id person);
/* person.c: POST /person/ID/erase and /anonymise, GET /person/ID/export; what is a, the last
 * part of the path. */
enum MHD_Result srv_person(srv_req *r, kt_id person, const char *what);

/* route.c: cuts buf (a path without its leading '/') into at most max parts in place; 0 when a
 * part is empty, "." or "..", or holds anything but letters, digits, '_', '-' and '.'. */
int srv_split_path(char *buf, const char **seg, size_t max, size_t *n);

/* route.c: a query argument, or NULL. */
const char *srv_arg(const srv_req *r, const char *name);

#endif
