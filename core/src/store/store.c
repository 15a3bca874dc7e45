#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kartoteka/alloc.h"
#include "kartoteka/date.h"
#include "kartoteka/store.h"
#include "store/sql_guard.h"
#include "store/store_db.h"
#include "store/store_engine.h"

#include "store/store_int.h"

static kt_status prepare_cached(kt_store *s, const char *sql, kt_stmt **stmt, kt_error *err);

/* "2 minutes", "30 seconds", "1500 ms": the wait the busy message reports. */
static void say_wait(long ms, char *out, size_t size)
{
    if (ms >= 60000 && ms % 60000 == 0)
        snprintf(out, size, "%ld minute%s", ms / 60000, ms == 60000 ? "" : "s");
    else if (ms >= 1000 && ms % 1000 == 0)
        snprintf(out, size, "%ld second%s", ms / 1000, ms == 1000 ? "" : "s");
    else
        snprintf(out, size, "%ld ms", ms);
}

kt_status kt_store_fail(kt_store *s, kt_error *err, const char *doing)
{
    kt_status st = s->eng->status(s);
    if (st == KT_BUSY) {
        char wait[48];
        say_wait(s->busy_ms, wait, sizeof wait);
        return kt_error_set(err, st,
                            "%s: the database is busy: another command (an import, a long "
                            "script) has been writing to it for more than %s; try again when it "
                            "is done",
                            doing, wait);
    }
    return kt_error_set(err, st, "%s: %s", doing, s->eng->errmsg(s));
}

/* Savepoints come and go several times per imported row: prepared once, not parsed each time. */
kt_status store_exec_cached(kt_store *s, const char *sql, kt_error *err)
{
    kt_stmt *st;
    kt_status rc = prepare_cached(s, sql, &st, err);
    if (rc) return rc;
    int step = kt_stmt_step(st);
    if (step != KT_STMT_DONE) rc = kt_store_fail(s, err, "database");
    kt_stmt_reset(st);
    return rc;
}

kt_status store_exec(kt_store *s, const char *sql, kt_error *err)
{
    return s->eng->exec(s, sql, err);
}

int kt_store_exec_quiet(kt_store *s, const char *sql)
{
    return store_exec(s, sql, NULL) != KT_OK;
}

kt_status kt_store_check(const char *where, kt_error *err)
{
    kt_store_opts create = {1, 0};
    return (kt_store_is_remote(where) ? &kt_pg_engine : &kt_sqlite_engine)
        ->check(where, &create, err);
}

int kt_store_is_remote(const char *where)
{
    return strncmp(where, "postgresql://", 13) == 0 || strncmp(where, "postgres://", 11) == 0;
}

kt_status kt_store_open(const char *path, const kt_store_opts *opts, kt_store **out, kt_error *err)
{
    *out = NULL;
    const kt_engine *eng = kt_store_is_remote(path) ? &kt_pg_engine : &kt_sqlite_engine;
    kt_status st = eng->check(path, opts, err);
    if (st) return st;
    /* every timestamp the store writes honours KT_NOW: one that the clocks refuse is refused
     * here, before anything is written with the real time instead */
    char fixed[KT_DATETIME_SIZE];
    int found;
    kt_status bad = kt_date_now_override(fixed, &found, err);
    if (bad) return bad;
    kt_store *s = kt_calloc(1, sizeof *s);
    if (!s) return kt_error_set(err, KT_NOMEM, "out of memory");
    s->eng = eng;
    /* A writer waits its turn behind another writer (an import, a long script) rather than
     * failing: two minutes, or KT_BUSY_TIMEOUT_MS (whole milliseconds; anything else is
     * ignored). */
    const char *wait = getenv("KT_BUSY_TIMEOUT_MS");
    char *end = NULL;
    long ms = wait ? strtol(wait, &end, 10) : 0;
    s->busy_ms = wait && *wait && !*end && ms > 0 && ms <= INT_MAX ? ms : 120000;
    st = s->eng->open(s, path, opts, err);
    if (st) {
        kt_store_close(s);
        return st;
    }
    *out = s;
    return KT_OK;
}

void kt_store_close(kt_store *s)
{
    if (!s) return;
    s->nlisteners = 0; /* their owners may be gone already: a closing store tells nobody */
    sql_guard_free(s->guard);
    while (s->depth > 0)
        kt_store_rollback(s);
    for (size_t i = 0; i < s->ncache; i++) {
        kt_stmt_free(s->cache[i].stmt);
        kt_free(s->cache[i].sql);
    }
    for (size_t i = 0; i < s->nidle; i++) {
        kt_stmt_free(s->idle[i].stmt);
        kt_free(s->idle[i].sql);
    }
    s->eng->close(s);
    kt_free(s);
}

