/* GET /dupes/{entity}/review[?limit=N]: the pairs nearest 0.5 with their explanation, as
 * `kt dupes review --json`; POST /dupes/{entity}/label {"a": 1, "b": 2, "label": "same" |
 * "distinct" | "clear"}: a person's answer, as `kt dupes label`. Both are a merger's work: who may
 * merge may label. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/dedupe.h"
#include "kartoteka/json.h"
#include "kartoteka/query.h"
#include "server.h"

#define DEFAULT_LIMIT 10
#define MAX_LIMIT 1000

static enum MHD_Result review(srv_req *r)
{
    if (strcmp(r->method, "GET") != 0)
        return srv_reply_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "use GET", NULL);
    const char *lt = srv_arg(r, "limit");
    long long limit = DEFAULT_LIMIT;
    if (lt && (!kt_id_parse(lt) || (limit = kt_id_parse(lt)) > MAX_LIMIT))
        return srv_reply_error(r, MHD_HTTP_BAD_REQUEST, "limit is 1 to 1000", NULL);
    kt_dedupe_rule *rule = NULL;
    kt_dupe_review *items = NULL;
    size_t n = 0;
    kt_error err;
    kt_status st = kt_dedupe_rule_get(r->ws, r->seg[1], &rule, &err);
    if (!st) st = kt_dupes_review_list(r->ws, rule, (size_t)limit, &items, &n, &err);
    cJSON *a = st ? NULL : cJSON_CreateArray();
    for (size_t i = 0; a && i < n; i++)
        cJSON_AddItemToArray(a, kt_json_dupe_review(&items[i]));
    kt_dupes_review_free(items, n);
    kt_dedupe_rule_free(rule);
    if (st) return srv_reply_status(r, &err, NULL);
    return a ? srv_reply_json(r, MHD_HTTP_OK, a, NULL)
             : srv_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory", NULL);
}

static enum MHD_Result label(srv_req *r)
{
    if (strcmp(r->method, "POST") != 0)
        return srv_reply_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "use POST", NULL);
    cJSON *j = r->body.len ? cJSON_ParseWithLength(r->body.data, r->body.len) : NULL;
    kt_id a = srv_json_id(cJSON_GetObjectItem(j, "a")),
          b = srv_json_id(cJSON_GetObjectItem(j, "b"));
    kt_dupe_label l = KT_DUPE_UNLABELLED;
    int bad =
        !a || !b || kt_dupes_label_parse(cJSON_GetStringValue(cJSON_GetObjectItem(j, "label")), &l);
    cJSON_Delete(j);
    if (bad)
        return srv_reply_error(
            r, MHD_HTTP_BAD_REQUEST,
            "send {\"a\": ID, \"b\": ID, \"label\": \"same\" | \"distinct\" | \"clear\"}", NULL);
    kt_error err;
    char of[64], source[KT_AUTH_SOURCE_MAX + 16];
    kt_status st = kt_ws_entity_of(r->ws, a, of, sizeof of, &err);
    if (!st && strcmp(of, r->seg[1]))
        st = kt_error_set(&err, KT_USAGE, "record %lld is a %s, not a %s", a, of, r->seg[1]);
    if (!st)
        st = kt_dupes_label(r->ws, a, b, l, kt_auth_source(r->ws, "label", source, sizeof source),
                            &err);
    if (st) return srv_reply_status(r, &err, NULL);
    kt_id ids[2] = {a < b ? a : b, a < b ? b : a};
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "ids", kt_json_ids(ids, 2));
    cJSON_AddStringToObject(o, "label",
                            l == KT_DUPE_SAME       ? "same"
                            : l == KT_DUPE_DISTINCT ? "distinct"
                                                    : "clear");
    return srv_reply_json(r, MHD_HTTP_OK, o, NULL);
}

enum MHD_Result srv_dupes_review(srv_req *r)
{
    kt_error err;
    if (!kt_registry_entity(kt_ws_registry(r->ws), r->seg[1]))
        return srv_reply_error(r, MHD_HTTP_NOT_FOUND, "there is no such entity", NULL);
    if (kt_auth_allow(r->ws, KT_ACT_MERGE, r->seg[1], &err)) return srv_reply_status(r, &err, NULL);
    if (!strcmp(r->seg[2], "review")) return review(r);
    if (!strcmp(r->seg[2], "label")) return label(r);
    return srv_reply_error(r, MHD_HTTP_NOT_FOUND, "no such resource", NULL);
}
