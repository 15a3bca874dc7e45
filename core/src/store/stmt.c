/* kt_stmt on SQLite: thin calls, so the statement API above the store costs nothing. */
#include <string.h>

#include "kartoteka/alloc.h"
#include "store/store_db.h"

int kt_stmt_step(kt_stmt *st)
{
    int rc = sqlite3_step(stmt_of(st));
    /* the enum mirrors SQLite's codes so that a failure keeps its own value */
    return rc == SQLITE_ROW ? KT_STMT_ROW : rc == SQLITE_DONE ? KT_STMT_DONE : rc;
}

void kt_stmt_reset(kt_stmt *st)
{
    sqlite3_reset(stmt_of(st));
}

void kt_stmt_clear(kt_stmt *st)
{
    sqlite3_clear_bindings(stmt_of(st));
}

void kt_stmt_free(kt_stmt *st)
{
    sqlite3_finalize(stmt_of(st));
}

int kt_stmt_bind_int(kt_stmt *st, int i, long long v)
{
    return sqlite3_bind_int64(stmt_of(st), i, v) != SQLITE_OK;
}

int kt_stmt_bind_double(kt_stmt *st, int i, double v)
{
    return sqlite3_bind_double(stmt_of(st), i, v) != SQLITE_OK;
}

int kt_stmt_bind_null(kt_stmt *st, int i)
{
    return sqlite3_bind_null(stmt_of(st), i) != SQLITE_OK;
}

int kt_stmt_bind_text(kt_stmt *st, int i, const char *v)
{
    return sqlite3_bind_text(stmt_of(st), i, v, -1, SQLITE_STATIC) != SQLITE_OK;
}

int kt_stmt_bind_text_copy(kt_stmt *st, int i, const char *v, size_t len)
{
    int n = len == (size_t)-1 ? -1 : (int)len;
    return sqlite3_bind_text(stmt_of(st), i, v, n, SQLITE_TRANSIENT) != SQLITE_OK;
}

int kt_stmt_bind_text_owned(kt_stmt *st, int i, char *v)
{
    return sqlite3_bind_text(stmt_of(st), i, v, -1, kt_free) != SQLITE_OK;
}

int kt_stmt_bind_blob(kt_stmt *st, int i, const void *v, size_t len)
{
    return sqlite3_bind_blob(stmt_of(st), i, v, (int)len, SQLITE_STATIC) != SQLITE_OK;
}

int kt_stmt_params(kt_stmt *st)
{
    return sqlite3_bind_parameter_count(stmt_of(st));
}

long long kt_stmt_int(kt_stmt *st, int col)
{
    return sqlite3_column_int64(stmt_of(st), col);
}

double kt_stmt_double(kt_stmt *st, int col)
{
    return sqlite3_column_double(stmt_of(st), col);
}

const char *kt_stmt_text(kt_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(stmt_of(st), col);
}

const void *kt_stmt_blob(kt_stmt *st, int col, size_t *len)
{
    const void *p = sqlite3_column_blob(stmt_of(st), col);
    *len = (size_t)sqlite3_column_bytes(stmt_of(st), col);
    return p;
}

kt_col_kind kt_stmt_kind(kt_stmt *st, int col)
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

int kt_stmt_is_null(kt_stmt *st, int col)
{
    return sqlite3_column_type(stmt_of(st), col) == SQLITE_NULL;
}

int kt_stmt_columns(kt_stmt *st)
{
    return sqlite3_column_count(stmt_of(st));
}

const char *kt_stmt_column_name(kt_stmt *st, int col)
{
    return sqlite3_column_name(stmt_of(st), col);
}
