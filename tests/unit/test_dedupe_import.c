/* The duplicate lookups of an import (dedupe/overlay.c): rows find the records earlier rows of
 * the same file created or changed, never those of rows that were rolled back; afterwards the
 * stored blocking keys are complete (what a rebuild from scratch gives); writing the held keys
 * out between rows changes no outcome; bringing stale keys up to date is not charged to the first
 * row's time budget; migration 006 keeps the keys stored before it, and the key lists it leaves
 * are read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dedupe/overlay.h"
#include "kartoteka/alloc.h"
#include "kartoteka/config.h"
#include "kartoteka/dedupe.h"
#include "kartoteka/host.h"
#include "kartoteka/import.h"
#include "kartoteka/save.h"
#include "kartoteka/store.h"
#include "store/store_db.h"
#include "ws_fixture.h"

/* A row yields a person, and with twin_* a second one (whose bad e-mail rejects the row). */
static const char script[] =
    "local clean = kt.text.clean\n"
    "return {\n"
    "  entity = 'person', read = { format = 'csv' }, match = { 'external_id' },\n"
    "  on_match = 'update',\n"
    "  map = function(row)\n"
    "    local p = { external_id = clean(row.external_id), first_name = clean(row.first_name),\n"
    "                last_name = clean(row.last_name), email = clean(row.email),\n"
    "                birth_date = clean(row.birth_date) }\n"
    "    if not clean(row.twin_first) then return p end\n"
    "    return { p, { first_name = clean(row.twin_first), last_name = clean(row.twin_last),\n"
    "                  email = clean(row.twin_email) } }\n"
    "  end,\n"
    "}\n";

static const char header[] =
    "external_id,first_name,last_name,email,birth_date,twin_first,twin_last,twin_email\n";

typedef struct fixture {
    kt_test_ws t;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    kt_test_ws_open(&f->t, "kt-dedupe-import");
    kt_error err;
    assert_int_equal(kt_dedupe_install(f->t.ws, &err), KT_OK);
    *state = f;
    return 0;
}

static kt_import_summary import(kt_ws *ws, const char *dir, const char *csv)
{
    char script_path[160], csv_path[160];
    kt_import_opts o = {0};
    o.script = kt_test_write(dir, "map.lua", script, script_path, sizeof script_path);
    kt_import_summary s;
    kt_error err;
    kt_status st = kt_import_run(ws, kt_test_write(dir, "in.csv", csv, csv_path, sizeof csv_path),
                                 &o, &s, &err);
    if (st) fail_msg("%s", err.message);
    kt_test_ws_assert_idle(ws);
    return s;
}

/* Every (key, record) row of kt_dupe_key, in order. */
static long long *stored_keys(kt_ws *ws, size_t *n)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(kt_store_db(kt_ws_store(ws)),
                                        "SELECT key, record FROM kt_dupe_key ORDER BY 1, 2", -1,
                                        &st, NULL),
                     SQLITE_OK);
    size_t cap = 1024;
    long long *v = malloc(cap * 2 * sizeof *v);
    *n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) v = realloc(v, (cap *= 2) * 2 * sizeof *v);
        v[2 * *n] = sqlite3_column_int64(st, 0);
        v[2 * *n + 1] = sqlite3_column_int64(st, 1);
        (*n)++;
    }
    sqlite3_finalize(st);
    return v;
}

