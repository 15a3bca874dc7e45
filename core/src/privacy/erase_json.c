/* The answer to an erasure as JSON: what `kt person erase --json` prints and the API's
 * POST /person/ID/erase and /anonymise return. */
#include <stdio.h>

#include <cjson/cJSON.h>

#include "kartoteka/privacy.h"

cJSON *kt_person_erase_json(kt_id id, kt_erase_mode mode, const kt_erase_result *r)
{
    cJSON *j = cJSON_CreateObject();
    char sid[32];
    snprintf(sid, sizeof sid, "%lld", id);
    int ok = j && cJSON_AddStringToObject(j, "id", sid) &&
             cJSON_AddStringToObject(j, "action", mode == KT_ERASE_ALL ? "erase" : "anonymise") &&
             cJSON_AddNumberToObject(j, "records", (double)r->records) &&
             cJSON_AddNumberToObject(j, "fields", (double)r->fields) &&
             cJSON_AddNumberToObject(j, "related", (double)r->related) &&
             cJSON_AddNumberToObject(j, "messages", (double)r->messages) &&
             cJSON_AddNumberToObject(j, "files", (double)r->files) &&
             cJSON_AddNumberToObject(j, "kept_files", (double)r->kept) &&
             cJSON_AddBoolToObject(j, "checkpointed", r->checkpointed);
    if (!ok) cJSON_Delete(j);
    return ok ? j : NULL;
}
