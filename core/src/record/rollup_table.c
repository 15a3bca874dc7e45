/* kt_sale_month's and kt_rollup's statements, in one place: a line counted in or out, the
 * rollup made again from the lines. */
#include <string.h>

#include "kartoteka/query.h"
#include "kartoteka/save.h"
#include "record/record_table.h"
#include "record/rollup_table.h"
#include "workspace/ws_internal.h"

#define ROLLUP "sale_month"

/* The lines the rollup counts: a customer, a date and an amount (the reports' own filter). */
#define COUNTED "t.customer IS NOT NULL AND t.date IS NOT NULL AND t.amount IS NOT NULL"

int kt_rollup_watches(const char *entity, const char *field)
{
    return strcmp(entity, "sale") == 0 &&
           (!strcmp(field, "customer") || !strcmp(field, "date") || !strcmp(field, "amount"));
}

/* The fields the rollup reads, declared with the kinds it sums and groups by. */
static int sale_counts(kt_ws *ws)
{
    const kt_registry *reg = kt_ws_registry(ws);
    const kt_field *c = kt_registry_field(reg, "sale", "customer");
    const kt_field *d = kt_registry_field(reg, "sale", "date");
    const kt_field *a = kt_registry_field(reg, "sale", "amount");
    return c && d && a && c->kind == KT_TYPE_REF && d->kind == KT_TYPE_DATE &&
           a->kind == KT_TYPE_DECIMAL;
}

static kt_status mark(kt_store *s, int built, kt_error *err)
{
    return kt_store_run(s, "UPDATE kt_rollup SET built = ?2 WHERE name = ?1 AND built <> ?2",
                        "marking the sales rollup", err, "ti", ROLLUP, (long long)built);
}

kt_status kt_rollup_sale(kt_ws *ws, const char *entity, kt_id id, int sign, kt_error *err)
{
    if (strcmp(entity, "sale") != 0) return KT_OK;
    kt_store *s = kt_ws_store(ws);
    if (!sale_counts(ws)) return mark(s, 0, err);
    kt_status rc = kt_store_run(
        s,
        "INSERT INTO kt_sale_month(customer, month, amount, lines) "
        "SELECT t.customer, substr(t.date, 1, 7), ?2 * t.amount, ?2 FROM sale t "
        "WHERE t.id = ?1 AND " COUNTED " "
        "ON CONFLICT(customer, month) DO UPDATE SET amount = amount + excluded.amount, "
        "lines = lines + excluded.lines",
        "counting a sale in the sales rollup", err, "ii", (long long)id, (long long)sign);
    if (rc || sign > 0) return rc;
    /* a customer-month none of whose lines counts any more is no row at all, as in the lines */
    return kt_store_run(s,
                        "DELETE FROM kt_sale_month WHERE lines <= 0 AND (customer, month) = "
                        "(SELECT t.customer, substr(t.date, 1, 7) FROM sale t WHERE t.id = ?1)",
                        "counting a sale out of the sales rollup", err, "i", (long long)id);
}

kt_status kt_rollup_rebuild(kt_ws *ws, long long *rows, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    if (rows) *rows = 0;
    if (!sale_counts(ws)) return mark(s, 0, err);
    kt_buf sql = KT_BUF_INIT;
    kt_status rc = kt_buf_puts(&sql,
                               "INSERT INTO kt_sale_month(customer, month, amount, lines) "
                               "SELECT t.customer, substr(t.date, 1, 7), sum(t.amount), count(*)",
                               err);
    if (!rc) rc = kt_record_active_from(&sql, "sale", err);
    if (!rc) rc = kt_buf_puts(&sql, " AND " COUNTED " GROUP BY 1, 2", err);
    if (!rc) rc = kt_store_begin(s, err);
    if (rc) {
        kt_buf_free(&sql);
        return rc;
    }
    rc = kt_store_run(s, "DELETE FROM kt_sale_month", "emptying the sales rollup", err, "");
    if (!rc) rc = kt_store_run(s, kt_buf_str(&sql), "rebuilding the sales rollup", err, "");
    if (!rc && rows) *rows = kt_store_changes(s);
    if (!rc)
        rc = kt_store_run(s, "INSERT OR REPLACE INTO kt_rollup(name, built) VALUES (?1, 1)",
                          "marking the sales rollup", err, "t", ROLLUP);
    kt_buf_free(&sql);
    if (rc) {
        kt_store_rollback(s);
        return rc;
    }
    return kt_store_commit(s, err);
}
