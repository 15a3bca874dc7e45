#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kartoteka/alloc.h"
#include "kartoteka/date.h"
#include "kartoteka/store.h"
#include "kartoteka/text.h"
#include "store/schema_files.h"

#define CACHE_SLOTS 64
#define LISTENERS 8 /* search, the dedupe overlay, a few caches */

typedef struct cached {
    char *sql;
    unsigned long hash; /* of sql: the lookup runs several times per saved record */
    sqlite3_stmt *stmt;
} cached;

struct kt_store {
    sqlite3 *db;
    int depth;
    int committing; /* our own COMMIT is running */
    int pending;    /* the outermost transaction is lazy and its BEGIN not issued yet */
    const kt_store_listener *listeners[LISTENERS]; /* borrowed */
    size_t nlisteners;
    cached cache[CACHE_SLOTS];
    size_t ncache;
    long busy_ms; /* how long a writer waits for another before KT_BUSY */
};

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
    int rc = sqlite3_extended_errcode(s->db);
    kt_status st = KT_INTERNAL;
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        st = KT_BUSY;
    else if ((rc & 0xff) == SQLITE_CONSTRAINT)
        st = KT_CONSTRAINT;
    else if ((rc & 0xff) == SQLITE_NOMEM)
        st = KT_NOMEM;
    else if (rc == SQLITE_READONLY) /* query_only: a read-only connection asked to write */
        st = KT_DENIED;
    else if ((rc & 0xff) == SQLITE_READONLY) /* the file, its folder or its locks */
        st = KT_IO;
    else if ((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_FULL ||
             (rc & 0xff) == SQLITE_CANTOPEN)
        st = KT_IO;
    if (st == KT_BUSY) {
        char wait[48];
        say_wait(s->busy_ms, wait, sizeof wait);
        return kt_error_set(err, st,
                            "%s: the database is busy: another command (an import, a long "
                            "script) has been writing to it for more than %s; try again when it "
                            "is done",
                            doing, wait);
    }
    return kt_error_set(err, st, "%s: %s", doing, sqlite3_errmsg(s->db));
}

static void fold_sql(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *in = (const char *)sqlite3_value_text(argv[0]);
    if (!in) {
        sqlite3_result_null(ctx);
        return;
    }
    char *out = NULL;
    kt_error err;
    if (kt_text_fold(in, &out, &err) != KT_OK) {
        sqlite3_result_text(ctx, in, -1, SQLITE_TRANSIENT);
        return;
    }
    sqlite3_result_text(ctx, out, -1, kt_free);
}

/* kt_fold(text) on the connection: the text module's folding, for the search index. */
static kt_status register_fold(sqlite3 *db, kt_error *err)
{
    if (sqlite3_create_function(db, "kt_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                fold_sql, NULL, NULL) != SQLITE_OK)
        return kt_error_set(err, KT_INTERNAL, "cannot register kt_fold: %s", sqlite3_errmsg(db));
    return KT_OK;
}

static kt_status exec(kt_store *s, const char *sql, kt_error *err);

/* Savepoints come and go several times per imported row: prepared once, not parsed each time. */
static kt_status exec_cached(kt_store *s, const char *sql, kt_error *err)
{
    sqlite3_stmt *st;
    kt_status rc = kt_store_prepare(s, sql, &st, err);
    if (rc) return rc;
    int step = sqlite3_step(st);
    if (step != SQLITE_DONE) rc = kt_store_fail(s, err, "database");
    sqlite3_reset(st);
    return rc;
}

static kt_status exec(kt_store *s, const char *sql, kt_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) == SQLITE_OK) return KT_OK;
    kt_status st = kt_store_fail(s, err, "database");
    if (msg && st != KT_BUSY) kt_error_set(err, st, "database: %s", msg);
    sqlite3_free(msg);
    return st;
}

/* Migrations are the embedded schema/NNN_*.sql files, applied in order past user_version. */
static kt_status migrate(kt_store *s, kt_error *err)
{
    sqlite3_stmt *st = NULL;
    int version = 0;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return kt_store_fail(s, err, "reading the schema version");
    if (sqlite3_step(st) == SQLITE_ROW) version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    for (const kt_schema_file *f = kt_schema_files; f->name; f++) {
        int n = atoi(f->name);
        size_t len = strlen(f->name);
        if (n <= version || len < 4 || strcmp(f->name + len - 4, ".sql") != 0) continue;
        kt_status rc = kt_store_begin(s, err);
        if (rc) return rc;
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", n);
        if ((rc = exec(s, f->text, err)) || (rc = exec(s, pragma, err))) {
            kt_store_rollback(s);
            kt_error_prefix(err, "migration %s: ", f->name);
            return rc;
        }
        if ((rc = kt_store_commit(s, err))) return rc;
        version = n;
    }
    return KT_OK;
}

