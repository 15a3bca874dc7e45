/* The two readings every table of labelled pairs (a < b) has, each owner passing its own SQL:
 * is this pair there, and every pair in turn. */
#include "dedupe/dd_int.h"
#include "kartoteka/store.h"

int dd_pair_has(kt_store *s, const char *sql, kt_id a, kt_id b)
{
    kt_stmt *q;
    kt_error err;
    if (kt_store_prepare(s, sql, &q, &err)) return 0;
    kt_stmt_bind_int(q, 1, a);
    kt_stmt_bind_int(q, 2, b);
    int r = kt_stmt_step(q) == KT_STMT_ROW;
    kt_stmt_reset(q);
    return r;
}

kt_status dd_pair_each(kt_store *s, const char *sql, dd_stored_pair_fn fn, void *ud, kt_error *err)
{
    kt_stmt *q;
    kt_status st = kt_store_prepare(s, sql, &q, err);
    if (st) return st;
    while (!st && kt_stmt_step(q) == KT_STMT_ROW)
        st = fn(ud, kt_stmt_int(q, 0), kt_stmt_int(q, 1), 0, err);
    kt_stmt_reset(q);
    return st;
}
