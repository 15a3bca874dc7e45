/* The write door's and the queries' questions to auth/: may the actor do this, what source
 * goes into history, which values it may see. */
#ifndef KT_RECORD_ACCESS_H
#define KT_RECORD_ACCESS_H

#include "kartoteka/auth.h"
#include "kartoteka/query.h"
#include "kartoteka/save.h"

#define KT_ACCESS_SOURCE_MAX 700

/* At the door's entry: the actor may write (act) records of entity; o->source becomes the
 * history source naming the actor (in source, which must outlive o). */
kt_status kt_access_write(kt_ws *ws, kt_act act, const char *entity, kt_save_opts *o,
                          char source[KT_ACCESS_SOURCE_MAX], kt_error *err);
/* Masks the values of pii fields in r when the actor may not see them. */
kt_status kt_access_mask(kt_ws *ws, kt_record *r, kt_error *err);
/* The history callback a reader of history should use for record id of entity: cb itself, or
 * one masking pii values (then *ud_out is a state in mask, which lives as long as the call). */
typedef struct kt_access_history {
    kt_ws *ws;
    const char *entity;
    kt_change_cb cb;
    void *ud;
} kt_access_history;
kt_change_cb kt_access_history_cb(kt_ws *ws, const char *entity, kt_change_cb cb, void *ud,
                                  kt_access_history *mask, void **ud_out);

/* The workspace's access rules (kt_ws_add_access_rule) on rec: KT_DENIED naming the actor
 * when one refuses. rec may be NULL (nothing to check). */
kt_status kt_access_read(kt_ws *ws, const kt_record *rec, kt_error *err);
kt_status kt_access_change(kt_ws *ws, const kt_record *rec, kt_error *err);
/* The same for the stored record id, read only when a rule for changes exists. */
kt_status kt_access_change_id(kt_ws *ws, kt_id id, kt_error *err);
/* Is there any rule on reads (write 0) or changes (write 1)? */
int kt_access_ruled(const kt_ws *ws, int write);

#define KT_ACCESS_MASK "***"

#endif
