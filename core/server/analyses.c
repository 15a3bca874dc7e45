/* Reports and duplicates: GET /reports/{name}?param=value... (as `kt report NAME --json`) and
 * GET /dupes/{entity}[?threshold=X] (as `kt dupes ENTITY --json`). */
#include <stdlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/json.h"
#include "kartoteka/report.h"
#include "server.h"

#define MAX_PARAMS 32

typedef struct params {
    kt_report_param v[MAX_PARAMS];
    size_t n;
    int too_many;
} params;

static enum MHD_Result take_param(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    (void)kind;
    params *p = cls;
    if (p->n == MAX_PARAMS)
        p->too_many = 1;
    else
        p->v[p->n++] = (kt_report_param){key, value ? value : ""};
    return MHD_YES;
}

/* GET /reports/{name}?param=value: the report's rows as a JSON array. Reports read the whole
 * base through SQL, personal data unmasked: only roles that see it in clear may run them. */
enum MHD_Result srv_report(srv_req *r)
{
    if (strcmp(r->method, "GET") != 0)
        return srv_reply_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "use GET", NULL);
    if (r->nseg != 2) return srv_reply_error(r, MHD_HTTP_NOT_FOUND, "name a report", NULL);
    if (!kt_auth_sees_pii(r->ws))
        return srv_reply_error(r, MHD_HTTP_FORBIDDEN,
                               "reports read personal data in clear: they need the staff role "
                               "or above",
                               NULL);
    params p = {.n = 0};
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, take_param, &p);
    if (p.too_many) return srv_reply_error(r, MHD_HTTP_BAD_REQUEST, "too many parameters", NULL);
    kt_error err;
    char *path = NULL;
    kt_report *rep = NULL;
    kt_buf b = KT_BUF_INIT;
    kt_status st =
        kt_report_find(r->ws, r->cfg->script_dirs, r->cfg->nscript_dirs, r->seg[1], &path, &err);
    if (!st) st = kt_report_run(r->ws, r->seg[1], path, p.v, p.n, &rep, &err);
    if (!st) st = kt_report_render(rep, KT_REPORT_JSON, &(kt_report_render_opts){0, 0}, &b, &err);
    cJSON *rows = st ? NULL : cJSON_ParseWithLength(b.data ? b.data : "[]", b.len ? b.len : 2);
    enum MHD_Result res;
    if (st)
        res = srv_reply_status(r, &err, NULL);
    else if (!rows)
        res = srv_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory", NULL);
    else
        res = srv_reply_json(r, MHD_HTTP_OK, rows, NULL);
    kt_buf_free(&b);
    kt_report_free(rep);
    kt_free(path);
    return res;
}

/* GET /dupes/{entity}[?threshold=X]: clusters of likely duplicates, best first. */
enum MHD_Result srv_dupes(srv_req *r)
{
    if (strcmp(r->method, "GET") != 0)
        return srv_reply_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "use GET", NULL);
    if (r->nseg != 2) return srv_reply_error(r, MHD_HTTP_NOT_FOUND, "name an entity", NULL);
    const char *th = srv_arg(r, "threshold");
    char *end = NULL;
    double threshold = th ? strtod(th, &end) : -1;
    if (th && (end == th || *end || !(threshold > 0 && threshold <= 1)))
        return srv_reply_error(r, MHD_HTTP_BAD_REQUEST, "threshold is a number in (0, 1]", NULL);
    kt_error err;
    kt_status st = kt_auth_allow(r->ws, KT_ACT_READ, r->seg[1], &err);
    kt_dedupe_rule *rule = NULL;
    if (!st && !kt_registry_entity(kt_ws_registry(r->ws), r->seg[1]))
        return srv_reply_error(r, MHD_HTTP_NOT_FOUND, "there is no such entity", NULL);
    if (!st) st = kt_dedupe_rule_get(r->ws, r->seg[1], &rule, &err);
    kt_dupes d;
    memset(&d, 0, sizeof d);
    if (!st) st = kt_dupes_find(r->ws, rule, threshold, &d, &err);
    cJSON *a = st ? NULL : cJSON_CreateArray();
    for (size_t i = 0; a && i < d.n; i++)
        cJSON_AddItemToArray(a, kt_json_dupe_cluster(&d.clusters[i]));
    kt_dupes_clear(&d);
    kt_dedupe_rule_free(rule);
    if (st) return srv_reply_status(r, &err, NULL);
    return a ? srv_reply_json(r, MHD_HTTP_OK, a, NULL)
             : srv_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory", NULL);
}
