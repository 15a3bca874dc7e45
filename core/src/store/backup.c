/* kt_backup and kt_restore_db: SQLite's online backup API in one step (-1), so the copy is the
 * snapshot of one read transaction: writers in WAL mode go on meanwhile and are in the copy
 * wholly (committed before it began) or not at all. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kartoteka/backup.h"
#include "store/schema_files.h"
#include "store/store_db.h"
#include "store/store_engine.h"

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* Is path the database or one of the files SQLite keeps beside it? */
static int database_file(const char *db, const char *path)
{
    static const char *const tails[] = {"", "-wal", "-shm", "-journal"};
    char name[4096];
    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        snprintf(name, sizeof name, "%s%s", db, tails[i]);
        if (same_file(name, path)) return 1;
    }
    return 0;
}

static kt_status copy(sqlite3 *to, sqlite3 *from, const char *doing, kt_error *err)
{
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    if (!b) return kt_error_set(err, KT_IO, "%s: %s", doing, sqlite3_errmsg(to));
    int rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (rc == SQLITE_DONE) return KT_OK;
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return kt_error_set(err, KT_BUSY, "%s: the database is busy; try again", doing);
    return kt_error_set(err, rc == SQLITE_NOMEM ? KT_NOMEM : KT_IO, "%s: %s", doing,
                        sqlite3_errstr(rc));
}

static kt_status count_records(sqlite3 *db, long long *n, kt_error *err)
{
    sqlite3_stmt *q = NULL;
    *n = 0;
    kt_status st = KT_OK;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM kt_record", -1, &q, NULL) != SQLITE_OK ||
        sqlite3_step(q) != SQLITE_ROW)
        st = kt_error_set(err, KT_INVALID, "counting records: %s", sqlite3_errmsg(db));
    else
        *n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return st;
}

static void fill_info(kt_backup_info *info, long long records, const char *path)
{
    struct stat sb;
    if (!info) return;
    info->records = records;
    info->bytes = stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
}

/* A backup is a copy of the SQLite file: a PostgreSQL store has its own tools (pg_dump). */
static kt_status refuse_other_engine(kt_store *s, const char *what, kt_error *err)
{
    if (kt_store_db(s)) return KT_OK;
    return kt_error_set(err, KT_USAGE, "%s: not yet available on a %s store", what,
                        kt_store_engine(s)->name);
}

kt_status kt_backup(kt_store *s, const char *path, kt_backup_info *info, kt_error *err)
{
    kt_status refused = refuse_other_engine(s, "kt backup", err);
    if (refused) return refused;
    sqlite3 *to = NULL;
    kt_status st = KT_OK;
    long long records = 0;
    if (sqlite3_open_v2(path, &to, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        st =
            kt_error_set(err, KT_IO, "opening %s: %s", path, to ? sqlite3_errmsg(to) : "no memory");
    if (!st) st = copy(to, kt_store_db(s), "backing up", err);
    if (!st) st = count_records(to, &records, err);
    if (sqlite3_close(to) != SQLITE_OK && !st) st = kt_error_set(err, KT_IO, "closing %s", path);
    if (!st) fill_info(info, records, path);
    return st;
}

static int newest_migration(void)
{
    int n = 0;
    for (const kt_schema_file *f = kt_schema_files; f->name; f++)
        if (atoi(f->name) > n) n = atoi(f->name);
    return n;
}

/* The first column of the first row of sql as text into out, or "" when there is none. */
static int one_text(sqlite3 *db, const char *sql, char *out, size_t size)
{
    sqlite3_stmt *q = NULL;
    out[0] = '\0';
    int rc = sqlite3_prepare_v2(db, sql, -1, &q, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(q);
    if (rc == SQLITE_ROW && sqlite3_column_text(q, 0))
        snprintf(out, size, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

static kt_status check_open(sqlite3 *db, const char *path, kt_backup_info *info, kt_error *err)
{
    char text[512];
    if (!one_text(db, "PRAGMA integrity_check", text, sizeof text))
        return kt_error_set(err, KT_INVALID, "%s is not a Kartoteka database: %s", path,
                            sqlite3_errmsg(db));
    if (strcmp(text, "ok") != 0)
        return kt_error_set(err, KT_INVALID, "%s is damaged (integrity_check: %s)", path, text);
    one_text(db,
             "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('kt_record', "
             "'kt_entity', 'kt_field', 'kt_change')",
             text, sizeof text);
    if (atoi(text) != 4)
        return kt_error_set(err, KT_INVALID,
                            "%s is an SQLite database but not a Kartoteka one (no kt_record, "
                            "kt_entity, kt_field and kt_change tables)",
                            path);
    one_text(db, "PRAGMA user_version", text, sizeof text);
    if (atoi(text) > newest_migration())
        return kt_error_set(err, KT_INVALID,
                            "%s was written by a newer Kartoteka (schema %d; this one knows %d): "
                            "restore it with that version",
                            path, atoi(text), newest_migration());
    long long n = 0;
    kt_status st = count_records(db, &n, err);
    if (!st) fill_info(info, n, path);
    return st;
}

static kt_status open_backup(const char *path, sqlite3 **db, kt_error *err)
{
    *db = NULL;
    if (access(path, R_OK) != 0)
        return kt_error_set(err, KT_NOTFOUND, "cannot read %s: %s", path, strerror(errno));
    if (sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return kt_error_set(err, KT_INVALID, "%s is not a Kartoteka database: %s", path,
                            *db ? sqlite3_errmsg(*db) : "out of memory");
    return KT_OK;
}

kt_status kt_backup_check(const char *path, kt_backup_info *info, kt_error *err)
{
    sqlite3 *db;
    kt_status st = open_backup(path, &db, err);
    if (!st) st = check_open(db, path, info, err);
    sqlite3_close(db);
    return st;
}

kt_status kt_restore_db(kt_store *s, const char *path, int force, kt_backup_info *info,
                        kt_error *err)
{
    kt_status refused = refuse_other_engine(s, "kt restore", err);
    if (refused) return refused;
    sqlite3 *db = kt_store_db(s), *from;
    const char *dbpath = sqlite3_db_filename(db, "main");
    if (dbpath && *dbpath && database_file(dbpath, path))
        return kt_error_set(err, KT_USAGE, "%s is the workspace's own database", path);
    kt_status st = open_backup(path, &from, err);
    if (!st) st = check_open(from, path, info, err);
    long long here = 0;
    if (!st) st = count_records(db, &here, err);
    if (!st && here && !force)
        st = kt_error_set(err, KT_EXISTS,
                          "the workspace holds %lld records; restoring %s would replace them "
                          "all (add --force to do so)",
                          here, path);
    if (!st && (force & KT_RESTORE_DRY_RUN)) { /* checked and counted: that is all */
        sqlite3_close(from);
        return KT_OK;
    }
    if (!st) st = copy(db, from, "restoring", err);
    sqlite3_close(from);
    /* A restored copy may live on beside its original: under the same uid, records either of
     * them adds later would share export keys. (A backup older than the uid gets one when it
     * is migrated.) */
    char has_uid[16] = "";
    if (!st)
        one_text(db, "SELECT count(*) FROM sqlite_master WHERE name = 'kt_workspace_uid'", has_uid,
                 sizeof has_uid);
    if (atoi(has_uid) &&
        sqlite3_exec(db, "UPDATE kt_workspace_uid SET uid = lower(hex(randomblob(16)))", NULL, NULL,
                     NULL) != SQLITE_OK)
        st = kt_store_fail(s, err, "giving the restored workspace its own uid");
    return st;
}
