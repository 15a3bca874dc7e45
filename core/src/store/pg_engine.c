/* The PostgreSQL engine: a workspace whose data lives in a PostgreSQL database, named by a
 * postgresql:// URL. The password never comes from the URL (it would sit in kartoteka.lua and
 * in messages): libpq takes it from PGPASSWORD, ~/.pgpass or the file PGPASSFILE names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "store/pg_conn.h"
#include "store/pg_lib.h"
#include "store/pg_sql.h"
#include "store/schema_files.h"
#include "store/store_engine.h"

pg_conn *kt_pg_conn(kt_store *s)
{
    return kt_store_conn(s);
}

void kt_pg_keep_failure(pg_conn *pc, const PGresult *res)
{
    const char *state = res ? kt_pq.resultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? kt_pq.resultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!res) {
        state = "53200"; /* out_of_memory */
        msg = "out of memory";
    } else if (!msg) {
        msg = kt_pq.errorMessage(pc->c);
    }
    snprintf(pc->state, sizeof pc->state, "%s", state ? state : "XX000");
    snprintf(pc->message, sizeof pc->message, "%s", msg);
    size_t n = strlen(pc->message);
    while (n && pc->message[n - 1] == '\n')
        pc->message[--n] = '\0';
}

/* Inside a transaction a failed statement would abort it: a savepoint keeps the failure to the
 * statement. */
int kt_pg_fenced(pg_conn *pc, const char *sql)
{
    PGresult *r = kt_pq.exec(pc->c, sql);
    int ok = kt_pq.resultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) kt_pg_keep_failure(pc, r);
    kt_pq.clear(r);
    return ok;
}

/* Ends the fence: keeps the statement's work (ok) or undoes it alone. */
void kt_pg_unfence(pg_conn *pc, int ok)
{
    PGresult *r =
        kt_pq.exec(pc->c, ok ? "RELEASE SAVEPOINT kt_stmt"
                             : "ROLLBACK TO SAVEPOINT kt_stmt; RELEASE SAVEPOINT kt_stmt");
    kt_pq.clear(r);
}

/* 1 when url carries a password (user:password@host). */
static int has_password(const char *url)
{
    const char *p = strstr(url, "://");
    if (!p) return 0;
    p += 3;
    size_t auth = strcspn(p, "/?#");
    const char *at = memchr(p, '@', auth);
    return at && memchr(p, ':', (size_t)(at - p)) != NULL;
}

static kt_status pg_check(const char *url, const kt_store_opts *opts, kt_error *err)
{
    (void)opts;
    if (has_password(url))
        return kt_error_set(err, KT_USAGE,
                            "the store's URL carries a password: keep it in PGPASSWORD, "
                            "~/.pgpass or a 0600 file named by PGPASSFILE, never in the URL");
    return KT_OK;
}

static kt_status pg_status(kt_store *s)
{
    const char *st = kt_pg_conn(s)->state;
    if (strcmp(st, "23505") == 0) return KT_CONSTRAINT;  /* unique_violation */
    if (strncmp(st, "23", 2) == 0) return KT_CONSTRAINT; /* other integrity violations */
    if (strcmp(st, "40001") == 0 || strcmp(st, "40P01") == 0 || strcmp(st, "55P03") == 0)
        return KT_BUSY; /* serialization failure, deadlock, lock wait over lock_timeout */
    if (strcmp(st, "53200") == 0) return KT_NOMEM;
    if (strcmp(st, "25006") == 0) return KT_DENIED; /* read_only_sql_transaction */
    if (strncmp(st, "08", 2) == 0 || strncmp(st, "53", 2) == 0) return KT_IO;
    return KT_INTERNAL;
}

static const char *pg_errmsg(kt_store *s)
{
    return kt_pg_conn(s)->message;
}

/* sql as it is: PostgreSQL's own (the migrations, transaction control) */
static kt_status exec_raw(kt_store *s, const char *sql, kt_error *err)
{
    pg_conn *pc = kt_pg_conn(s);
    PGresult *r = kt_pq.exec(pc->c, sql);
    ExecStatusType rs = kt_pq.resultStatus(r);
    if (rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK || rs == PGRES_EMPTY_QUERY) {
        kt_pq.clear(r);
        return KT_OK;
    }
    kt_pg_keep_failure(pc, r);
    kt_pq.clear(r);
    return kt_store_fail(s, err, "database");
}

static kt_status pg_exec(kt_store *s, const char *sql, kt_error *err)
{
    int n;
    char *text = kt_pg_translate(sql, &n, NULL);
    if (!text) return kt_error_set(err, KT_NOMEM, "out of memory");
    kt_status st = exec_raw(s, text, err);
    kt_free(text);
    return st;
}

/* The schema/pg/NNN_*.sql files past the version kt_schema_version holds, each in the
 * transaction that records it. An advisory lock taken inside the transaction (and let go with
 * it) makes a second kt starting on a new version wait, then find nothing left to do. */