/* The stored keys are complete: nothing left to sync, and the same rows as a rebuild. */
static void assert_keys_complete(kt_ws *ws)
{
    assert_int_equal(
        kt_test_ws_value(ws, "SELECT last_change FROM kt_dupe_key_state WHERE entity = 'person'"),
        kt_test_ws_value(ws, "SELECT max(id) FROM kt_change"));
    size_t n1, n2;
    long long *before = stored_keys(ws, &n1);
    assert_true(n1 > 0);
    assert_int_equal(sqlite3_exec(kt_store_db(kt_ws_store(ws)), "DELETE FROM kt_dupe_key_state",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    kt_record *probe = kt_record_new("person");
    kt_error err;
    assert_int_equal(kt_record_set(probe, "first_name", "Nobody", &err), KT_OK);
    kt_dupe_match *m = NULL;
    size_t nm;
    assert_int_equal(kt_dupes_for_record(ws, probe, -1, &m, &nm, 1, &err), KT_OK); /* rebuilds */
    kt_free(m);
    kt_record_free(probe);
    long long *after = stored_keys(ws, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(before, after, n1 * 2 * sizeof *before);
    free(before);
    free(after);
}

static const char scenario[] =
    /* rejected, before anyone is known: the keys built before the first row stay */
    "E0,Bad,First,not-an-email,1970-01-01,,,\n"
    "E1,Maria,Zielińska,maria.z@example.com,1985-04-12,,,\n"
    /* the same woman in other spellings: found although only the row before created her */
    ",Maria,Zielinska,maria.z@example.com,12.04.1985,,,\n"
    /* the twin rejects the row: Piotr is undone, so the next row creates him */
    "E2,Piotr,Nowicki,piotr.n@example.com,1979-09-30,Zenon,Kowal,bad@@x\n"
    ",Piotr,Nowicki,piotr.n@example.com,1979-09-30,,,\n"
    /* Maria's new name is undone with its row: she is still found by the old one */
    "E1,Maria,Wójcik,maria.w@example.com,1985-04-12,Zenon,Kowal,bad@@x\n"
    ",Maria,Zielinska,maria.z@example.com,,,,\n"
    /* and once the change stays, by the new one only */
    "E1,Maria,Wójcik,maria.w@example.com,1985-04-12,,,\n"
    ",Maria,Wojcik,maria.w@example.com,,,,\n";

static kt_import_summary import_scenario(fixture *f)
{
    char csv[2048];
    snprintf(csv, sizeof csv, "%s%s", header, scenario);
    return import(f->t.ws, f->t.dir, csv);
}

static void rows_find_earlier_rows(void **state)
{
    fixture *f = *state;
    kt_import_summary s = import_scenario(f);
    assert_int_equal(s.rows, 9);
    assert_int_equal(s.created, 2);
    assert_int_equal(s.updated, 1);
    assert_int_equal(s.skipped, 3);
    assert_int_equal(s.rejected, 3);
    assert_int_equal(kt_test_ws_value(f->t.ws, "SELECT count(*) FROM person"), 2);
    assert_int_equal(
        kt_test_ws_value(f->t.ws,
                         "SELECT count(*) FROM person WHERE external_id = 'E1' AND last_name = "
                         "'Wójcik' AND email = 'maria.w@example.com'"),
        1);
    assert_keys_complete(f->t.ws);
}

static void keys_complete_after_import(void **state)
{
    fixture *f = *state;
    import_scenario(f);
    /* the on-entry check of a later save finds the imported records */
    kt_record *r = kt_record_new("person");
    kt_error err;
    kt_record_set(r, "first_name", "Piotr", &err);
    kt_record_set(r, "last_name", "Nowicki", &err);
    kt_record_set(r, "email", "piotr.n@example.com", &err);
    kt_failures fails;
    kt_failures_init(&fails);
    assert_int_equal(kt_save(f->t.ws, r, NULL, &fails, &err), KT_CONSTRAINT);
    kt_failures_free(&fails);
    kt_record_free(r);
    assert_keys_complete(f->t.ws);
}

/* 40 people, then each again in another spelling: with the keys written out every few rows the
 * outcome, the records and the stored keys are those of one write at the end. */
static void spilling_changes_nothing(void **state)
{
    fixture *f = *state;
    static const char *const first[] = {"Anna",     "Bogdan", "Celina",  "Dariusz",
                                        "Elżbieta", "Filip",  "Grażyna", "Henryk"};
    static const char *const last[] = {"Adamczyk", "Baran", "Cieślak", "Dudek", "Effenberg"};
    char csv[16384];
    size_t len = (size_t)snprintf(csv, sizeof csv, "%s", header);
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < 40; i++) {
            const char *fn = first[i % 8], *ln = last[i / 8];
            if (pass == 0)
                len += (size_t)snprintf(csv + len, sizeof csv - len,
                                        "P%d,%s,%s,p%d@example.com,1960-%02d-%02d,,,\n", i, fn, ln,
                                        i, 1 + i % 12, 1 + i % 28);
            else
                len += (size_t)snprintf(csv + len, sizeof csv - len,
                                        ",%s,%s,P%d@Example.com,%02d.%02d.1960,,,\n", fn, ln, i,
                                        1 + i % 28, 1 + i % 12);
        }
    kt_test_ws other;
    kt_test_ws_open(&other, "kt-dedupe-import");
    kt_error err;
    assert_int_equal(kt_dedupe_install(other.ws, &err), KT_OK);
    assert_int_equal(dd_overlay_spill_at(f->t.ws, 30, &err), KT_OK);
    kt_import_summary a = import(f->t.ws, f->t.dir, csv);
    kt_import_summary b = import(other.ws, other.dir, csv);
    assert_int_equal(a.created, 40);
    assert_int_equal(a.skipped, 40);
    assert_memory_equal(&a.rows, &b.rows, sizeof a - offsetof(kt_import_summary, rows));
    size_t na, nb;
    long long *ka = stored_keys(f->t.ws, &na), *kb = stored_keys(other.ws, &nb);
    assert_int_equal(na, nb);
    assert_memory_equal(ka, kb, na * 2 * sizeof *ka);
    free(ka);
    free(kb);
    assert_keys_complete(f->t.ws);
    kt_test_ws_close(&other);
}

/* Records written behind the write door's back (fast), with their history rows: the stored
 * keys know nothing of them. */
static void bulk_people(kt_ws *ws, int n)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
             "INSERT INTO kt_record(entity, created_at, updated_at) "
             "SELECT 'person', '2026-01-01', '2026-01-01' FROM n; "
             "INSERT INTO person(id, first_name, last_name, email, birth_date) "
             "SELECT id, 'Name' || (id %% 977), 'Surname' || (id * 7919 %% 100003), "
             "'p' || id || '@example.com', '1970-01-01' FROM kt_record "
             "WHERE id NOT IN (SELECT id FROM person) AND entity = 'person'; "
             "INSERT INTO kt_change(record, at, action, source) "
             "SELECT id, '2026-01-01', 'create', 'test' FROM kt_record "
             "WHERE id NOT IN (SELECT record FROM kt_change)",
             n);
    assert_int_equal(sqlite3_exec(kt_store_db(kt_ws_store(ws)), sql, NULL, NULL, NULL), SQLITE_OK);
}

