/* What is not one entity's records: the field registry and the search across every entity. */
#include <stdlib.h>
#include <string.h>

#include "kartoteka/json.h"
#include "kartoteka/query.h"
#include "server.h"

#define FIND_DEFAULT 50
#define FIND_MAX 1000

/* GET /fields[?entity=E]: as `kt field list [E] --json`. */
enum MHD_Result srv_fields(srv_req *r)
{
    if (strcmp(r->method, "GET") != 0)
        return srv_reply_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "use GET", NULL);
    kt_registry *reg = kt_ws_registry(r->ws);
    const char *only = srv_arg(r, "entity");
    if (only && !kt_registry_entity(reg, only))
        return srv_reply_error(r, MHD_HTTP_NOT_FOUND, "there is no such entity", NULL);
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < kt_registry_entity_count(reg); i++) {
        const kt_entity *e = kt_registry_entity_at(reg, i);
        if (only && strcmp(only, e->name) != 0) continue;
        for (size_t j = 0; j < e->nfields; j++)
            cJSON_AddItemToArray(a, kt_json_field(&e->fields[j]));
    }
    return srv_reply_json(r, MHD_HTTP_OK, a, NULL);
}

static int on_found(void *ud, const kt_record *rec)
{
    kt_ws **ws = ((void **)ud)[0];
    cJSON_AddItemToArray(((void **)ud)[1], kt_json_record(*ws, rec, NULL));
    return 0;
}

/* GET /find?q=TEXT[&limit=N]: as `kt find TEXT --json`. */
enum MHD_Result srv_find(srv_req *r)
{
    if (strcmp(r->method, "GET") != 0)
        return srv_reply_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "use GET", NULL);
    const char *q = srv_arg(r, "q"), *limit = srv_arg(r, "limit");
    if (!q || !*q) return srv_reply_error(r, MHD_HTTP_BAD_REQUEST, "find needs q=TEXT", NULL);
    char *end = NULL;
    long n = limit ? strtol(limit, &end, 10) : FIND_DEFAULT;
    if ((end && *end) || n < 1 || n > FIND_MAX)
        return srv_reply_error(r, MHD_HTTP_BAD_REQUEST, "limit is a number from 1 to 1000", NULL);
    cJSON *a = cJSON_CreateArray();
    void *ud[2] = {&r->ws, a};
    kt_error err;
    if (kt_find(r->ws, q, n, on_found, ud, &err)) {
        cJSON_Delete(a);
        return srv_reply_status(r, &err, NULL);
    }
    return srv_reply_json(r, MHD_HTTP_OK, a, NULL);
}