/* After SQLITE_NOMEM, SQLITE_IOERR or SQLITE_FULL, SQLite may roll back the whole transaction
 * by itself; the statements that follow would then each commit on their own, half a change
 * at a time. While we hold a transaction only our COMMIT may commit: anything else is turned
 * into a rollback (the statement fails with SQLITE_CONSTRAINT_COMMITHOOK). */
static int guard_commit(void *ud)
{
    kt_store *s = ud;
    return s->depth > 0 && !s->committing;
}

kt_status kt_store_open(const char *path, const kt_store_opts *opts, kt_store **out, kt_error *err)
{
    *out = NULL;
    struct stat sb;
    int exists = stat(path, &sb) == 0;
    if (!exists && !(opts && opts->create))
        return kt_error_set(err, KT_NOTFOUND, "no database at %s", path);
    /* every timestamp the store writes honours KT_NOW: one that the clocks refuse is refused
     * here, before anything is written with the real time instead */
    char fixed[KT_DATETIME_SIZE];
    int found;
    kt_status bad = kt_date_now_override(fixed, &found, err);
    if (bad) return bad;
    kt_store *s = kt_calloc(1, sizeof *s);
    if (!s) return kt_error_set(err, KT_NOMEM, "out of memory");
    int flags =
        opts && opts->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    /* Personal data: the database, its WAL and shm are the owner's alone. */
    mode_t old = umask(077);
    int rc = sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    kt_status st = KT_OK;
    if (rc != SQLITE_OK) {
        st = kt_error_set(err, KT_IO, "cannot open the database %s: %s", path,
                          s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto out;
    }
    /* SQLite falls back to reading a file it may not write; its first read would then leave
     * -wal and -shm files with the database's read-only mode, which refuse every later writer
     * even once the database is writable again. Nothing is read before this check. */
    if (!(opts && opts->read_only) && sqlite3_db_readonly(s->db, "main") == 1) {
        st = kt_error_set(err, KT_IO,
                          "the database cannot be written (a read-only file, folder or "
                          "filesystem); make it writable (chmod u+w) and try again");
        goto out;
    }
    /* A writer waits its turn behind another writer (an import, a long script) rather than
     * failing: two minutes, or KT_BUSY_TIMEOUT_MS (whole milliseconds; anything else is
     * ignored). */
    const char *wait = getenv("KT_BUSY_TIMEOUT_MS");
    char *end = NULL;
    long ms = wait ? strtol(wait, &end, 10) : 0;
    s->busy_ms = wait && *wait && !*end && ms > 0 && ms <= INT_MAX ? ms : 120000;
    sqlite3_busy_timeout(s->db, (int)s->busy_ms);
    sqlite3_commit_hook(s->db, guard_commit, s);
    sqlite3_extended_result_codes(s->db, 1);
    if (!(opts && opts->read_only)) {
        if ((st = exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", err)))
            goto out;
    }
    if ((st = exec(s, "PRAGMA foreign_keys = ON;", err))) goto out;
    if (!(opts && opts->read_only) && (st = migrate(s, err))) goto out;
    if (opts && opts->read_only && (st = exec(s, "PRAGMA query_only = ON;", err))) goto out;
    st = register_fold(s->db, err);
out:
    umask(old);
    if (st) {
        kt_error_prefix(err, "%s: ", path);
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
    while (s->depth > 0)
        kt_store_rollback(s);
    for (size_t i = 0; i < s->ncache; i++) {
        sqlite3_finalize(s->cache[i].stmt);
        kt_free(s->cache[i].sql);
    }
    sqlite3_close_v2(s->db);
    kt_free(s);
}

sqlite3 *kt_store_db(kt_store *s)
{
    return s->db;
}

static unsigned long sql_hash(const char *sql)
{
    unsigned long h = 5381;
    for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
        h = h * 33 + *p;
    return h;
}

kt_status kt_store_prepare(kt_store *s, const char *sql, sqlite3_stmt **stmt, kt_error *err)
{
    unsigned long hash = sql_hash(sql);
    for (size_t i = 0; i < s->ncache; i++) {
        if (s->cache[i].hash == hash && strcmp(s->cache[i].sql, sql) == 0) {
            sqlite3_reset(s->cache[i].stmt);
            sqlite3_clear_bindings(s->cache[i].stmt);
            *stmt = s->cache[i].stmt;
            return KT_OK;
        }
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
        return kt_store_fail(s, err, "preparing a statement");
    char *copy = kt_strdup(sql);
    if (!copy) {
        sqlite3_finalize(st);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    /* A full cache evicts the oldest entry: statements are few and reused in loops. */
    if (s->ncache == CACHE_SLOTS) {
        sqlite3_finalize(s->cache[0].stmt);
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
    sqlite3_stmt *q;
    *out = 0;
    kt_status st = kt_store_prepare(s, sql, &q, err);
    if (st) return st;
    if (sqlite3_step(q) == SQLITE_ROW)
        *out = sqlite3_column_int64(q, 0);
    else
        st = kt_store_fail(s, err, doing);
    sqlite3_reset(q); /* off its row: a statement left there holds a read transaction open */
    return st;
}

kt_status kt_store_begin_lazy(kt_store *s, kt_error *err)
{
    if (s->depth > 0) return kt_store_begin(s, err);
    s->pending = 1;
    s->depth = 1;
    return KT_OK;
}

static void tell_began(kt_store *s)
{
    for (size_t i = 0; i < s->nlisteners; i++)
        if (s->listeners[i]->began) s->listeners[i]->began(s->listeners[i]->ud, s->depth);
}

kt_status kt_store_begin(kt_store *s, kt_error *err)
{
    char sql[64];
    if (s->pending) { /* the first write inside a lazy transaction: take the lock now */
        kt_status st = exec(s, "BEGIN IMMEDIATE", err);
        if (st) return st;
        s->pending = 0;
        tell_began(s);
    }
    if (s->depth == 0)
        snprintf(sql, sizeof sql, "BEGIN IMMEDIATE");
    else
        snprintf(sql, sizeof sql, "SAVEPOINT kt_%d", s->depth);
    kt_status st = s->depth ? exec_cached(s, sql, err) : exec(s, sql, err);
    if (st) return st;
    s->depth++;
    tell_began(s);
    return KT_OK;
}

kt_status kt_store_commit(kt_store *s, kt_error *err)
{
    if (s->depth == 0) return kt_error_set(err, KT_INTERNAL, "commit without a transaction");
    char sql[64];
    if (s->pending) { /* a lazy transaction that never wrote */
        s->pending = 0;
        s->depth = 0;
        return KT_OK;
    }
    for (size_t i = 0; i < s->nlisteners; i++) {
        const kt_store_listener *l = s->listeners[i];
        kt_status bc = l->committing ? l->committing(l->ud, s->depth, err) : KT_OK;
        if (bc) {
            kt_store_rollback(s);
            return bc;
        }
    }
    if (s->depth == 1)
        snprintf(sql, sizeof sql, "COMMIT");
    else
        snprintf(sql, sizeof sql, "RELEASE kt_%d", s->depth - 1);
    if (sqlite3_get_autocommit(s->db)) {
        /* SQLite rolled the transaction back after an earlier failure: nothing to commit */
        kt_store_rollback(s);
        return kt_error_set(err, KT_INTERNAL,
                            "database: the transaction was rolled back after "
                            "an earlier failure");
    }
    s->committing = s->depth == 1;
    kt_status st = s->depth > 1 ? exec_cached(s, sql, err) : exec(s, sql, err);
    s->committing = 0;
    /* A failed COMMIT (out of memory, disk full, I/O error) must not leave the transaction
     * open: every caller returns the error without a rollback of its own. */
    if (st) {
        kt_store_rollback(s);
        return st;
    }
    for (size_t i = 0; i < s->nlisteners; i++)
        if (s->listeners[i]->committed) s->listeners[i]->committed(s->listeners[i]->ud, s->depth);
    s->depth--;
    return KT_OK;
}

void kt_store_rollback(kt_store *s)
{
    if (s->depth == 0) return;
    if (s->pending) {
        s->pending = 0;
        s->depth = 0;
        return;
    }
    char sql[80];
    if (s->depth == 1)
        snprintf(sql, sizeof sql, "ROLLBACK");
    else
        snprintf(sql, sizeof sql, "ROLLBACK TO kt_%d; RELEASE kt_%d", s->depth - 1, s->depth - 1);
    sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    for (size_t i = 0; i < s->nlisteners; i++)
        if (s->listeners[i]->rolled_back)
            s->listeners[i]->rolled_back(s->listeners[i]->ud, s->depth);
    s->depth--;
}

kt_status kt_store_listen(kt_store *s, const kt_store_listener *l, kt_error *err)
{
    if (s->nlisteners == LISTENERS)
        return kt_error_set(err, KT_INTERNAL, "too many transaction listeners");
    s->listeners[s->nlisteners++] = l;
    return KT_OK;
}

void kt_store_unlisten(kt_store *s, const kt_store_listener *l)
{
    for (size_t i = 0; i < s->nlisteners; i++)
        if (s->listeners[i] == l) {
            memmove(&s->listeners[i], &s->listeners[i + 1],
                    (s->nlisteners - i - 1) * sizeof *s->listeners);
            s->nlisteners--;
            return;
        }
}

kt_status kt_store_prepare_new(kt_store *s, const char *sql, const char *doing, sqlite3_stmt **stmt,
                               kt_error *err)
{
    *stmt = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, stmt, NULL) != SQLITE_OK)
        return kt_store_fail(s, err, doing);
    return KT_OK;
}

kt_status kt_store_still_open(kt_store *s, const char *what, kt_error *err)
{
    if (!sqlite3_get_autocommit(s->db)) return KT_OK;
    return kt_error_set(err, KT_IO, "the database rolled %s back (%s); nothing was written", what,
                        sqlite3_errmsg(s->db));
}

void kt_store_bulk(kt_store *s, int on)
{
    static const char *const sql[2] = {"PRAGMA temp_store = DEFAULT; PRAGMA cache_size = -2000",
                                       "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536"};
    sqlite3_exec(s->db, sql[on], NULL, NULL, NULL);
}

long long kt_store_last_id(kt_store *s)
{
    return sqlite3_last_insert_rowid(s->db);
}

long long kt_store_changes(kt_store *s)
{
    return sqlite3_changes64(s->db);
}

kt_status kt_store_run(kt_store *s, const char *sql, const char *doing, kt_error *err,
                       const char *binds, ...)
{
    sqlite3_stmt *q;
    kt_status st = kt_store_prepare(s, sql, &q, err);
    if (st) return st;
    va_list ap;
    va_start(ap, binds);
    for (int i = 1; binds[i - 1]; i++) {
        switch (binds[i - 1]) {
        case 'i':
            sqlite3_bind_int64(q, i, va_arg(ap, long long));
            break;
        case 'd':
            sqlite3_bind_double(q, i, va_arg(ap, double));
            break;
        case 'z': {
            long long v = va_arg(ap, long long);
            if (v) sqlite3_bind_int64(q, i, v);
            break;
        }
        default:
            sqlite3_bind_text(q, i, va_arg(ap, const char *), -1, SQLITE_STATIC);
            break;
        }
    }
    va_end(ap);
    int step = sqlite3_step(q);
    if (step != SQLITE_DONE && step != SQLITE_ROW) st = kt_store_fail(s, err, doing);
    sqlite3_reset(q);
    return st;
}

kt_status kt_store_read_begin(kt_store *s, int *began, kt_error *err)
{
    *began = 0;
    if (sqlite3_get_autocommit(s->db)) {
        if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
            return kt_error_set(err, KT_INTERNAL, "starting the report's read: %s",
                                sqlite3_errmsg(s->db));
        *began = 1;
    }
    if (sqlite3_exec(s->db, "PRAGMA query_only = ON", NULL, NULL, NULL) != SQLITE_OK) {
        kt_error_set(err, KT_INTERNAL, "making the connection read-only: %s",
                     sqlite3_errmsg(s->db));
        if (*began) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        *began = 0;
        return err ? err->code : KT_INTERNAL;
    }
    return KT_OK;
}

void kt_store_read_end(kt_store *s, int began)
{
    sqlite3_exec(s->db, "PRAGMA query_only = OFF", NULL, NULL, NULL);
    if (began) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

int kt_store_depth(const kt_store *s)
{
    return s->depth;
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
    return exec(s, on ? "PRAGMA secure_delete = ON" : "PRAGMA secure_delete = OFF", err);
}

kt_status kt_store_compact(kt_store *s, int *checkpointed, kt_error *err)
{
    if (s->depth) return kt_error_set(err, KT_INTERNAL, "compacting inside a transaction");
    *checkpointed = 0;
    /* VACUUM writes every live page anew (through the WAL); the checkpoint then copies them over
     * the old file and empties the WAL, so neither keeps a page that held a removed value */
    kt_status st = exec(s, "VACUUM", err);
    if (st) return st;
    int log = 0, done = 0;
    int rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
    if (rc == SQLITE_OK)
        *checkpointed = 1;
    else if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
        return kt_store_fail(s, err, "checkpointing");
    return KT_OK;
}
