#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "kartoteka/date.h"
#include "kartoteka/text.h"
#include "record/access.h"
#include "record/field_value.h"
#include "record/record_table.h"

static const char *op_sql(kt_filter_op op)
{
    switch (op) {
    case KT_OP_NE:
        return "<>";
    case KT_OP_LT:
        return "<";
    case KT_OP_LE:
        return "<=";
    case KT_OP_GT:
        return ">";
    case KT_OP_GE:
        return ">=";
    default:
        return "=";
    }
}

/* A filter's value in the field's canonical form, so "01.02.1990" finds 1990-02-01. */
static kt_status filter_value(kt_ws *ws, const kt_field *f, const kt_filter *flt, const char *text,
                              kt_value *out, kt_error *err)
{
    kt_value in = {(char *)text, NULL, 0, 0};
    kt_failures fails;
    kt_failures_init(&fails);
    int ok = 1;
    kt_field f1 = *f;
    f1.kind = f->kind == KT_TYPE_SET ? KT_TYPE_ENUM : f->kind; /* one option of a set */
    kt_status st = kt_field_normalise(ws, &f1, NULL, &in, out, &fails, &ok, err);
    if (!st && !ok) {
        st = kt_error_set(err, KT_INVALID, "filter %s: %s", flt->field,
                          fails.n ? fails.items[0].message : "invalid value");
        kt_value_clear(out);
    }
    kt_failures_free(&fails);
    return st;
}

/* "today", "today-7", "today + 1", "this_month", "this_year" on a date or datetime field: the
 * days [lo, hi) they stand for, in the field's stored form. 0 when the value is none of them. */
static int relative_days(kt_ws *ws, const kt_field *f, const char *v, char lo[32], char hi[32],
                         kt_status *st, kt_error *err)
{
    if (f->kind != KT_TYPE_DATE && f->kind != KT_TYPE_DATETIME) return 0;
    char today[KT_DATE_SIZE];
    long days, from, to;
    int y, m, d;
    if (strncasecmp(v, "today", 5) == 0) {
        const char *p = v + 5;
        while (*p == ' ')
            p++;
        long shift = 0;
        if (*p == '+' || *p == '-') {
            char sign = *p++;
            while (*p == ' ')
                p++;
            if (*p < '0' || *p > '9') return 0;
            while (*p >= '0' && *p <= '9' && shift < 1000000)
                shift = shift * 10 + (*p++ - '0');
            if (sign == '-') shift = -shift;
        }
        if (*p) return 0;
        if ((*st = kt_date_today(kt_ws_setting(ws, "timezone"), today, err)) ||
            (*st = kt_date_days(today, &days, err)))
            return 1;
        from = days + shift;
        to = from + 1;
    } else if (strcasecmp(v, "this_month") == 0 || strcasecmp(v, "this_year") == 0) {
        if ((*st = kt_date_today(kt_ws_setting(ws, "timezone"), today, err)) ||
            (*st = kt_date_days(today, &days, err)))
            return 1;
        kt_date_to_civil(days, &y, &m, &d);
        int year = v[5] == 'y' || v[5] == 'Y';
        from = kt_date_from_civil(y, year ? 1 : m, 1);
        to = year ? kt_date_from_civil(y + 1, 1, 1)
                  : kt_date_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1);
    } else {
        return 0;
    }
    kt_date_from_days(from, lo);
    kt_date_from_days(to, hi);
    if (f->kind == KT_TYPE_DATETIME) {
        strcat(lo, "T00:00:00");
        strcat(hi, "T00:00:00");
    }
    *st = KT_OK;
    return 1;
}

static kt_status bind_text(const char *text, int *nbind, kt_value *binds, const kt_field **bfields,
                           kt_error *err)
{
    if (!(binds[*nbind].text = kt_strdup(text)))
        return kt_error_set(err, KT_NOMEM, "out of memory");
    bfields[(*nbind)++] = NULL;
    return KT_OK;
}

