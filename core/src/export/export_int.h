/* Internal to export: the state one export carries from record to record. */
#ifndef KT_EXPORT_EXPORT_INT_H
#define KT_EXPORT_EXPORT_INT_H

#include <cjson/cJSON.h>

#include "kartoteka/buf.h"
#include "kartoteka/export.h"
#include "kartoteka/store.h"

typedef struct ex_state {
    kt_ws *ws;
    const kt_entity *e;
    kt_export_format format;
    int raw;
    FILE *out;
    kt_error *err;
    kt_status st; /* the first failure; stops the listing */
    long count;
    int header_done;
    kt_buf buf;
    kt_buf fold; /* vCard: the card folded at 75 octets */
    char uid_buf[KT_EXPORT_UID_SIZE];
    const char *uid; /* JSON and NDJSON: ids and references as export keys */
} ex_state;

kt_status ex_put(ex_state *x, const char *s);
void ex_vcard(ex_state *x, const kt_record *r);

/* ---- uid_table.c: owns kt_workspace_uid and kt_record_key ---- */
kt_status ex_uid_read(kt_store *s, char uid[KT_EXPORT_UID_SIZE], kt_error *err);
/* The record that came in under another workspace's key (*id untouched when none). */
kt_status ex_record_key_find(kt_store *s, const char *key, kt_id *id, kt_error *err);
kt_status ex_record_key_put(kt_store *s, const char *key, kt_id id, kt_error *err);

#endif
