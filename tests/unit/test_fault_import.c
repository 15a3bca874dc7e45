/* Fault injection over imports (issue 9, point 2): the N-th core allocation, the N-th SQLite
 * allocation and the N-th write or sync fail inside kt_import_run. Each run must end in a clear
 * error (or succeed), leave no transaction open, leak nothing (ASan/LSan) and leave every
 * record, history row, search entry and duplicate key as it was: the import is one transaction.
 * The batch row is bookkeeping committed before the first row (import.h), so kt_batch is left
 * out of the comparison. Two files:
 * - plain: 100 new people; a successful run stores each whole, with its history;
 * - deduplicating (dedupe/overlay.c): 30 people, a rejected row, then the 30 again in other
 *   spellings, with the held keys written out every few rows (and the filter of stored keys
 *   built on the way); a successful run leaves the stored keys complete.
 * Needs -DKT_FAULT=ON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../fault/fault.h"
#include "dedupe/overlay.h"
#include "kartoteka/import.h"
#include "store/store_db.h"

#define ROWS 100
#define PEOPLE 30

typedef struct fixture {
    kt_fault_fixture w; /* first: kt_fault_setup fills it */
    unsigned long serial;
    long created, skipped, rejected; /* what a successful run of the file reports */
} fixture;

/* Only external_id decides duplicates: each run's rows are new people. */
static const char by_id[] =
    "settings { script_time_ms = 600000 }\n"
    "dedupe \"person\" { threshold = 1, compare = { { field = \"external_id\", method = "
    "\"exact\", weight = 1 } } }\n";

/* Only the e-mail decides: each run's people are new, their second spelling is not. */
static const char by_email[] =
    "settings { script_time_ms = 600000 }\n"
    "dedupe \"person\" { threshold = 1, compare = { { field = \"email\", method = \"email\", "
    "weight = 1 } } }\n";

static const char *const skip[] = {"kt_batch", NULL};

static int setup_by_id(void **state)
{
    return kt_fault_setup(state, sizeof(fixture), by_id, "people.csv");
}

static int setup_by_email(void **state)
{
    return kt_fault_setup(state, sizeof(fixture), by_email, "people.csv");
}

/* A new file per run (faults disarmed), unique across runs: opens it with its header. */
static FILE *new_file(fixture *f, const char *header, long created, long skipped, long rejected,
                      kt_error *err)
{
    FILE *fp = fopen(f->w.file, "w");
    if (!fp) {
        kt_error_set(err, KT_IO, "cannot write %s", f->w.file);
        return NULL;
    }
    f->serial++;
    f->created = created;
    f->skipped = skipped;
    f->rejected = rejected;
    fprintf(fp, "%s\n", header);
    return fp;
}

static kt_status closed(fixture *f, FILE *fp, kt_error *err)
{
    return fclose(fp) ? kt_error_set(err, KT_IO, "cannot write %s", f->w.file) : KT_OK;
}

static kt_status prepare_plain(void *ud, kt_error *err)
{
    fixture *f = ud;
    FILE *fp =
        new_file(f, "external_id,first_name,last_name,city,email,birth_date", ROWS, 0, 0, err);
    if (!fp) return err->code;
    for (int i = 1; i <= ROWS; i++)
        fprintf(fp, "R%lu-%d,Łucja %d,Żak,Kraków,r%lu.%d@example.pl,1980-05-%02d\n", f->serial, i,
                i, f->serial, i, 1 + i % 28);
    return closed(f, fp, err);
}

static kt_status prepare_spellings(void *ud, kt_error *err)
{
    fixture *f = ud;
    FILE *fp = new_file(f, "external_id,first_name,last_name,email", PEOPLE, PEOPLE, 1, err);
    if (!fp) return err->code;
    for (int i = 0; i < PEOPLE; i++)
        fprintf(fp, "Q%lu-%d,Łucja,Żak,q%lu-%d@example.pl\n", f->serial, i, f->serial, i);
    fprintf(fp, "Q%lu-bad,Zła,Poczta,q@@example.pl\n", f->serial);
    for (int i = 0; i < PEOPLE; i++)
        fprintf(fp, ",Łucja,Żak,Q%lu-%d@Example.PL\n", f->serial, i);
    return closed(f, fp, err);
}

/* A person, a row a check rejects, the person again in another spelling: no failure on the way
 * (the rejection's own, the second spelling's lookup) may pass for an answer. */
static kt_status prepare_small(void *ud, kt_error *err)
{
    fixture *f = ud;
    FILE *fp = new_file(f, "external_id,first_name,last_name,email", 1, 1, 1, err);
    if (!fp) return err->code;
    fprintf(fp, "S%lu,Łucja,Żak,s%lu@example.pl\nS%lu-bad,Zła,Poczta,s@@example.pl\n", f->serial,
            f->serial, f->serial);
    fprintf(fp, ",Łucja,Żak,S%lu@Example.PL\n", f->serial);
    return closed(f, fp, err);
}

/* The held keys are written out every 10 rows, so that path is walked too. */
static kt_status cmd_import(void *ud, kt_error *err)
{
    fixture *f = ud;
    kt_status st = dd_overlay_spill_at(f->w.ws, 10, err);
    if (st) return st;
    kt_import_opts o = {0};
    o.entity = "person";
    /* the rejects go through the output writer: its failures are walked too */
    char rejects[128];
    snprintf(rejects, sizeof rejects, "%s/rejects.csv", f->w.dir);
    o.rejects = rejects;
    o.rejects_replace = 1;
    kt_import_summary sum;
    st = kt_import_run(f->w.ws, f->w.file, &o, &sum, err);
    if (st == KT_OK &&
        (sum.created != f->created || sum.skipped != f->skipped || sum.rejected != f->rejected))
        return kt_error_set(err, KT_INTERNAL,
                            "fault test: created %ld, skipped %ld, rejected %ld without failing",
                            sum.created, sum.skipped, sum.rejected);
    return st;
}

