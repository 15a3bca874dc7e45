/* kt_stmt on PostgreSQL: parameters are kept as text until the step that runs the statement;
 * the whole result then comes back at once and each further step moves one row on. A statement
 * run inside a transaction is fenced by a savepoint, so that its failure undoes it alone, as a
 * failed statement does on SQLite, instead of aborting the whole transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kartoteka/alloc.h"
#include "store/pg_conn.h"
#include "store/pg_lib.h"
#include "store/pg_sql.h"
#include "store/store_engine.h"

typedef struct pg_stmt {
    kt_store *s;
    char *sql;     /* translated to $N */
    char name[24]; /* on the server, "" for one run */
    int nparams;
    char **vals;          /* NULL: null */
    int *lens;            /* for binary (blob) values */
    int *formats;         /* 0 text, 1 binary */
    unsigned char *owned; /* vals[i] is ours to free */
    PGresult *res;
    int row;  /* -1 before the first step */
    int bare; /* transaction control: never fenced by a savepoint of its own */
    /* NULL: the server infers each parameter's type; all text once it could not ("?1 IS NULL
     * OR name = ?1" names none where the parameter first appears) */
    Oid *types;
    unsigned char *blob;
} pg_stmt;

static pg_stmt *of(kt_stmt *st)
{
    return (pg_stmt *)(void *)((char *)st - 1);
}

static kt_stmt *tag(pg_stmt *p)
{
    return (kt_stmt *)(void *)((char *)p + 1);
}

static void drop_result(pg_stmt *p)
{
    kt_pq.clear(p->res);
    p->res = NULL;
    kt_pq.freemem(p->blob);
    p->blob = NULL;
    p->row = -1;
}

static void unbind(pg_stmt *p, int i)
{
    if (p->owned[i]) kt_free(p->vals[i]);
    p->vals[i] = NULL;
    p->owned[i] = 0;
    p->formats[i] = 0;
    p->lens[i] = 0;
}

/* 1 when the server could not infer a parameter's type and p now says text for each. */
static int type_as_text(pg_stmt *p, const pg_conn *pc)
{
    /* 42P18 indeterminate_datatype, 42P08 ambiguous_parameter */
    if (p->types || (strcmp(pc->state, "42P18") && strcmp(pc->state, "42P08")) || !p->nparams)
        return 0;
    if (!(p->types = kt_calloc((size_t)p->nparams, sizeof *p->types))) return 0;
    for (int i = 0; i < p->nparams; i++)
        p->types[i] = 25; /* text */
    return 1;
}

kt_stmt *kt_pg_stmt_new(kt_store *s, const char *sql, int persistent, const char **tail)
{
    pg_conn *pc = kt_pg_conn(s);
    pg_stmt *p = kt_calloc(1, sizeof *p);
    int refused = 0; /* by the server, which said why; else out of memory */
    if (!p) {
        kt_pg_keep_failure(pc, NULL);
        return NULL;
    }
    p->s = s;
    p->row = -1;
    if (!(p->sql = kt_pg_translate(sql, &p->nparams, tail))) goto fail;
    static const char *const control[] = {"SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN",
                                          "COMMIT",    "END",     "SET",      NULL};
    const char *w = p->sql + strspn(p->sql, " \t\n");
    for (size_t i = 0; control[i]; i++)
        if (strncasecmp(w, control[i], strlen(control[i])) == 0) p->bare = 1;
    size_t n = (size_t)p->nparams + 1;
    p->vals = kt_calloc(n, sizeof *p->vals);
    p->lens = kt_calloc(n, sizeof *p->lens);
    p->formats = kt_calloc(n, sizeof *p->formats);
    p->owned = kt_calloc(n, 1);
    if (!p->vals || !p->lens || !p->formats || !p->owned) goto fail;
    if (persistent) {
        snprintf(p->name, sizeof p->name, "kt_%u", ++pc->serial);
        /* a statement the server refuses inside a transaction would abort it */
        int in_txn = kt_pq.transactionStatus(pc->c) == PQTRANS_INTRANS;
        int ok = 0;
        for (int again = 1; again;) {
            if (in_txn && !kt_pg_fenced(pc, "SAVEPOINT kt_stmt")) {
                refused = 1;
                goto fail;
            }
            PGresult *r =
                kt_pq.prepare(pc->c, p->name, p->sql, p->types ? p->nparams : 0, p->types);
            ok = kt_pq.resultStatus(r) == PGRES_COMMAND_OK;
            if (!ok) kt_pg_keep_failure(pc, r);
            kt_pq.clear(r);
            if (in_txn) kt_pg_unfence(pc, ok);
            again = !ok && type_as_text(p, pc);
        }
        if (!ok) {
            p->name[0] = '\0';
            refused = 1;
            goto fail;
        }
    }
    return tag(p);
fail:
    if (!refused) kt_pg_keep_failure(pc, NULL);
    kt_free(p->sql);
    kt_free(p->vals);
    kt_free(p->lens);
    kt_free(p->formats);
    kt_free(p->owned);
    kt_free(p->types);
    kt_free(p);
    return NULL;
}

