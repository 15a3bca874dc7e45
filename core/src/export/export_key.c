/* Export keys: "<workspace uid>:<id>" names a record in every export of its workspace, and the
 * kt_record_key table (schema/008) remembers the keys records came in under from another
 * workspace's export (both tables are uid_table.c's). */
#include <stdlib.h>
#include <string.h>

#include "export/export_int.h"
#include "kartoteka/query.h"

kt_status kt_export_uid(kt_ws *ws, char uid[KT_EXPORT_UID_SIZE], kt_error *err)
{
    return ex_uid_read(kt_ws_store(ws), uid, err);
}

int kt_export_key_parse(const char *text, char uid[KT_EXPORT_UID_SIZE], kt_id *id)
{
    if (!text || strspn(text, "0123456789abcdef") != KT_EXPORT_UID_SIZE - 1 ||
        text[KT_EXPORT_UID_SIZE - 1] != ':')
        return 0;
    const char *num = text + KT_EXPORT_UID_SIZE;
    size_t n = strspn(num, "0123456789");
    if (n == 0 || n > 18 || num[n] != '\0') return 0;
    memcpy(uid, text, KT_EXPORT_UID_SIZE - 1);
    uid[KT_EXPORT_UID_SIZE - 1] = '\0';
    *id = strtoll(num, NULL, 10);
    return *id > 0;
}

kt_status kt_export_key_find(kt_ws *ws, const char *key, kt_id *id, kt_error *err)
{
    char uid[KT_EXPORT_UID_SIZE], own[KT_EXPORT_UID_SIZE];
    kt_id n;
    *id = 0;
    if (!kt_export_key_parse(key, uid, &n)) return KT_OK;
    kt_status st = kt_export_uid(ws, own, err);
    if (st) return st;
    if (strcmp(uid, own) != 0) return ex_record_key_find(kt_ws_store(ws), key, id, err);
    /* our own export read back: the key is the id itself, when there is such a record */
    char entity[64];
    st = kt_ws_entity_of(ws, n, entity, sizeof entity, err);
    if (!st) *id = n;
    return st == KT_NOTFOUND ? KT_OK : st;
}

kt_status kt_export_key_keep(kt_ws *ws, const char *key, kt_id id, kt_error *err)
{
    char uid[KT_EXPORT_UID_SIZE], own[KT_EXPORT_UID_SIZE];
    kt_id n;
    if (!kt_export_key_parse(key, uid, &n)) return KT_OK;
    kt_status st = kt_export_uid(ws, own, err);
    if (st || strcmp(uid, own) == 0) return st;
    return ex_record_key_put(kt_ws_store(ws), key, id, err);
}