/* A one-row import into a workspace whose keys are 60 000 records behind (no keys stored yet,
 * as after a rule change; an import ran with --no-dedupe) gets its whole time budget for its
 * row, and finds the duplicate among those records. The keys used to be brought up to date
 * inside the row: the Lua rule after it then stopped the import ("script .../map.lua ran longer
 * than 100 ms"). */
static void stale_keys_are_not_the_rows_cost(void **state)
{
    (void)state;
    kt_test_ws t;
    snprintf(t.dir, sizeof t.dir, "/tmp/kt-dedupe-import-XXXXXX");
    assert_non_null(mkdtemp(t.dir));
    char lua[160];
    kt_test_write(t.dir, "kartoteka.lua",
                  "rule 'person.first_name' { check = function(r) return true end }\n", lua,
                  sizeof lua);
    kt_error err;
    kt_config_opts co = {0};
    assert_int_equal(kt_ws_open(t.dir, &t.ws, &err), KT_OK);
    assert_int_equal(kt_config_apply(t.ws, &co, &err), KT_OK);
    assert_int_equal(kt_dedupe_install(t.ws, &err), KT_OK);
    kt_host *h = kt_config_host(t.ws);
    kt_host_limits saved, tight = {.time_ms = 100};
    kt_host_get_limits(h, &saved);
    /* a duplicate of record 12, and someone new whose save runs the rule */
    static const char *const twin[] = {"Zenon,Kowal,zenon.kowal", "Urszula,Bąk,ula.bak",
                                       "Tadeusz,Mróz,t.mroz"};
    char csv[3][512];
    for (int i = 0; i < 3; i++)
        snprintf(csv[i], sizeof csv[i], "%s,Name12,Surname%d,P12@Example.com,01.01.1970,%s@x.pl\n",
                 header, 12 * 7919 % 100003, twin[i]);
    for (int behind = 0; behind < 2; behind++) {
        if (behind) { /* the keys are in step; then records come in without them */
            kt_import_summary s0 = import(t.ws, t.dir, csv[1]);
            assert_int_equal(s0.rejected, 0);
        }
        bulk_people(t.ws, 60000);
        kt_host_set_limits(h, &tight);
        kt_import_summary s = import(t.ws, t.dir, csv[2 * behind]);
        kt_host_set_limits(h, &saved);
        assert_int_equal(s.rows, 1);
        assert_int_equal(s.rejected, 0);
        assert_keys_complete(t.ws);
    }
    /* record 12 was found each time, and changed by none; the three are in */
    assert_int_equal(
        kt_test_ws_value(t.ws, "SELECT count(*) FROM person WHERE email = 'p12@example.com'"), 1);
    assert_int_equal(
        kt_test_ws_value(t.ws, "SELECT count(*) FROM person WHERE email LIKE '%@x.pl'"), 3);
    kt_test_ws_close(&t);
}

/* Key lists as migration 006 leaves them (decimal TEXT) are read when their records change,
 * by an import and by a save. */
