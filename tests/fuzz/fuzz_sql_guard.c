/* libFuzzer target: kt.query's SQL guard (core/src/store/sql_guard.c). Any SQL text, one or
 * several statements, is prepared and stepped under the guard on a database file inside a
 * transaction, as a script's queries are; afterwards nothing may have changed: no row, no
 * schema, no pragma, the transaction still open, no database attached, no file created.
 *
 * An input whose first byte is below 8 spends it on how the scope is entered (other inputs are
 * SQL from their first byte, so plain SQL seeds stay plain): bit 1 a report's scope (recheck),
 * in which the core's own statements prepared before the scope are stepped too and must be
 * refused when they write; bit 2 the SQL runs in a scope nested inside another. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/sql_guard.h"
#include "store/store_db.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sqlite3 *db;
static sql_guard *guard;
static char dir[64];
/* Statements prepared outside any scope, as the core caches its own: a write among them run
 * inside a recheck scope must be refused like a script's. */
static sqlite3_stmt *cached[3];

static long long one(const char *sql)
{
    sqlite3_stmt *st;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int files(void)
{
    int n = 0;
    DIR *d = opendir(dir);
    if (!d) abort();
    for (struct dirent *e; (e = readdir(d));)
        n++;
    closedir(d);
    return n;
}

/* Runaway SQL is the budget's business (tested in e2e); here it only has to end. */
static int steps(void *ud)
{
    return ++*(long *)ud > 200;
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/kt-fuzz-guard.XXXXXX");
    if (!mkdtemp(dir)) abort();
    char path[128];
    snprintf(path, sizeof path, "%s/kartoteka.db", dir);
    if (sqlite3_open(path, &db) != SQLITE_OK) abort();
    if (sqlite3_exec(db,
                     "PRAGMA journal_mode = WAL; CREATE TABLE person(id INTEGER PRIMARY KEY, "
                     "name TEXT, email TEXT); CREATE INDEX person_email ON person(email); "
                     "CREATE VIEW v AS SELECT name FROM person; INSERT INTO person(name, email) "
                     "VALUES ('Ala', 'ala@example.com'), ('Ola', NULL); "
                     "CREATE VIRTUAL TABLE person_text USING fts5(name); "
                     "INSERT INTO person_text(name) SELECT name FROM person; "
                     "CREATE TRIGGER person_gone AFTER DELETE ON person BEGIN "
                     "DELETE FROM person_text WHERE name = old.name; END;",
                     NULL, NULL, NULL) != SQLITE_OK)
        abort();
    static const char *const core_sql[] = {"INSERT INTO person(name) VALUES ('cached')",
                                           "DELETE FROM person", "SELECT count(*) FROM person"};
    for (int i = 0; i < 3; i++)
        if (sqlite3_prepare_v2(db, core_sql[i], -1, &cached[i], NULL) != SQLITE_OK) abort();
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1 << 20);
    guard = sql_guard_new(db);
    if (!guard) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db) setup();
    int mode = size && data[0] < 8 ? data[0] : 0;
    if (size && data[0] < 8) data++, size--;
    char *sql = malloc(size + 1);
    if (!sql) return 0;
    memcpy(sql, data, size);
    sql[size] = '\0';
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) abort();
    long long changes = sqlite3_total_changes64(db), schema = one("PRAGMA schema_version");
    long long dbs = one("SELECT count(*) FROM pragma_database_list");
    long long fk = one("PRAGMA foreign_keys"), qo = one("PRAGMA query_only");
    long long rows = one("SELECT count(*) || '' || total(length(name)) FROM person");
    int nfiles = files();
    long n = 0;
    sqlite3_progress_handler(db, 100, steps, &n);
    sql_scope s, inner;
    sql_guard_enter(guard, NULL, mode & 1, &s);
    if (mode & 2) sql_guard_enter(guard, NULL, 0, &inner);
    if (mode & 1) {
        for (int i = 0; i < 3; i++) {
            int rc = sqlite3_step(cached[i]);
            if (i < 2 && rc != SQLITE_AUTH) abort(); /* a write of the core's, not refused */
            sqlite3_reset(cached[i]);
        }
        if (!sql_guard_refused(&s) || !*sql_guard_first(&s)) abort();
    }
    for (const char *p = sql; p && *p;) {
        sqlite3_stmt *st = NULL;
        const char *tail = NULL;
        if (sqlite3_prepare_v2(db, p, -1, &st, &tail) != SQLITE_OK || tail == p) {
            sqlite3_finalize(st);
            break;
        }
        for (int r = 0; st && r < 50 && sqlite3_step(st) == SQLITE_ROW; r++)
            ;
        sqlite3_finalize(st);
        p = tail;
    }
    if (mode & 2) sql_guard_leave(&inner);
    /* what the inner scope refused is the outer one's too */
    if ((mode & 2) && sql_guard_refused(&inner) && !sql_guard_refused(&s)) abort();
    sql_guard_leave(&s);
    sqlite3_progress_handler(db, 0, NULL, NULL);
    /* the escapes issue 15 found, and any write */
    if (sqlite3_get_autocommit(db)) abort();             /* COMMIT, ROLLBACK, END */
    if (sqlite3_total_changes64(db) != changes) abort(); /* INSERT, UPDATE, DELETE */
    if (one("PRAGMA schema_version") != schema) abort(); /* CREATE, DROP, ALTER */
    if (one("SELECT count(*) FROM pragma_database_list") != dbs) abort(); /* ATTACH */
    if (one("PRAGMA foreign_keys") != fk || one("PRAGMA query_only") != qo) abort();
    if (one("SELECT count(*) || '' || total(length(name)) FROM person") != rows) abort();
    if (files() != nfiles) abort(); /* ATTACH or VACUUM INTO a new file */
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    free(sql);
    return 0;
}