static long long value(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Every row of a successful run stored whole, with its history (a failure swallowed on the
 * way, or turned into a rejected row, would lose data). */
static kt_status verify_whole(void *ud, kt_error *err)
{
    fixture *f = ud;
    char sql[500];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM person p WHERE p.external_id LIKE 'R%lu-%%' AND p.first_name "
             "IS NOT NULL AND p.email IS NOT NULL AND p.birth_date IS NOT NULL AND "
             "p.city = 'Kraków' AND EXISTS (SELECT 1 FROM kt_change c WHERE c.record = p.id AND "
             "c.action = 'create' AND c.field IS NULL AND "
             "json_extract(c.new, '$.birth_date') = p.birth_date)",
             f->serial);
    long long whole = value(kt_store_db(kt_ws_store(f->w.ws)), sql);
    if (whole != ROWS)
        return kt_error_set(err, KT_INTERNAL, "%lld whole records with their history, not %d",
                            whole, ROWS);
    return KT_OK;
}

/* The run's people each have their keys listed, the lists match the key rows, and nothing is
 * left to sync. */
static kt_status verify_keys(void *ud, kt_error *err)
{
    fixture *f = ud;
    sqlite3 *db = kt_store_db(kt_ws_store(f->w.ws));
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM person p JOIN kt_dupe_rec d ON d.record = p.id "
             "WHERE p.external_id LIKE 'Q%lu-%%'",
             f->serial);
    long long listed = value(db, sql);
    long long rows = value(db, "SELECT count(*) FROM kt_dupe_key");
    long long in_lists = value(db, "SELECT sum(length(keys) / 8) FROM kt_dupe_rec");
    long long synced =
        value(db, "SELECT (SELECT last_change FROM kt_dupe_key_state WHERE entity = 'person') = "
                  "(SELECT max(id) FROM kt_change)");
    if (listed != PEOPLE || rows != in_lists || synced != 1)
        return kt_error_set(err, KT_INTERNAL,
                            "keys of %lld of %d people, %lld key rows for %lld listed, synced %lld",
                            listed, PEOPLE, rows, in_lists, synced);
    return KT_OK;
}

/* Prime steps, so every phase is hit; KT_FAULT_FULL=1 walks every call. */
static void walk(void **state, kt_fault_kind kind, unsigned long step, const char *what,
                 kt_status (*prepare)(void *, kt_error *), kt_status (*verify)(void *, kt_error *))
{
    fixture *f = *state;
    if (getenv("KT_FAULT_FULL")) step = 1;
    kt_fault_walk_opts o = {f->w.db, &f->w.ws, cmd_import, f,      200000, 0, step,
                            prepare, skip,     NULL,       verify, 0,      0};
    kt_fault_stats stats;
    char why[2300];
    if (kt_fault_walk(kind, &o, &stats, why, sizeof why)) fail_msg("%s: %s", what, why);
    print_message("%-22s %-13s n=1..%-6lu step %lu: %5lu runs, %5lu clean errors, %4lu recovered\n",
                  what,
                  kind == KT_FAULT_CORE_ALLOC     ? "core alloc"
                  : kind == KT_FAULT_SQLITE_ALLOC ? "sqlite alloc"
                                                  : "write/sync",
                  stats.last, step, stats.runs, stats.failed, stats.recovered);
}

/* An import of 100 rows makes thousands of allocations: CI samples them. */
static void plain_core_alloc(void **state)
{
    walk(state, KT_FAULT_CORE_ALLOC, 401, "import of 100 rows", prepare_plain, verify_whole);
}

static void plain_sqlite_alloc(void **state)
{
    walk(state, KT_FAULT_SQLITE_ALLOC, 401, "import of 100 rows", prepare_plain, verify_whole);
}

static void plain_io(void **state)
{
    walk(state, KT_FAULT_IO, 1, "import of 100 rows", prepare_plain, verify_whole);
}

static void spellings_core_alloc(void **state)
{
    walk(state, KT_FAULT_CORE_ALLOC, 101, "deduplicating import", prepare_spellings, verify_keys);
}

static void spellings_sqlite_alloc(void **state)
{
    walk(state, KT_FAULT_SQLITE_ALLOC, 101, "deduplicating import", prepare_spellings, verify_keys);
}

static void spellings_io(void **state)
{
    walk(state, KT_FAULT_IO, 1, "deduplicating import", prepare_spellings, verify_keys);
}

/* Every allocation of a small import. */
static void small_every_alloc(void **state)
{
    walk(state, KT_FAULT_CORE_ALLOC, 1, "small import", prepare_small, NULL);
}

int main(void)
{
    kt_fault_install(); /* before anything touches SQLite */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(plain_core_alloc, setup_by_id, kt_fault_teardown),
        cmocka_unit_test_setup_teardown(plain_sqlite_alloc, setup_by_id, kt_fault_teardown),
        cmocka_unit_test_setup_teardown(plain_io, setup_by_id, kt_fault_teardown),
        cmocka_unit_test_setup_teardown(spellings_core_alloc, setup_by_email, kt_fault_teardown),
        cmocka_unit_test_setup_teardown(spellings_sqlite_alloc, setup_by_email, kt_fault_teardown),
        cmocka_unit_test_setup_teardown(spellings_io, setup_by_email, kt_fault_teardown),
        cmocka_unit_test_setup_teardown(small_every_alloc, setup_by_email, kt_fault_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