static kt_status add_relative(kt_buf *sql, const char *q, kt_filter_op op, const char *lo,
                              const char *hi, int *nbind, kt_value *binds, const kt_field **bfields,
                              kt_error *err)
{
    kt_status st = bind_text(lo, nbind, binds, bfields, err);
    if (!st) st = bind_text(hi, nbind, binds, bfields, err);
    if (st) return st;
    int a = *nbind - 1, b = *nbind;
    switch (op) {
    case KT_OP_LT:
        return kt_buf_printf(sql, err, " AND t.%s < ?%d", q, a);
    case KT_OP_LE:
        return kt_buf_printf(sql, err, " AND t.%s < ?%d", q, b);
    case KT_OP_GT:
        return kt_buf_printf(sql, err, " AND t.%s >= ?%d", q, b);
    case KT_OP_GE:
        return kt_buf_printf(sql, err, " AND t.%s >= ?%d", q, a);
    case KT_OP_NE:
        return kt_buf_printf(sql, err, " AND NOT (t.%s >= ?%d AND t.%s < ?%d)", q, a, q, b);
    default:
        return kt_buf_printf(sql, err, " AND t.%s >= ?%d AND t.%s < ?%d", q, a, q, b);
    }
}

static kt_status add_in(kt_ws *ws, const kt_field *f, const kt_filter *flt, const char *q,
                        kt_buf *sql, int *nbind, kt_value *binds, const kt_field **bfields,
                        kt_error *err)
{
    kt_status st = kt_buf_puts(sql,
                               !f                       ? " AND t.id IN ("
                               : f->kind == KT_TYPE_SET ? " AND EXISTS (SELECT 1 FROM json_each(t."
                                                        : " AND t.",
                               err);
    if (!st && f)
        st =
            kt_buf_printf(sql, err, f->kind == KT_TYPE_SET ? "%s) WHERE value IN (" : "%s IN (", q);
    for (size_t i = 0; !st && i < flt->nvalues; i++) {
        if (!f)
            st = bind_text(flt->values[i], nbind, binds, bfields, err);
        else if (!(st = filter_value(ws, f, flt, flt->values[i], &binds[*nbind], err)))
            bfields[(*nbind)++] = f->kind == KT_TYPE_SET ? NULL : f;
        if (!st) st = kt_buf_printf(sql, err, "%s?%d", i ? ", " : "", *nbind);
    }
    if (!st) st = kt_buf_puts(sql, f && f->kind == KT_TYPE_SET ? "))" : ")", err);
    return st;
}

/* The date's month and day equal one the day stands for and its year is not later: the
 * same test as kt_date_anniversary, said so that the month-day index
 * (kt_store_put_month_day_index) answers it. */
static kt_status add_anniversary(const kt_filter *flt, const char *q, kt_buf *sql, int *nbind,
                                 kt_value *binds, const kt_field **bfields, kt_error *err)
{
    long days;
    int y, m, d;
    kt_status st = kt_date_days(flt->value, &days, err);
    if (st) return st;
    kt_date_to_civil(days, &y, &m, &d);
    char md[8], year[8];
    snprintf(md, sizeof md, "%02d-%02d", m, d);
    snprintf(year, sizeof year, "%04d", y);
    /* 29 February is kept on 28 February in a common year */
    int leapling = m == 2 && d == 28 && !kt_date_is_leap(y);
    if ((st = bind_text(md, nbind, binds, bfields, err)) ||
        (leapling && (st = bind_text("02-29", nbind, binds, bfields, err))) ||
        (st = bind_text(year, nbind, binds, bfields, err)))
        return st;
    if (leapling)
        return kt_buf_printf(sql, err,
                             " AND substr(t.%s, 6, 5) IN (?%d, ?%d) AND substr(t.%s, 1, 4) <= ?%d",
                             q, *nbind - 2, *nbind - 1, q, *nbind);
    return kt_buf_printf(sql, err, " AND substr(t.%s, 6, 5) = ?%d AND substr(t.%s, 1, 4) <= ?%d", q,
                         *nbind - 1, q, *nbind);
}

/* Before the day: text order is date order for dates and datetimes alike, and a datetime on
 * the day itself sorts after the bare day. "activities": the latest activity of the record
 * that took place (done, or no status) is before it; a record without one is not. */
static kt_status add_before_day(kt_ws *ws, const kt_entity *e, const kt_filter *flt, const char *q,
                                kt_buf *sql, int *nbind, kt_value *binds, const kt_field **bfields,
                                kt_error *err)
{
    kt_status st = bind_text(flt->value, nbind, binds, bfields, err);
    if (st || strcmp(flt->field, "activities") != 0)
        return st ? st : kt_buf_printf(sql, err, " AND t.%s < ?%d", q, *nbind);
    const kt_registry *reg = kt_ws_registry(ws);
    const kt_field *link = kt_registry_field(reg, "activity", e->name);
    if (!link || link->kind != KT_TYPE_REF || !kt_registry_field(reg, "activity", "at"))
        return kt_error_set(err, KT_INVALID, "activities: an activity has no field \"%s\"",
                            e->name);
    char ql[80];
    kt_sql_ident(link->name, ql, sizeof ql);
    st = kt_buf_puts(sql, " AND (SELECT max(a.\"at\")", err);
    if (!st) st = kt_record_active_from_as(sql, "activity", "a", "ar", err);
    return st ? st
              : kt_buf_printf(sql, err,
                              " AND a.%s = t.id AND (a.\"status\" IS NULL OR a.\"status\" = "
                              "'done')) < ?%d",
                              ql, *nbind);
}

