/* A canonical hash of a database: what a failed command must leave exactly as it found. */
#include <stdio.h>
#include <string.h>

#include "fault.h"

/* FNV-1a, 64 bits: enough to tell two states apart, no dependency. */
static void mix(uint64_t *h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        *h ^= p[i];
        *h *= 1099511628211ULL;
    }
}

static int skipped(const char *table, const char *const *skip)
{
    for (; skip && *skip; skip++)
        if (strcmp(table, *skip) == 0) return 1;
    return 0;
}

/* sqlite_sequence rows of skipped tables are skipped too: their counters are bookkeeping. */
static int hash_table(sqlite3 *db, const char *table, const char *const *skip, uint64_t *h)
{
    int is_seq = strcmp(table, "sqlite_sequence") == 0;
    char sql[512];
    /* Ordering by every column makes the dump independent of the page layout. */
    snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", table);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc) return rc;
    int ncol = sqlite3_column_count(st);
    sqlite3_finalize(st);
    size_t len = (size_t)snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY 1", table);
    for (int c = 2; c <= ncol && len + 8 < sizeof sql; c++)
        len += (size_t)snprintf(sql + len, sizeof sql - len, ",%d", c);
    if ((rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL))) return rc;
    mix(h, table, strlen(table) + 1);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (is_seq && skipped((const char *)sqlite3_column_text(st, 0), skip)) continue;
        for (int c = 0; c < ncol; c++) {
            int type = sqlite3_column_type(st, c);
            const void *blob = sqlite3_column_blob(st, c);
            int n = sqlite3_column_bytes(st, c);
            mix(h, &type, sizeof type);
            if (blob) mix(h, blob, (size_t)n);
            mix(h, "|", 1);
        }
        mix(h, "\n", 1);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int kt_fault_db_hash(const char *path, const char *const *skip, uint64_t *hash)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    uint64_t h = 14695981039346656037ULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    if (rc) goto out;
    sqlite3_busy_timeout(db, 5000);
    if ((rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL))) goto out;
    if ((rc = hash_table(db, "sqlite_schema", NULL, &h))) goto out;
    /* Virtual tables are hashed through their shadow tables, which are ordinary ones. */
    rc = sqlite3_prepare_v2(db,
                            "SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT "
                            "LIKE 'CREATE VIRTUAL%' ORDER BY name",
                            -1, &st, NULL);
    if (rc) goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (skipped(name, skip)) continue;
        if ((rc = hash_table(db, name, skip, &h))) goto out;
    }
    if (rc != SQLITE_DONE) goto out;
    sqlite3_finalize(st);
    st = NULL;
    if ((rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL))) goto out;
    if (sqlite3_step(st) == SQLITE_ROW) {
        int v = sqlite3_column_int(st, 0);
        mix(&h, &v, sizeof v);
    }
    rc = SQLITE_OK;
out:
    if (rc && db) fprintf(stderr, "fault: hashing %s: %s\n", path, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sqlite3_close(db);
    *hash = h;
    return rc;
}

/* FTS5's own check of every full-text table: its segments against its content. */
static int fts_ok(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int ok = sqlite3_prepare_v2(db,
                                "SELECT name FROM sqlite_schema WHERE type = 'table' AND "
                                "sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'",
                                -1, &st, NULL) == SQLITE_OK;
    while (ok && sqlite3_step(st) == SQLITE_ROW) {
        char sql[256];
        const char *name = (const char *)sqlite3_column_text(st, 0);
        snprintf(sql, sizeof sql, "INSERT INTO \"%s\"(\"%s\") VALUES ('integrity-check')", name,
                 name);
        char *msg = NULL;
        if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
            fprintf(stderr, "fault: %s: %s\n", name, msg ? msg : "integrity-check failed");
            ok = 0;
        }
        sqlite3_free(msg);
    }
    sqlite3_finalize(st);
    return ok;
}

int kt_fault_db_ok(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int ok = 0;
    /* read-write: FTS5's check is an INSERT, though it writes nothing */
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
        sqlite3_busy_timeout(db, 5000) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        ok = strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
    sqlite3_finalize(st);
    if (ok) ok = fts_ok(db);
    sqlite3_close(db);
    return ok;
}
