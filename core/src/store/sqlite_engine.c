/* The SQLite engine: the workspace's embedded database file, opened with the pragmas Kartoteka
 * relies on (WAL, foreign keys, a busy timeout) and migrated by PRAGMA user_version. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kartoteka/alloc.h"
#include "kartoteka/text.h"
#include "store/schema_files.h"
#include "store/store_db.h"
#include "store/store_engine.h"

sqlite3 *kt_store_db(kt_store *s)
{
    return kt_store_engine(s) == &kt_sqlite_engine ? kt_store_conn(s) : NULL;
}

static sqlite3 *db_of(kt_store *s)
{
    return kt_store_conn(s);
}

static kt_status sq_status(kt_store *s)
{
    int rc = sqlite3_extended_errcode(db_of(s));
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
    return st;
}

static const char *sq_errmsg(kt_store *s)
{
    return sqlite3_errmsg(db_of(s));
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

static kt_status sq_exec(kt_store *s, const char *sql, kt_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db_of(s), sql, NULL, NULL, &msg) == SQLITE_OK) return KT_OK;
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
    if (sqlite3_prepare_v2(db_of(s), "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
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
        if ((rc = sq_exec(s, f->text, err)) || (rc = sq_exec(s, pragma, err))) {
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
    return kt_store_guards_commit(ud);
}

static kt_status sq_check(const char *path, const kt_store_opts *opts, kt_error *err)
{
    struct stat sb;
    int exists = stat(path, &sb) == 0;
    if (!exists && !(opts && opts->create))
        return kt_error_set(err, KT_NOTFOUND, "no database at %s", path);
    return KT_OK;
}

static kt_status sq_open(kt_store *s, const char *path, const kt_store_opts *opts, kt_error *err)
{
    int flags =
        opts && opts->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    /* Personal data: the database, its WAL and shm are the owner's alone. */
    mode_t old = umask(077);
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    kt_store_set_conn(s, db);
    kt_status st = KT_OK;
    if (rc != SQLITE_OK) {
        st = kt_error_set(err, KT_IO, "cannot open the database %s: %s", path,
                          db ? sqlite3_errmsg(db) : "out of memory");
        goto out;
    }
    /* SQLite falls back to reading a file it may not write; its first read would then leave
     * -wal and -shm files with the database's read-only mode, which refuse every later writer
     * even once the database is writable again. Nothing is read before this check. */
    if (!(opts && opts->read_only) && sqlite3_db_readonly(db, "main") == 1) {
        st = kt_error_set(err, KT_IO,
                          "the database cannot be written (a read-only file, folder or "
                          "filesystem); make it writable (chmod u+w) and try again");
        goto out;
    }
    sqlite3_busy_timeout(db, (int)kt_store_busy_ms(s));
    sqlite3_commit_hook(db, guard_commit, s);
    sqlite3_extended_result_codes(db, 1);
    if (!(opts && opts->read_only)) {
        if ((st = sq_exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", err)))
            goto out;
    }
    if ((st = sq_exec(s, "PRAGMA foreign_keys = ON;", err))) goto out;
    if (!(opts && opts->read_only) && (st = migrate(s, err))) goto out;
    if (opts && opts->read_only && (st = sq_exec(s, "PRAGMA query_only = ON;", err))) goto out;
    st = register_fold(db, err);
out:
    umask(old);
    if (st) kt_error_prefix(err, "%s: ", path);
    return st;
}

static void sq_close(kt_store *s)
{
    sqlite3_close_v2(db_of(s));
}

static int sq_prepare(kt_store *s, const char *sql, int persistent, kt_stmt **out,
                      const char **tail)
{
    sqlite3_stmt *st = NULL;
    int rc = persistent
                 ? sqlite3_prepare_v3(db_of(s), sql, -1, SQLITE_PREPARE_PERSISTENT, &st, tail)
                 : sqlite3_prepare_v2(db_of(s), sql, -1, &st, tail);
    *out = stmt_wrap(st);
    return rc != SQLITE_OK;
}

static int sq_stmt_read_only(kt_stmt *st)
{
    return sqlite3_stmt_readonly(stmt_of(st));
}

static int sq_failed_on_size(kt_store *s)
{
    int rc = sqlite3_extended_errcode(db_of(s)) & 0xff;
    return rc == SQLITE_TOOBIG || rc == SQLITE_NOMEM;
}

static int sq_in_transaction(kt_store *s)
{
    return !sqlite3_get_autocommit(db_of(s));
}

static long long sq_last_id(kt_store *s)
{
    return sqlite3_last_insert_rowid(db_of(s));
}

static long long sq_changes(kt_store *s)
{
    return sqlite3_changes64(db_of(s));
}

static int sq_read_only(kt_store *s)
{
    return sqlite3_db_readonly(db_of(s), "main") == 1;
}

static kt_status sq_query_only(kt_store *s, int on, kt_error *err)
{
    const char *sql = on ? "PRAGMA query_only = ON" : "PRAGMA query_only = OFF";
    if (sqlite3_exec(db_of(s), sql, NULL, NULL, NULL) != SQLITE_OK)
        return kt_error_set(err, KT_INTERNAL, "making the connection read-only: %s",
                            sqlite3_errmsg(db_of(s)));
    return KT_OK;
}

static void sq_bulk(kt_store *s, int on)
{
    static const char *const sql[2] = {"PRAGMA temp_store = DEFAULT; PRAGMA cache_size = -2000",
                                       "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536"};
    sqlite3_exec(db_of(s), sql[on], NULL, NULL, NULL);
}

static kt_status sq_secure_delete(kt_store *s, int on, kt_error *err)
{
    return sq_exec(s, on ? "PRAGMA secure_delete = ON" : "PRAGMA secure_delete = OFF", err);
}

static kt_status sq_compact(kt_store *s, int *checkpointed, kt_error *err)
{
    /* VACUUM writes every live page anew (through the WAL); the checkpoint then copies them over
     * the old file and empties the WAL, so neither keeps a page that held a removed value */
    kt_status st = sq_exec(s, "VACUUM", err);
    if (st) return st;
    int log = 0, done = 0;
    int rc = sqlite3_wal_checkpoint_v2(db_of(s), NULL, SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
    if (rc == SQLITE_OK)
        *checkpointed = 1;
    else if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
        return kt_store_fail(s, err, "checkpointing");
    return KT_OK;
}

const kt_engine kt_sqlite_engine = {
    .name = "SQLite",
    .check = sq_check,
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .stmt_read_only = sq_stmt_read_only,
    .status = sq_status,
    .errmsg = sq_errmsg,
    .failed_on_size = sq_failed_on_size,
    .in_transaction = sq_in_transaction,
    .last_id = sq_last_id,
    .changes = sq_changes,
    .read_only = sq_read_only,
    .begin = "BEGIN IMMEDIATE",
    .commit = "COMMIT",
    .query_only = sq_query_only,
    .bulk = sq_bulk,
    .secure_delete = sq_secure_delete,
    .compact = sq_compact,
};