static kt_status add_filter(kt_ws *ws, const kt_entity *e, const kt_filter *flt, kt_buf *sql,
                            int *nbind, kt_value *binds, const kt_field **bfields, kt_error *err)
{
    const kt_field *f = kt_registry_field(kt_ws_registry(ws), e->name, flt->field);
    if (flt->op == KT_OP_BEFORE_DAY && !f && !strcmp(flt->field, "activities"))
        return add_before_day(ws, e, flt, "", sql, nbind, binds, bfields, err);
    if (!f && strcmp(flt->field, "id") != 0)
        return kt_error_set(err, KT_NOTFOUND, "filter: %s has no field '%s'", e->name, flt->field);
    char q[80];
    kt_sql_ident(f ? f->name : "id", q, sizeof q);
    if (flt->op == KT_OP_IN) return add_in(ws, f, flt, q, sql, nbind, binds, bfields, err);
    if ((flt->op == KT_OP_ANNIVERSARY || flt->op == KT_OP_BEFORE_DAY) &&
        (!f || (f->kind != KT_TYPE_DATE && f->kind != KT_TYPE_DATETIME)))
        return kt_error_set(err, KT_INVALID, "%s.%s is not a date or datetime field", e->name,
                            flt->field);
    if (flt->op == KT_OP_ANNIVERSARY)
        return add_anniversary(flt, q, sql, nbind, binds, bfields, err);
    if (flt->op == KT_OP_BEFORE_DAY)
        return add_before_day(ws, e, flt, q, sql, nbind, binds, bfields, err);
    int empty = flt->op == KT_OP_IS_NULL ||
                (flt->value[0] == '\0' && (flt->op == KT_OP_EQ || flt->op == KT_OP_NE));
    int filled = flt->op == KT_OP_NOT_NULL || (flt->value[0] == '\0' && flt->op == KT_OP_NE);
    if (!f && (empty || filled))
        return kt_error_set(err, KT_USAGE, "filter: every record has an id");
    if (!f) { /* by id */
        kt_status st = bind_text(flt->value, nbind, binds, bfields, err);
        return st ? st : kt_buf_printf(sql, err, " AND t.id %s ?%d", op_sql(flt->op), *nbind);
    }
    if (empty || filled)
        return kt_buf_printf(sql, err,
                             filled ? " AND (t.%s IS NOT NULL AND t.%s <> '')"
                                    : " AND (t.%s IS NULL OR t.%s = '')",
                             q, q);
    if (flt->op == KT_OP_CONTAINS) {
        char *folded = NULL;
        kt_status st = kt_text_fold(flt->value, &folded, err);
        if (st) return st;
        binds[*nbind].text = folded;
        bfields[*nbind] = NULL;
        return kt_buf_printf(sql, err, " AND instr(kt_fold(t.%s), ?%d) > 0", q, ++*nbind);
    }
    char lo[32], hi[32];
    kt_status st = KT_OK;
    if (relative_days(ws, f, flt->value, lo, hi, &st, err))
        return st ? st : add_relative(sql, q, flt->op, lo, hi, nbind, binds, bfields, err);
    st = filter_value(ws, f, flt, flt->value, &binds[*nbind], err);
    if (st) return st;
    bfields[*nbind] = f->kind == KT_TYPE_SET ? NULL : f;
    if (f->kind == KT_TYPE_SET)
        return kt_buf_printf(sql, err,
                             " AND %sEXISTS (SELECT 1 FROM json_each(t.%s) WHERE value = ?%d)",
                             flt->op == KT_OP_NE ? "NOT " : "", q, ++*nbind);
    return kt_buf_printf(sql, err, " AND t.%s %s ?%d", q, op_sql(flt->op), ++*nbind);
}

