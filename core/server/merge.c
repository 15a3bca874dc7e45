/* POST /merge {"winner": ID, "losers": [ID, ...]}: duplicates merged as `kt merge` does (a
 * manager's work; the core checks), the reply as `kt merge --json`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/dedupe.h"
#include "kartoteka/json.h"
#include "kartoteka/query.h"
#include "server.h"

#define MAX_LOSERS 256

kt_id srv_json_id(const cJSON *j)
{
    if (cJSON_IsString(j)) return kt_id_parse(j->valuestring);
    if (cJSON_IsNumber(j) && j->valuedouble >= 1 && j->valuedouble == (double)(kt_id)j->valuedouble)
        return (kt_id)j->valuedouble;
    return 0;
}

enum MHD_Result srv_merge(srv_req *r)
{
    if (strcmp(r->method, "POST") != 0)
        return srv_reply_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "use POST", NULL);
    cJSON *j = r->body.len ? cJSON_ParseWithLength(r->body.data, r->body.len) : NULL;
    const cJSON *losers = cJSON_GetObjectItem(j, "losers"), *it;
    kt_id winner = srv_json_id(cJSON_GetObjectItem(j, "winner")), ids[MAX_LOSERS];
    size_t n = 0;
    int bad = !winner || !cJSON_IsArray(losers) || cJSON_GetArraySize(losers) < 1 ||
              cJSON_GetArraySize(losers) > MAX_LOSERS;
    if (!bad) {
        cJSON_ArrayForEach(it, losers)
        {
            if (!(ids[n++] = srv_json_id(it))) bad = 1;
        }
    }
    cJSON_Delete(j);
    if (bad)
        return srv_reply_error(r, MHD_HTTP_BAD_REQUEST,
                               "send {\"winner\": ID, \"losers\": [ID, ...]} (at most 256)", NULL);
    kt_error err;
    char source[KT_AUTH_SOURCE_MAX + 16];
    kt_record *w = NULL;
    if (kt_merge(r->ws, winner, ids, n, kt_auth_source(r->ws, "merge", source, sizeof source),
                 &err) ||
        kt_get(r->ws, winner, &w, &err))
        return srv_reply_status(r, &err, NULL);
    enum MHD_Result res =
        srv_reply_json(r, MHD_HTTP_OK, kt_json_merge(r->ws, w, "merged", ids, n), NULL);
    kt_record_free(w);
    return res;
}