static PGresult *run(pg_stmt *p, pg_conn *pc)
{
    const char *const *vals = (const char *const *)p->vals + 1;
    if (p->name[0])
        return kt_pq.execPrepared(pc->c, p->name, p->nparams, vals, p->lens + 1, p->formats + 1, 0);
    return kt_pq.execParams(pc->c, p->sql, p->nparams, p->types, vals, p->lens + 1, p->formats + 1,
                            0);
}

static int pg_step(kt_stmt *st)
{
    pg_stmt *p = of(st);
    if (p->res) {
        if (++p->row < kt_pq.ntuples(p->res)) return KT_STMT_ROW;
        return KT_STMT_DONE;
    }
    pg_conn *pc = kt_pg_conn(p->s);
    int in_txn = !p->bare && kt_pq.transactionStatus(pc->c) == PQTRANS_INTRANS;
    /* outside a transaction a serialization failure or a deadlock is retried, a few times */
    for (int attempt = 0;; attempt++) {
        if (in_txn && !kt_pg_fenced(pc, "SAVEPOINT kt_stmt")) return 1;
        PGresult *r = run(p, pc);
        ExecStatusType rs = kt_pq.resultStatus(r);
        if (rs == PGRES_TUPLES_OK || rs == PGRES_COMMAND_OK) {
            if (in_txn && !kt_pg_fenced(pc, "RELEASE SAVEPOINT kt_stmt")) {
                kt_pq.clear(r);
                return 1;
            }
            const char *n = kt_pq.cmdTuples(r);
            pc->changes = *n ? strtoll(n, NULL, 10) : 0;
            pc->state[0] = '\0';
            p->res = r;
            p->row = 0;
            return kt_pq.ntuples(r) > 0 ? KT_STMT_ROW : KT_STMT_DONE;
        }
        kt_pg_keep_failure(pc, r);
        kt_pq.clear(r);
        if (in_txn) kt_pg_unfence(pc, 0);
        if (type_as_text(p, pc)) continue;
        if (in_txn) return 1;
        int retry = strcmp(pc->state, "40001") == 0 || strcmp(pc->state, "40P01") == 0;
        if (!retry || attempt == 2) return 1;
    }
}

static void pg_reset(kt_stmt *st)
{
    drop_result(of(st));
}

static void pg_clear(kt_stmt *st)
{
    pg_stmt *p = of(st);
    for (int i = 1; i <= p->nparams; i++)
        unbind(p, i);
}

static void pg_free(kt_stmt *st)
{
    pg_stmt *p = of(st);
    drop_result(p);
    pg_clear(st);
    if (p->name[0]) {
        char sql[48];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", p->name);
        PGresult *r = kt_pq.exec(kt_pg_conn(p->s)->c, sql);
        kt_pq.clear(r);
    }
    kt_free(p->sql);
    kt_free(p->vals);
    kt_free(p->lens);
    kt_free(p->formats);
    kt_free(p->owned);
    kt_free(p->types);
    kt_free(p);
}

static int put(pg_stmt *p, int i, char *v, int owned, int len, int format)
{
    if (i < 1 || i > p->nparams) {
        if (owned) kt_free(v);
        return 1;
    }
    drop_result(p); /* binding starts a new run, as on SQLite after a reset */
    unbind(p, i);
    p->vals[i] = v;
    p->owned[i] = (unsigned char)owned;
    p->lens[i] = len;
    p->formats[i] = format;
    return 0;
}

static int pg_bind_int(kt_stmt *st, int i, long long v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", v);
    char *c = kt_strdup(buf);
    return c ? put(of(st), i, c, 1, 0, 0) : 1;
}

static int pg_bind_double(kt_stmt *st, int i, double v)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.17g", v);
    char *c = kt_strdup(buf);
    return c ? put(of(st), i, c, 1, 0, 0) : 1;
}

static int pg_bind_null(kt_stmt *st, int i)
{
    return put(of(st), i, NULL, 0, 0, 0);
}

