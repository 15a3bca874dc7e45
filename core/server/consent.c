/* A person's consents: GET /person/{id}/consents (anyone who may read the person) and POST
 * {"purpose", "action": "give"|"withdraw", "source", "wording", "wording_text", "note"} (staff
 * and up: the core checks), both answering with kt consent show --json's document. */
#include <string.h>

#include "kartoteka/consent.h"
#include "server.h"

static const char *text_member(const cJSON *j, const char *key, int *bad)
{
    const cJSON *v = cJSON_GetObjectItem(j, key);
    if (!v || cJSON_IsNull(v)) return NULL;
    if (!cJSON_IsString(v)) *bad = 1;
    return cJSON_GetStringValue(v);
}

static enum MHD_Result reply_document(srv_req *r, kt_id person, unsigned status)
{
    cJSON *doc = NULL;
    kt_error err;
    if (kt_consent_json(r->ws, person, &doc, &err)) return srv_reply_status(r, &err, NULL);
    return srv_reply_json(r, status, doc, NULL);
}

static enum MHD_Result record(srv_req *r, kt_id person)
{
    cJSON *j = r->body.len ? cJSON_ParseWithLength(r->body.data, r->body.len) : NULL;
    int bad = !cJSON_IsObject(j);
    const char *purpose = text_member(j, "purpose", &bad);
    const char *action = text_member(j, "action", &bad);
    kt_consent_opts o = {.source = text_member(j, "source", &bad),
                         .by = "api",
                         .wording = text_member(j, "wording", &bad),
                         .wording_text = text_member(j, "wording_text", &bad),
                         .note = text_member(j, "note", &bad)};
    int given = action && !strcmp(action, "give");
    if (!purpose || !action || (!given && strcmp(action, "withdraw") != 0)) bad = 1;
    kt_error err;
    kt_status st = bad ? KT_USAGE : kt_consent_set(r->ws, person, purpose, given, &o, &err);
    cJSON_Delete(j);
    if (bad)
        return srv_reply_error(r, MHD_HTTP_BAD_REQUEST,
                               "send {\"purpose\": \"email\", \"action\": \"give\" or "
                               "\"withdraw\"} with any of source, wording, wording_text, note",
                               NULL);
    if (st) return srv_reply_status(r, &err, NULL);
    return reply_document(r, person, MHD_HTTP_CREATED);
}

enum MHD_Result srv_consents(srv_req *r, kt_id person)
{
    if (!strcmp(r->method, "GET")) return reply_document(r, person, MHD_HTTP_OK);
    if (!strcmp(r->method, "POST")) return record(r, person);
    return srv_reply_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "use GET or POST", NULL);
}
