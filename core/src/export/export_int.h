/* Internal to export: the state one export carries from record to record. */
#ifndef KT_EXPORT_EXPORT_INT_H
#define KT_EXPORT_EXPORT_INT_H

#include <cjson/cJSON.h>

#include "kartoteka/buf.h"
#include "kartoteka/export.h"

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
} ex_state;

kt_status ex_put(ex_state *x, const char *s);
cJSON *ex_record_json(const kt_entity *e, const kt_record *r);
void ex_vcard(ex_state *x, const kt_record *r);

#endif