static int pg_bind_text(kt_stmt *st, int i, const char *v, size_t len, kt_bind_how how)
{
    if (!v) return put(of(st), i, NULL, 0, 0, 0);
    if (how == KT_BIND_TAKE && len == (size_t)-1) return put(of(st), i, (char *)v, 1, 0, 0);
    if (how == KT_BIND_BORROW && len == (size_t)-1) return put(of(st), i, (char *)v, 0, 0, 0);
    size_t n = len == (size_t)-1 ? strlen(v) : len;
    char *c = kt_malloc(n + 1);
    if (c) {
        memcpy(c, v, n);
        c[n] = '\0';
    }
    if (how == KT_BIND_TAKE) kt_free((char *)v);
    return c ? put(of(st), i, c, 1, 0, 0) : 1;
}

static int pg_bind_blob(kt_stmt *st, int i, const void *v, size_t len)
{
    return put(of(st), i, (char *)v, 0, (int)len, 1);
}

static int pg_params(kt_stmt *st)
{
    return of(st)->nparams;
}

/* The current row's value, NULL for null or no row. */
static const char *value(pg_stmt *p, int col)
{
    if (!p->res || p->row < 0 || p->row >= kt_pq.ntuples(p->res) || col < 0 ||
        col >= kt_pq.nfields(p->res) || kt_pq.getisnull(p->res, p->row, col))
        return NULL;
    return kt_pq.getvalue(p->res, p->row, col);
}

enum {
    OID_BOOL = 16,
    OID_BYTEA = 17,
    OID_INT8 = 20,
    OID_INT2 = 21,
    OID_INT4 = 23,
    OID_FLOAT4 = 700,
    OID_FLOAT8 = 701,
    OID_NUMERIC = 1700
};

static int is_bool(pg_stmt *p, int col)
{
    return kt_pq.ftype(p->res, col) == OID_BOOL;
}

static long long pg_int(kt_stmt *st, int col)
{
    pg_stmt *p = of(st);
    const char *v = value(p, col);
    if (!v) return 0;
    if (is_bool(p, col)) return *v == 't';
    return strtoll(v, NULL, 10);
}

static double pg_double(kt_stmt *st, int col)
{
    const char *v = value(of(st), col);
    return v ? strtod(v, NULL) : 0.0;
}

static const char *pg_text(kt_stmt *st, int col)
{
    pg_stmt *p = of(st);
    const char *v = value(p, col);
    /* SQLite has no booleans: a comparison reads back as 1 or 0 */
    if (v && is_bool(p, col)) return *v == 't' ? "1" : "0";
    return v;
}

static const void *pg_blob(kt_stmt *st, int col, size_t *len)
{
    pg_stmt *p = of(st);
    const char *v = value(p, col);
    *len = 0;
    if (!v) return NULL;
    if (kt_pq.ftype(p->res, col) != OID_BYTEA) {
        *len = strlen(v);
        return v;
    }
    kt_pq.freemem(p->blob);
    p->blob = kt_pq.unescapeBytea((const unsigned char *)v, len);
    return p->blob;
}

static kt_col_kind pg_kind(kt_stmt *st, int col)
{
    pg_stmt *p = of(st);
    if (!value(p, col)) return KT_COL_NULL;
    switch (kt_pq.ftype(p->res, col)) {
    case OID_BOOL:
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
        return KT_COL_INT;
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUMERIC:
        return KT_COL_REAL;
    case OID_BYTEA:
        return KT_COL_BLOB;
    default:
        return KT_COL_TEXT;
    }
}

/* Before the first step the columns are known from the server's description of the
 * statement; one run's statement reads them after its step only. */
static const PGresult *shape(pg_stmt *p, PGresult **described)
{
    *described = NULL;
    if (p->res) return p->res;
    if (!p->name[0]) return NULL;
    *described = kt_pq.describePrepared(kt_pg_conn(p->s)->c, p->name);
    return *described;
}

static int pg_columns(kt_stmt *st)
{
    PGresult *d;
    const PGresult *r = shape(of(st), &d);
    int n = r ? kt_pq.nfields(r) : 0;
    kt_pq.clear(d);
    return n;
}

static const char *pg_column_name(kt_stmt *st, int col)
{
    pg_stmt *p = of(st);
    return p->res && col >= 0 && col < kt_pq.nfields(p->res) ? kt_pq.fname(p->res, col) : NULL;
}

const kt_stmt_ops kt_pg_stmt_ops = {
    pg_step,      pg_reset,     pg_clear,     pg_free,    pg_bind_int,    pg_bind_double,
    pg_bind_null, pg_bind_text, pg_bind_blob, pg_params,  pg_int,         pg_double,
    pg_text,      pg_blob,      pg_kind,      pg_columns, pg_column_name,
};
