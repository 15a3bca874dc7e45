/* Internal: the owner of kt_sale_month and kt_rollup (schema/017_sale_rollup.sql), the sales
 * reports' per-customer-per-month rollup. The write door and the state moves of a record tell it
 * of every sale line that starts or stops counting, so the rollup always equals what the lines
 * say; kt_rollup_rebuild (save.h) makes it again from the lines. */
#ifndef KT_RECORD_ROLLUP_TABLE_H
#define KT_RECORD_ROLLUP_TABLE_H

#include "kartoteka/record.h"
#include "kartoteka/workspace.h"

/* Whether a change of field on entity can move the rollup (the sale's customer, date, amount). */
int kt_rollup_watches(const char *entity, const char *field);
/* The active sale line id starts (sign 1) or stops (sign -1) counting: call with -1 before its
 * values change or it leaves the active state, with 1 after it was written or came back. Other
 * entities are ignored. When the sale entity lacks a counted field (renamed, retired), the rollup
 * is marked unbuilt instead and reports read the lines until it is rebuilt. */
kt_status kt_rollup_sale(kt_ws *ws, const char *entity, kt_id id, int sign, kt_error *err);

#endif
