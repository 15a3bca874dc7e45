/* See kartoteka/json_add.h. */
#include "kartoteka/json_add.h"

int kt_json_add(cJSON *o, const char *key, cJSON *item)
{
    if (o && item && (key ? cJSON_AddItemToObject(o, key, item) : cJSON_AddItemToArray(o, item)))
        return 1;
    cJSON_Delete(item);
    return 0;
}
