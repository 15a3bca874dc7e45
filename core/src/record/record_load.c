/* Reading records out of their entity tables: by id, and by filters. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "kartoteka/query.h"
#include "record/record_sql.h"
#include "record/access.h"
#include "record/field_value.h"
#include "record/record_table.h"

kt_id kt_id_parse(const char *s)
{
    if (!s || *s < '0' || *s > '9') return 0; /* no sign, no space */
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    return *end == '\0' && errno != ERANGE && v > 0 ? v : 0; /* too big is not the largest id */
}

kt_status kt_record_select_sql(const kt_entity *e, kt_buf *sql, kt_error *err)
{
    char q[80];
    kt_status rc =
        kt_buf_puts(sql, "SELECT r.id, r.state, r.merged_into, r.created_at, r.updated_at", err);
    for (size_t i = 0; !rc && i < e->nfields; i++) {
        kt_sql_ident(e->fields[i].name, q, sizeof q);
        rc = kt_buf_printf(sql, err, ", t.%s", q);
    }
    kt_sql_ident(e->name, q, sizeof q);
    if (!rc) rc = kt_buf_printf(sql, err, " FROM kt_record r JOIN %s t ON t.id = r.id", q);
    return rc;
}

kt_status kt_record_from_row(kt_stmt *st, const kt_entity *e, kt_record **out, kt_error *err)
{
    kt_record *r = kt_record_new(e->name);
    if (!r) return kt_error_set(err, KT_NOMEM, "out of memory");
    r->id = kt_stmt_int(st, 0);
    snprintf(r->state, sizeof r->state, "%s", kt_stmt_text(st, 1));
    r->merged_into = kt_stmt_int(st, 2);
    r->created_at = kt_strdup(kt_stmt_text(st, 3));
    r->updated_at = kt_strdup(kt_stmt_text(st, 4));
    kt_status rc =
        r->created_at && r->updated_at ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
    for (size_t i = 0; !rc && i < e->nfields; i++) {
        kt_value v;
        if ((rc = kt_field_column(st, (int)i + 5, &e->fields[i], &v, err))) break;
        rc = v.is_set ? kt_record_set_list(r, e->fields[i].name, (const char *const *)v.items,
                                           v.nitems, err)
                      : kt_record_set(r, e->fields[i].name, v.text, err);
        kt_value_clear(&v);
    }
    if (rc) {
        kt_record_free(r);
        return rc;
    }
    *out = r;
    return KT_OK;
}

kt_status kt_get(kt_ws *ws, kt_id id, kt_record **out, kt_error *err)
{
    *out = NULL;
    char entity[64];
    kt_status rc = kt_ws_entity_of(ws, id, entity, sizeof entity, err);
    if (rc) return rc;
    const kt_entity *e = kt_registry_entity(kt_ws_registry(ws), entity);
    if (!e)
        return kt_error_set(err, KT_NOTFOUND, "record %lld belongs to an unknown entity %s", id,
                            entity);
    rc = kt_record_row_read(kt_ws_store(ws), e, id, out, err);
    if (!rc && ((rc = kt_access_read(ws, *out, err)) || (rc = kt_access_mask(ws, *out, err)))) {
        kt_record_free(*out);
        *out = NULL;
    }
    return rc;
}