static kt_status migrate(kt_store *s, kt_error *err)
{
    kt_status st = pg_exec(s,
                           "CREATE TABLE IF NOT EXISTS kt_schema_version (version integer "
                           "NOT NULL); SELECT pg_advisory_lock(hashtext('kartoteka migrate'))",
                           err);
    if (st) return st;
    for (const kt_schema_file *f = kt_schema_files; !st && f->name; f++) {
        if (strncmp(f->name, "pg/", 3) != 0) continue;
        int n = atoi(f->name + 3);
        long long version = 0;
        if ((st = kt_store_int(s, "SELECT coalesce(max(version), 0) FROM kt_schema_version",
                               "reading the schema version", &version, err)))
            break;
        if (n <= version) continue;
        if ((st = kt_store_begin(s, err))) break;
        char mark[80];
        snprintf(mark, sizeof mark, "INSERT INTO kt_schema_version VALUES (%d)", n);
        if ((st = exec_raw(s, f->text, err)) || (st = exec_raw(s, mark, err))) {
            kt_store_rollback(s);
            kt_error_prefix(err, "migration %s: ", f->name);
            break;
        }
        st = kt_store_commit(s, err);
    }
    PGresult *r =
        kt_pq.exec(kt_pg_conn(s)->c, "SELECT pg_advisory_unlock(hashtext('kartoteka migrate'))");
    kt_pq.clear(r);
    return st;
}

static kt_status pg_open(kt_store *s, const char *url, const kt_store_opts *opts, kt_error *err)
{
    kt_status st = kt_pq_load(err);
    if (st) return st;
    pg_conn *pc = kt_calloc(1, sizeof *pc);
    if (!pc) return kt_error_set(err, KT_NOMEM, "out of memory");
    kt_store_set_conn(s, pc);
    pc->c = kt_pq.connectdb(url);
    if (!pc->c) return kt_error_set(err, KT_NOMEM, "out of memory");
    if (kt_pq.status(pc->c) != CONNECTION_OK) {
        char msg[400];
        snprintf(msg, sizeof msg, "%s", kt_pq.errorMessage(pc->c));
        msg[strcspn(msg, "\n")] = '\0';
        return kt_error_set(err, KT_IO, "cannot connect to the PostgreSQL store: %s", msg);
    }
    /* a writer waits for another's row locks as long as it would wait for SQLite's file lock;
     * past that the lock wait fails (55P03), which reads as KT_BUSY */
    char setup[200];
    snprintf(setup, sizeof setup,
             "SET client_encoding = 'UTF8'; SET client_min_messages = warning; "
             "SET lock_timeout = %ld",
             kt_store_busy_ms(s));
    st = pg_exec(s, setup, err);
    if (!st && !(opts && opts->read_only)) st = migrate(s, err);
    if (!st && opts && opts->read_only) {
        pc->read_only = 1;
        st = pg_exec(s, "SET default_transaction_read_only = on", err);
    }
    return st;
}

static void pg_close(kt_store *s)
{
    pg_conn *pc = kt_pg_conn(s);
    if (!pc) return;
    kt_pq.finish(pc->c);
    kt_free(pc);
}

static int pg_prepare(kt_store *s, const char *sql, int persistent, kt_stmt **out,
                      const char **tail)
{
    *out = kt_pg_stmt_new(s, sql, persistent, tail);
    return *out == NULL;
}

static int pg_failed_on_size(kt_store *s)
{
    const char *st = kt_pg_conn(s)->state;
    return strcmp(st, "53200") == 0 || strcmp(st, "54000") == 0;
}

static int pg_in_transaction(kt_store *s)
{
    return kt_pq.transactionStatus(kt_pg_conn(s)->c) == PQTRANS_INTRANS;
}

static long long pg_last_id(kt_store *s)
{
    /* ids come from identity columns: the last value this session drew from a sequence */
    pg_conn *pc = kt_pg_conn(s);
    long long id = 0;
    /* lastval() fails before any sequence was drawn from; inside a transaction that would
     * abort it */
    int in_txn = pg_in_transaction(s);
    if (in_txn && !kt_pg_fenced(pc, "SAVEPOINT kt_stmt")) return 0;
    PGresult *r = kt_pq.exec(pc->c, "SELECT lastval()");
    int ok = kt_pq.resultStatus(r) == PGRES_TUPLES_OK && kt_pq.ntuples(r) == 1;
    if (ok) id = strtoll(kt_pq.getvalue(r, 0, 0), NULL, 10);
    kt_pq.clear(r);
    if (in_txn) kt_pg_unfence(pc, ok);
    return id;
}

static long long pg_changes(kt_store *s)
{
    return kt_pg_conn(s)->changes;
}

static int pg_read_only(kt_store *s)
{
    return kt_pg_conn(s)->read_only;
}

static kt_status pg_query_only(kt_store *s, int on, kt_error *err)
{
    if (on && pg_in_transaction(s)) return pg_exec(s, "SET TRANSACTION READ ONLY", err);
    return KT_OK;
}

static void pg_bulk(kt_store *s, int on)
{
    (void)s;
    (void)on;
}

static kt_status pg_secure_delete(kt_store *s, int on, kt_error *err)
{
    (void)on;
    /* PostgreSQL has no such setting: a removed value stays in dead tuples until VACUUM */
    return kt_error_set(err, KT_USAGE, "secure delete: not yet available on a %s store",
                        kt_store_engine(s)->name);
}

static kt_status pg_compact(kt_store *s, int *checkpointed, kt_error *err)
{
    kt_status st = pg_exec(s, "VACUUM FULL", err);
    if (!st) *checkpointed = 1;
    return st;
}

const kt_engine kt_pg_engine = {
    .name = "PostgreSQL",
    .check = pg_check,
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .stmt_read_only = NULL,
    .status = pg_status,
    .errmsg = pg_errmsg,
    .failed_on_size = pg_failed_on_size,
    .in_transaction = pg_in_transaction,
    .last_id = pg_last_id,
    .changes = pg_changes,
    .read_only = pg_read_only,
    .begin = "BEGIN",
    .commit = "COMMIT",
    .query_only = pg_query_only,
    .bulk = pg_bulk,
    .secure_delete = pg_secure_delete,
    .compact = pg_compact,
};