void *kt_store_conn(kt_store *s)
{
    return s->conn;
}

void kt_store_set_conn(kt_store *s, void *conn)
{
    s->conn = conn;
}

const char *kt_store_engine_name(const kt_store *s)
{
    return s->eng->name;
}

const kt_engine *kt_store_engine(const kt_store *s)
{
    return s->eng;
}

long kt_store_busy_ms(const kt_store *s)
{
    return s->busy_ms;
}

int kt_store_guards_commit(const kt_store *s)
{
    return s->depth > 0 && !s->committing;
}

sql_guard **kt_store_guard_slot(kt_store *s)
{
    return &s->guard;
}

static unsigned long sql_hash(const char *sql)
{
    unsigned long h = 5381;
    for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
        h = h * 33 + *p;
    return h;
}

static kt_status prepare_cached(kt_store *s, const char *sql, kt_stmt **stmt, kt_error *err)
{
    unsigned long hash = sql_hash(sql);
    for (size_t i = 0; i < s->ncache; i++) {
        if (s->cache[i].hash == hash && strcmp(s->cache[i].sql, sql) == 0) {
            kt_stmt_reset(s->cache[i].stmt);
            kt_stmt_clear(s->cache[i].stmt);
            *stmt = s->cache[i].stmt;
            return KT_OK;
        }
    }
    kt_stmt *st = NULL;
    if (s->eng->prepare(s, sql, 1, &st, NULL))
        return kt_store_fail(s, err, "preparing a statement");
    char *copy = kt_strdup(sql);
    if (!copy) {
        kt_stmt_free(st);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    /* A full cache evicts the oldest entry: statements are few and reused in loops. */
    if (s->ncache == CACHE_SLOTS) {
        kt_stmt_free(s->cache[0].stmt);
        kt_free(s->cache[0].sql);
        memmove(&s->cache[0], &s->cache[1], (CACHE_SLOTS - 1) * sizeof(cached));
        s->ncache--;
    }
    s->cache[s->ncache].sql = copy;
    s->cache[s->ncache].hash = hash;
    s->cache[s->ncache].stmt = st;
    s->ncache++;
    *stmt = st;
    return KT_OK;
}

kt_status kt_store_int(kt_store *s, const char *sql, const char *doing, long long *out,
                       kt_error *err)
{
    kt_stmt *q;
    *out = 0;
    kt_status st = prepare_cached(s, sql, &q, err);
    if (st) return st;
    if (kt_stmt_step(q) == KT_STMT_ROW)
        *out = kt_stmt_int(q, 0);
    else
        st = kt_store_fail(s, err, doing);
    kt_stmt_reset(q); /* off its row: a statement left there holds a read transaction open */
    return st;
}

kt_status kt_store_prepare(kt_store *s, const char *sql, kt_stmt **stmt, kt_error *err)
{
    kt_stmt *st = NULL;
    kt_status rc = prepare_cached(s, sql, &st, err);
    *stmt = st;
    return rc;
}

kt_status kt_store_prepare_new(kt_store *s, const char *sql, const char *doing, kt_stmt **stmt,
                               kt_error *err)
{
    kt_stmt *st = NULL;
    *stmt = NULL;
    if (s->eng->prepare(s, sql, 0, &st, NULL)) return kt_store_fail(s, err, doing);
    *stmt = st;
    return KT_OK;
}

kt_status kt_store_prepare_user(kt_store *s, const char *sql, const char *doing, kt_stmt **stmt,
                                kt_error *err)
{
    kt_stmt *st = NULL;
    const char *tail = NULL;
    *stmt = NULL;
    if (!s->eng->stmt_read_only)
        return kt_error_set(err, KT_USAGE, "%s: not yet available on a %s store", doing,
                            s->eng->name);
    if (s->eng->prepare(s, sql, 0, &st, &tail)) return kt_store_fail(s, err, doing);
    while (tail &&
           (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == '\r' || *tail == ';'))
        tail++;
    if (tail && *tail) {
        kt_stmt_free(st);
        return kt_error_set(err, KT_USAGE, "%s takes one statement", doing);
    }
    if (!st) return kt_error_set(err, KT_NOTFOUND, "%s: no statement", doing);
    /* VACUUM and the like ask an authorizer nothing; they are not read-only either */
    if (!s->eng->stmt_read_only(st)) {
        kt_stmt_free(st);
        return kt_error_set(err, KT_DENIED, "%s is read-only", doing);
    }
    *stmt = st;
    return KT_OK;
}

int kt_store_failed_on_size(kt_store *s)
{
    return s->eng->failed_on_size(s);
}

int kt_store_failed_on_constraint(kt_store *s)
{
    return s->eng->status(s) == KT_CONSTRAINT;
}

const char *kt_store_errmsg(kt_store *s)
{
    return s->eng->errmsg(s);
}

int kt_store_read_only(kt_store *s)
{
    return s->eng->read_only(s);
}

kt_status kt_store_borrow(kt_store *s, const char *sql, const char *doing, kt_stmt **stmt,
                          kt_error *err)
{
    for (size_t i = s->nidle; i-- > 0;) {
        if (strcmp(s->idle[i].sql, sql) != 0) continue;
        *stmt = s->idle[i].stmt;
        kt_free(s->idle[i].sql);
        memmove(&s->idle[i], &s->idle[i + 1], (s->nidle - i - 1) * sizeof *s->idle);
        s->nidle--;
        return KT_OK;
    }
    return kt_store_prepare_new(s, sql, doing, stmt, err);
}

void kt_store_give_back(kt_store *s, const char *sql, kt_stmt *stmt)
{
    if (!stmt) return;
    /* off its row and its values: an idle statement holds no read transaction open */
    kt_stmt_reset(stmt);
    kt_stmt_clear(stmt);
    char *copy = kt_strdup(sql);
    if (!copy) { /* kept for nothing, then: parsed again next time */
        kt_stmt_free(stmt);
        return;
    }
    if (s->nidle == IDLE_SLOTS) {
        kt_stmt_free(s->idle[0].stmt);
        kt_free(s->idle[0].sql);
        memmove(&s->idle[0], &s->idle[1], (IDLE_SLOTS - 1) * sizeof *s->idle);
        s->nidle--;
    }
    s->idle[s->nidle++] = (cached){copy, 0, stmt};
}

kt_status kt_store_still_open(kt_store *s, const char *what, kt_error *err)
{
    if (s->eng->in_transaction(s)) return KT_OK;
    return kt_error_set(err, KT_IO, "the database rolled %s back (%s); nothing was written", what,
                        s->eng->errmsg(s));
}

void kt_store_bulk(kt_store *s, int on)
{
    s->eng->bulk(s, on);
}

long long kt_store_last_id(kt_store *s)
{
    return s->eng->last_id(s);
}

long long kt_store_changes(kt_store *s)
{
    return s->eng->changes(s);
}

kt_status kt_store_run(kt_store *s, const char *sql, const char *doing, kt_error *err,
                       const char *binds, ...)
{
    kt_stmt *q;
    kt_status st = prepare_cached(s, sql, &q, err);
    if (st) return st;
    va_list ap;
    va_start(ap, binds);
    for (int i = 1; binds[i - 1]; i++) {
        switch (binds[i - 1]) {
        case 'i':
            kt_stmt_bind_int(q, i, va_arg(ap, long long));
            break;
        case 'd':
            kt_stmt_bind_double(q, i, va_arg(ap, double));
            break;
        case 'z': {
            long long v = va_arg(ap, long long);
            if (v) kt_stmt_bind_int(q, i, v);
            break;
        }
        default:
            kt_stmt_bind_text(q, i, va_arg(ap, const char *));
            break;
        }
    }
    va_end(ap);
    int step = kt_stmt_step(q);
    if (step != KT_STMT_DONE && step != KT_STMT_ROW) st = kt_store_fail(s, err, doing);
    kt_stmt_reset(q);
    return st;
}

void kt_store_now(char out[32])
{
    char fixed[KT_DATETIME_SIZE];
    int found = 0;
    /* kt_store_open refused a malformed KT_NOW */
    if (kt_date_now_override(fixed, &found, NULL) == KT_OK && found) {
        snprintf(out, 32, "%.19sZ", fixed);
        return;
    }
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void kt_sql_ident(const char *name, char *out, size_t size)
{
    size_t j = 0;
    if (size < 3) return;
    out[j++] = '"';
    for (const char *p = name; *p && j + 3 < size; p++) {
        if (*p == '"') out[j++] = '"';
        out[j++] = *p;
    }
    out[j++] = '"';
    out[j] = '\0';
}

kt_status kt_store_secure_delete(kt_store *s, int on, kt_error *err)
{
    return s->eng->secure_delete(s, on, err);
}

kt_status kt_store_refresh(kt_store *s, kt_error *err)
{
    if (s->depth) return kt_error_set(err, KT_INTERNAL, "refreshing inside a transaction");
    kt_status st = store_exec(s, "CREATE TEMP TABLE IF NOT EXISTS kt_refresh(x)", err);
    return st ? st : store_exec(s, "DROP TABLE temp.kt_refresh", err);
}

kt_status kt_store_compact(kt_store *s, int *checkpointed, kt_error *err)
{
    if (s->depth) return kt_error_set(err, KT_INTERNAL, "compacting inside a transaction");
    *checkpointed = 0;
    return s->eng->compact(s, checkpointed, err);
}