/* " ORDER BY t.\"a\", t.\"b\" DESC, r.id" from "a,-b": every name a field of e. */
static kt_status order_by(kt_ws *ws, const kt_entity *e, const char *order, kt_buf *sql,
                          kt_error *err)
{
    kt_status st = kt_buf_puts(sql, " ORDER BY ", err);
    for (const char *p = order; !st && p && *p;) {
        size_t n = strcspn(p, ",");
        int desc = *p == '-';
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(n - (size_t)desc), p + desc);
        const kt_field *f = name[0] ? kt_registry_field(kt_ws_registry(ws), e->name, name) : NULL;
        if (!f && strcmp(name, "id") != 0)
            return kt_error_set(err, KT_NOTFOUND, "sort: %s has no field '%s'", e->name, name);
        char q[80];
        kt_sql_ident(f ? f->name : "id", q, sizeof q);
        st = kt_buf_printf(sql, err, "t.%s%s, ", q, desc ? " DESC" : "");
        p += n + (p[n] == ',');
    }
    return st ? st : kt_buf_puts(sql, "r.id", err);
}

static kt_status list_query(kt_ws *ws, const char *entity, const kt_list_opts *opts,
                            const char *order, kt_id after, kt_record_cb cb, void *ud,
                            kt_error *err);

kt_status kt_list(kt_ws *ws, const char *entity, const kt_list_opts *opts, kt_record_cb cb,
                  void *ud, kt_error *err)
{
    return list_query(ws, entity, opts, NULL, 0, cb, ud, err);
}

kt_status kt_list_ordered(kt_ws *ws, const char *entity, const kt_list_opts *opts,
                          const char *order, kt_record_cb cb, void *ud, kt_error *err)
{
    return list_query(ws, entity, opts, order, 0, cb, ud, err);
}

kt_status kt_list_after(kt_ws *ws, const char *entity, const kt_list_opts *opts, kt_id after,
                        kt_record_cb cb, void *ud, kt_error *err)
{
    return list_query(ws, entity, opts, NULL, after, cb, ud, err);
}

typedef struct list_ctx {
    kt_ws *ws;
    kt_record_cb cb;
    void *ud;
    long rows;
} list_ctx;

static kt_status list_row(void *ud, kt_record *r, int *stop, kt_error *err)
{
    list_ctx *c = ud;
    if (++c->rows % 512 == 0) kt_ws_progress(c->ws, "records", c->rows, 0);
    kt_status rc;
    if ((rc = kt_access_read(c->ws, r, err)) || (rc = kt_access_mask(c->ws, r, err))) {
        kt_record_free(r);
        return rc == KT_DENIED ? KT_OK : rc; /* a record the access rules hide is left out */
    }
    *stop = c->cb(c->ud, r);
    kt_record_free(r);
    return KT_OK;
}

/* One statement for every listing: filters, a cursor (ids above after), an order. */
static kt_status list_query(kt_ws *ws, const char *entity, const kt_list_opts *opts,
                            const char *order, kt_id after, kt_record_cb cb, void *ud,
                            kt_error *err)
{
    const kt_entity *e = kt_registry_entity(kt_ws_registry(ws), entity);
    if (!e) return kt_error_set(err, KT_NOTFOUND, "there is no entity '%s'", entity);
    kt_list_opts o = opts ? *opts : (kt_list_opts){0};
    kt_buf sql = KT_BUF_INIT;
    size_t nb = 0; /* a relative date binds two values, an anniversary three, a list one each */
    for (size_t i = 0; i < o.nfilters; i++)
        nb += o.filters[i].nvalues > 3 ? o.filters[i].nvalues : 3;
    kt_value *binds = kt_calloc(nb + 1, sizeof *binds);
    const kt_field **bfields = kt_calloc(nb + 1, sizeof *bfields);
    int nbind = 0;
    kt_status rc = binds && bfields ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
    for (size_t i = 0; !rc && i < o.nfilters; i++)
        rc = add_filter(ws, e, &o.filters[i], &sql, &nbind, binds, bfields, err);
    if (!rc && after > 0) rc = kt_buf_printf(&sql, err, " AND r.id > %lld", after);
    if (!rc) rc = order_by(ws, e, order, &sql, err);
    if (!rc && (o.limit > 0 || o.offset > 0))
        rc = kt_buf_printf(&sql, err, " LIMIT %ld OFFSET %ld", o.limit > 0 ? o.limit : -1L,
                           o.offset);
    list_ctx c = {ws, cb, ud, 0};
    kt_record_params params = {binds, bfields, nbind};
    if (!rc) rc = kt_record_rows(ws, e, o.archived, kt_buf_str(&sql), &params, list_row, &c, err);
    for (int i = 0; binds && i < nbind; i++)
        kt_value_clear(&binds[i]);
    kt_free(binds);
    kt_free(bfields);
    kt_buf_free(&sql);
    return rc;
}
