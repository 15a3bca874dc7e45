/* A person's rights through the API (README, Personal data): POST /person/{id}/erase with
 * {"reason": "..."} and POST /person/{id}/anonymise (the reason optional), both the manager's
 * or owner's, answering kt person erase --json's object; GET /person/{id}/export, the document
 * of kt person export (?format=html: its page). The core checks the role and masks what the
 * caller may not see; every pii value the export shows is noted in the access log. */
#include <string.h>

#include "kartoteka/privacy.h"
#include "server.h"

static enum MHD_Result export_person(srv_req *r, kt_id person)
{
    const char *format = srv_arg(r, "format");
    int html = format && !strcmp(format, "html");
    if (format && !html && strcmp(format, "json") != 0)
        return srv_reply_error(r, MHD_HTTP_BAD_REQUEST, "format is json or html", NULL);
    kt_buf out = KT_BUF_INIT;
    out.max = (size_t)1 << 30;
    kt_error err;
    if (kt_person_export(r->ws, person, html ? KT_PERSON_HTML : KT_PERSON_JSON, &out, &err)) {
        kt_buf_free(&out);
        return srv_reply_status(r, &err, NULL);
    }
    return srv_reply_buf(r, MHD_HTTP_OK,
                         html ? "text/html; charset=utf-8" : "application/json; charset=utf-8",
                         &out);
}

/* The body's "reason": NULL when absent; *bad when the body or the member is not what it
 * should be. Borrowed from j. */
static const char *reason_of(const cJSON *j, int *bad)
{
    const cJSON *v = cJSON_GetObjectItem(j, "reason");
    if (v && !cJSON_IsNull(v) && !cJSON_IsString(v)) *bad = 1;
    return cJSON_GetStringValue(v);
}

static enum MHD_Result erase_person(srv_req *r, kt_id person, kt_erase_mode mode)
{
    kt_error err;
    /* the role first: a caller who may not erase learns nothing about the body it sent */
    if (kt_auth_allow(r->ws, KT_ACT_ERASE, NULL, &err)) return srv_reply_status(r, &err, NULL);
    cJSON *j = r->body.len ? cJSON_ParseWithLength(r->body.data, r->body.len) : NULL;
    int bad = r->body.len && !cJSON_IsObject(j);
    const char *reason = bad ? NULL : reason_of(j, &bad);
    if (!reason || !*reason) {
        if (mode == KT_ERASE_ALL) bad = 1;
        reason = "anonymised for statistics";
    }
    if (bad) {
        cJSON_Delete(j);
        return srv_reply_error(r, MHD_HTTP_BAD_REQUEST,
                               mode == KT_ERASE_ALL
                                   ? "send {\"reason\": \"why\"}: the history keeps it"
                                   : "send nothing or {\"reason\": \"why\"}",
                               NULL);
    }
    kt_erase_result res;
    kt_status st = kt_person_erase(r->ws, person, mode, reason, &res, &err);
    cJSON_Delete(j);
    if (st) return srv_reply_status(r, &err, NULL);
    return srv_reply_json(r, MHD_HTTP_OK, kt_person_erase_json(person, mode, &res), NULL);
}

enum MHD_Result srv_person(srv_req *r, kt_id person, const char *what)
{
    int get = !strcmp(r->method, "GET"), post = !strcmp(r->method, "POST");
    if (!strcmp(what, "export"))
        return get ? export_person(r, person)
                   : srv_reply_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "use GET", NULL);
    if (!post) return srv_reply_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "use POST", NULL);
    return erase_person(r, person, !strcmp(what, "erase") ? KT_ERASE_ALL : KT_ERASE_ANONYMISE);
}
