/* kt_stmt on SQLite: thin calls, so the statement API above the store costs nothing; and the
 * public kt_stmt_* calls, which hand each statement to its engine. */
#include <string.h>

#include "kartoteka/alloc.h"
#include "store/store_db.h"
#include "store/store_engine.h"

static int sq_step(kt_stmt *st)
{
    int rc = sqlite3_step(stmt_of(st));
    /* the enum mirrors SQLite's codes so that a failure keeps its own value */
    return rc == SQLITE_ROW ? KT_STMT_ROW : rc == SQLITE_DONE ? KT_STMT_DONE : rc;
}

static void sq_reset(kt_stmt *st)
{
    sqlite3_reset(stmt_of(st));
}

static void sq_clear(kt_stmt *st)
{
    sqlite3_clear_bindings(stmt_of(st));
}

static void sq_free(kt_stmt *st)
{
    sqlite3_finalize(stmt_of(st));
}

static int sq_bind_int(kt_stmt *st, int i, long long v)
{
    return sqlite3_bind_int64(stmt_of(st), i, v) != SQLITE_OK;
}

static int sq_bind_double(kt_stmt *st, int i, double v)
{
    return sqlite3_bind_double(stmt_of(st), i, v) != SQLITE_OK;
}

static int sq_bind_null(kt_stmt *st, int i)
{
    return sqlite3_bind_null(stmt_of(st), i) != SQLITE_OK;
}

static int sq_bind_text(kt_stmt *st, int i, const char *v, size_t len, kt_bind_how how)
{
    int n = len == (size_t)-1 ? -1 : (int)len;
    if (how == KT_BIND_TAKE)
        return sqlite3_bind_text(stmt_of(st), i, (char *)v, n, kt_free) != SQLITE_OK;
    return sqlite3_bind_text(stmt_of(st), i, v, n,
                             how == KT_BIND_COPY ? SQLITE_TRANSIENT : SQLITE_STATIC) != SQLITE_OK;
}

static int sq_bind_blob(kt_stmt *st, int i, const void *v, size_t len)
{
    return sqlite3_bind_blob(stmt_of(st), i, v, (int)len, SQLITE_STATIC) != SQLITE_OK;
}

static int sq_params(kt_stmt *st)
{
    return sqlite3_bind_parameter_count(stmt_of(st));
}

static long long sq_int(kt_stmt *st, int col)
{
    return sqlite3_column_int64(stmt_of(st), col);
}

static double sq_double(kt_stmt *st, int col)
{
    return sqlite3_column_double(stmt_of(st), col);
}

static const char *sq_text(kt_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(stmt_of(st), col);
}

static const void *sq_blob(kt_stmt *st, int col, size_t *len)
{
    const void *p = sqlite3_column_blob(stmt_of(st), col);
    *len = (size_t)sqlite3_column_bytes(stmt_of(st), col);
    return p;
}

static kt_col_kind sq_kind(kt_stmt *st, int col)
{
    switch (sqlite3_column_type(stmt_of(st), col)) {
    case SQLITE_INTEGER:
        return KT_COL_INT;
    case SQLITE_FLOAT:
        return KT_COL_REAL;
    case SQLITE_TEXT:
        return KT_COL_TEXT;
    case SQLITE_BLOB:
        return KT_COL_BLOB;
    default:
        return KT_COL_NULL;
    }
}

static int sq_columns(kt_stmt *st)
{
    return sqlite3_column_count(stmt_of(st));
}

static const char *sq_column_name(kt_stmt *st, int col)
{
    return sqlite3_column_name(stmt_of(st), col);
}

const kt_stmt_ops kt_sqlite_stmt_ops = {
    sq_step,      sq_reset,     sq_clear,     sq_free,    sq_bind_int,    sq_bind_double,
    sq_bind_null, sq_bind_text, sq_bind_blob, sq_params,  sq_int,         sq_double,
    sq_text,      sq_blob,      sq_kind,      sq_columns, sq_column_name,
};

static inline const kt_stmt_ops *ops(const kt_stmt *st)
{
    return kt_stmt_tagged(st) ? &kt_pg_stmt_ops : &kt_sqlite_stmt_ops;
}

int kt_stmt_step(kt_stmt *st)
{
    return ops(st)->step(st);
}

void kt_stmt_reset(kt_stmt *st)
{
    ops(st)->reset(st);
}

void kt_stmt_clear(kt_stmt *st)
{
    ops(st)->clear(st);
}

void kt_stmt_free(kt_stmt *st)
{
    ops(st)->free(st);
}

int kt_stmt_bind_int(kt_stmt *st, int i, long long v)
{
    return ops(st)->bind_int(st, i, v);
}

int kt_stmt_bind_double(kt_stmt *st, int i, double v)
{
    return ops(st)->bind_double(st, i, v);
}

int kt_stmt_bind_null(kt_stmt *st, int i)
{
    return ops(st)->bind_null(st, i);
}

int kt_stmt_bind_text(kt_stmt *st, int i, const char *v)
{
    return ops(st)->bind_text(st, i, v, (size_t)-1, KT_BIND_BORROW);
}

int kt_stmt_bind_text_copy(kt_stmt *st, int i, const char *v, size_t len)
{
    return ops(st)->bind_text(st, i, v, len, KT_BIND_COPY);
}

int kt_stmt_bind_text_owned(kt_stmt *st, int i, char *v)
{
    return ops(st)->bind_text(st, i, v, (size_t)-1, KT_BIND_TAKE);
}

int kt_stmt_bind_blob(kt_stmt *st, int i, const void *v, size_t len)
{
    return ops(st)->bind_blob(st, i, v, len);
}

int kt_stmt_params(kt_stmt *st)
{
    return ops(st)->params(st);
}

long long kt_stmt_int(kt_stmt *st, int col)
{
    return ops(st)->col_int(st, col);
}

double kt_stmt_double(kt_stmt *st, int col)
{
    return ops(st)->col_double(st, col);
}

const char *kt_stmt_text(kt_stmt *st, int col)
{
    return ops(st)->col_text(st, col);
}

const void *kt_stmt_blob(kt_stmt *st, int col, size_t *len)
{
    return ops(st)->col_blob(st, col, len);
}

kt_col_kind kt_stmt_kind(kt_stmt *st, int col)
{
    return ops(st)->kind(st, col);
}

int kt_stmt_is_null(kt_stmt *st, int col)
{
    return ops(st)->kind(st, col) == KT_COL_NULL;
}

int kt_stmt_columns(kt_stmt *st)
{
    return ops(st)->columns(st);
}

const char *kt_stmt_column_name(kt_stmt *st, int col)
{
    return ops(st)->column_name(st, col);
}
