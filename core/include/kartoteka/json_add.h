/* Adding to a cJSON tree without losing a member or leaking one. cJSON's adders fail when they
 * cannot copy the key (out of memory) and then leave the item to the caller, which the one-line
 * form cJSON_AddItemToObject(o, "k", cJSON_CreateString(s)) leaks; and a caller that ignores
 * their result writes a tree with a member missing. */
#ifndef KARTOTEKA_JSON_ADD_H
#define KARTOTEKA_JSON_ADD_H

#include <cjson/cJSON.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Adds item (owned: taken in every case) to the object o under key, or to the array o when key
 * is NULL. 1 when added; 0 when o or item is NULL or the key cannot be copied, and then item
 * is deleted. Meant to be and-ed into one flag: ok &= kt_json_add(...). */
int kt_json_add(cJSON *o, const char *key, cJSON *item);

#ifdef __cplusplus
}
#endif
#endif
