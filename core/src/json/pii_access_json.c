/* An access-log entry as JSON: the one shape of kt access-log --json and the person export. */
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/auth.h"
#include "kartoteka/json.h"

/* "email,first_name" -> ["email", "first_name"]; 0 when out of memory. */
static int add_names(cJSON *arr, const char *names)
{
    for (const char *p = names; p && *p;) {
        size_t n = strcspn(p, ",");
        if (n) {
            char *name = kt_malloc(n + 1);
            cJSON *s = NULL;
            if (name) {
                memcpy(name, p, n);
                name[n] = '\0';
                s = cJSON_CreateString(name);
                kt_free(name);
            }
            if (!s || !cJSON_AddItemToArray(arr, s)) {
                cJSON_Delete(s);
                return 0;
            }
        }
        p += n + (p[n] == ',');
    }
    return 1;
}

cJSON *kt_json_pii_access(const kt_pii_access_info *a)
{
    cJSON *o = cJSON_CreateObject(), *fields = NULL;
    int ok = o && cJSON_AddNumberToObject(o, "seq", (double)a->seq) &&
             cJSON_AddStringToObject(o, "at", a->at) && cJSON_AddStringToObject(o, "who", a->who) &&
             cJSON_AddStringToObject(o, "role", a->role) &&
             cJSON_AddNumberToObject(o, "record", (double)a->record) &&
             cJSON_AddStringToObject(o, "entity", a->entity) &&
             (fields = cJSON_AddArrayToObject(o, "fields")) && add_names(fields, a->fields) &&
             cJSON_AddStringToObject(o, "route", a->route);
    if (ok) return o;
    cJSON_Delete(o);
    return NULL;
}