static void migrated_key_lists_are_read(void **state)
{
    fixture *f = *state;
    char csv[1024];
    snprintf(csv, sizeof csv,
             "%sM1,Olga,Brzeska,olga@example.com,1970-01-01,,,\n"
             "M2,Jerzy,Malinowski,jerzy@example.com,1971-02-02,,,\n"
             "M3,Halina,Sowa,halina@example.com,1972-03-03,,,\n",
             header);
    import(f->t.ws, f->t.dir, csv);
    sqlite3 *db = kt_store_db(kt_ws_store(f->t.ws));
    assert_int_equal(sqlite3_exec(db,
                                  "UPDATE kt_dupe_rec SET keys = (SELECT group_concat(key, ' ') "
                                  "FROM kt_dupe_key k WHERE k.record = kt_dupe_rec.record)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(
        kt_test_ws_value(f->t.ws, "SELECT count(*) FROM kt_dupe_rec WHERE typeof(keys) = 'text'"),
        3);
    snprintf(csv, sizeof csv, "%sM1,Olga,Brzeska-Nowak,olga.bn@example.com,1970-01-01,,,\n",
             header);
    kt_import_summary s = import(f->t.ws, f->t.dir, csv);
    assert_int_equal(s.updated, 1);
    kt_record *r = kt_record_new("person");
    kt_error err;
    r->id = kt_test_ws_value(f->t.ws, "SELECT id FROM person WHERE external_id = 'M2'");
    kt_record_set(r, "email", "jerzy.m@example.com", &err);
    assert_int_equal(kt_save(f->t.ws, r, NULL, NULL, &err), KT_OK);
    kt_record_free(r);
    kt_record *probe = kt_record_new("person");
    kt_record_set(probe, "first_name", "Nobody", &err);
    kt_dupe_match *m = NULL;
    size_t nm;
    assert_int_equal(kt_dupes_for_record(f->t.ws, probe, -1, &m, &nm, 1, &err), KT_OK);
    kt_free(m);
    kt_record_free(probe);
    assert_int_equal(
        kt_test_ws_value(f->t.ws, "SELECT count(*) FROM kt_dupe_rec WHERE typeof(keys) = 'text'"),
        1);
    assert_keys_complete(f->t.ws);
}

/* Migration 006 on keys stored the old way (a rowid table, indexes by key and by record): the
 * same rows, listed per record, and they read as complete. */
static void migration_keeps_stored_keys(void **state)
{
    fixture *f = *state;
    import_scenario(f);
    size_t n1, n2;
    long long *before = stored_keys(f->t.ws, &n1);
    kt_ws_close(f->t.ws);
    char path[128];
    snprintf(path, sizeof path, "%s/kartoteka.db", f->t.dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "DROP TABLE kt_dupe_rec;"
                     "CREATE TABLE old (key INTEGER NOT NULL, record INTEGER NOT NULL);"
                     "INSERT INTO old SELECT key, record FROM kt_dupe_key;"
                     "DROP TABLE kt_dupe_key;"
                     "ALTER TABLE old RENAME TO kt_dupe_key;"
                     "CREATE INDEX kt_dupe_key_key ON kt_dupe_key(key);"
                     "CREATE INDEX kt_dupe_key_record ON kt_dupe_key(record);"
                     "PRAGMA user_version = 5;",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    kt_error err;
    assert_int_equal(kt_ws_open(f->t.dir, &f->t.ws, &err), KT_OK);
    kt_config_opts o = {0};
    o.skip_workspace = 1;
    assert_int_equal(kt_config_apply(f->t.ws, &o, &err), KT_OK);
    assert_int_equal(kt_dedupe_install(f->t.ws, &err), KT_OK);
    assert_true(kt_test_ws_value(f->t.ws, "PRAGMA user_version") >= 6); /* and later ones */
    assert_int_equal(kt_test_ws_value(f->t.ws, "SELECT count(*) FROM sqlite_schema WHERE name = "
                                               "'kt_dupe_key' AND sql LIKE '%WITHOUT ROWID%'"),
                     1);
    assert_int_equal(
        kt_test_ws_value(f->t.ws, "SELECT count(*) FROM kt_dupe_rec WHERE typeof(keys) = 'text'"),
        kt_test_ws_value(f->t.ws, "SELECT count(DISTINCT record) FROM kt_dupe_key"));
    long long *after = stored_keys(f->t.ws, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(before, after, n1 * 2 * sizeof *before);
    free(before);
    free(after);
    assert_keys_complete(f->t.ws);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(rows_find_earlier_rows, setup, kt_test_ws_teardown),
        cmocka_unit_test_setup_teardown(keys_complete_after_import, setup, kt_test_ws_teardown),
        cmocka_unit_test_setup_teardown(spilling_changes_nothing, setup, kt_test_ws_teardown),
        cmocka_unit_test(stale_keys_are_not_the_rows_cost),
        cmocka_unit_test_setup_teardown(migrated_key_lists_are_read, setup, kt_test_ws_teardown),
        cmocka_unit_test_setup_teardown(migration_keeps_stored_keys, setup, kt_test_ws_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
