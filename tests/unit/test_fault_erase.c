/* Fault injection over an erasure (issue 23): the N-th core allocation, SQLite allocation or
 * file write fails inside kt_person_erase of a person with a merged duplicate and a deal naming
 * them. Each run must end in a clear error or succeed, leave no transaction open, leak nothing
 * (ASan/LSan); a failure before the commit leaves the database as it was, one after it
 * (compacting the file) leaves the person wholly erased. Before every run the store must be
 * sound — PRAGMA integrity_check and FTS5's integrity-check, through the workspace's own
 * connection and through a fresh one — so a failed erase that left the search index malformed
 * (an SQLite allocation failure inside the index rebuild once did) fails the walk at the next
 * step, and the next run is the retry that must succeed. Needs -DKT_FAULT=ON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../fault/fault.h"
#include "kartoteka/dedupe.h"
#include "kartoteka/privacy.h"
#include "kartoteka/query.h"
#include "kartoteka/save.h"

typedef struct fixture {
    kt_fault_fixture w; /* first: kt_fault_setup fills it */
    kt_id person;       /* one not erased yet, or 0 */
    kt_id erased;       /* the last one erased */
    unsigned long serial;
} fixture;

static const char config[] = "settings { script_time_ms = 600000 }\n";

static int setup(void **state)
{
    return kt_fault_setup(state, sizeof(fixture), config, NULL);
}

/* Is the store sound, as the workspace's connection sees it and as a new one does? */
static kt_status sound(fixture *f, kt_error *err)
{
    kt_status st = kt_store_run(kt_ws_store(f->w.ws),
                                "INSERT INTO kt_search(kt_search) VALUES ('integrity-check')",
                                "checking the search index", err, "");
    if (!st && !kt_fault_db_ok(f->w.db))
        st = kt_error_set(err, KT_INTERNAL, "the database or its search index is malformed");
    return st;
}

/* Faults disarmed: the store sound after the last run, and, once the last person was erased,
 * a fresh one with a duplicate merged in and a deal naming them (a failed run is retried). */
static kt_status prepare(void *ud, kt_error *err)
{
    fixture *f = ud;
    kt_status st = sound(f, err);
    if (st || f->person) return st;
    char email[64], mobile[32], id[32], title[64];
    kt_id loser, deal;
    f->serial++;
    snprintf(email, sizeof email, "zxq.%lu@example.pl", f->serial);
    snprintf(mobile, sizeof mobile, "+48600%06lu", f->serial);
    st = kt_fault_add(f->w.ws, "person",
                      (const char *const[]){"first_name", "Zofia", "last_name", "Zxqvbelkovska",
                                            "email", email, "city", "Kraków", NULL},
                      &f->person, err);
    if (!st)
        st = kt_fault_add(f->w.ws, "person",
                          (const char *const[]){"first_name", "Zosia", "last_name", "Zxqvbelkovska",
                                                "mobile", mobile, NULL},
                          &loser, err);
    if (!st) st = kt_merge(f->w.ws, f->person, &loser, 1, "fault test", err);
    snprintf(id, sizeof id, "%lld", f->person);
    snprintf(title, sizeof title, "Renewal for Zxqvbelkovska %lu", f->serial);
    if (!st)
        st = kt_fault_add(f->w.ws, "deal",
                          (const char *const[]){"title", title, "person", id, NULL}, &deal, err);
    return st;
}

static kt_status cmd_erase(void *ud, kt_error *err)
{
    fixture *f = ud;
    kt_erase_result res;
    kt_status st = kt_person_erase(f->w.ws, f->person, KT_ERASE_ALL, "fault test", &res, err);
    if (st == KT_OK) {
        f->erased = f->person;
        f->person = 0;
    }
    return st;
}

/* Is record id wholly erased: no pii value left, the erasure in its history? */
static int saw_erase(void *ud, const kt_change *c)
{
    int *found = ud;
    if (!strcmp(c->action, "erase")) *found = 1;
    return 0;
}

static kt_status check_erased(fixture *f, kt_id id, kt_error *err)
{
    kt_record *got = NULL;
    int found = 0;
    kt_status st = kt_get(f->w.ws, id, &got, err);
    if (!st) st = kt_history(f->w.ws, id, saw_erase, &found, err);
    if (!st && (kt_record_text(got, "email") || kt_record_text(got, "last_name") || !found))
        st = kt_error_set(err, KT_INTERNAL, "record %lld is not wholly erased", id);
    kt_record_free(got);
    return st;
}

static kt_status verify(void *ud, kt_error *err)
{
    fixture *f = ud;
    return check_erased(f, f->erased, err);
}

/* A failure after the commit (compacting, files): the erasure itself is whole. */
static kt_status committed(void *ud, kt_error *err)
{
    fixture *f = ud;
    kt_status st = check_erased(f, f->person, err);
    if (!st) f->person = 0;
    return st;
}

/* SQLite's allocations are sampled every 7th through the erasure itself (the search flush
 * that once left FTS5 unwritable sits near n = 2830), then every 97th through the compaction
 * that follows it (a VACUUM: tens of thousands of alike allocations, which every 7th took more
 * than ten minutes under the sanitizers); writes every one up to 400, then every 97th (the
 * VACUUM's page writes); KT_FAULT_FULL=1 walks every n. */
static void walk(void **state, kt_fault_kind kind)
{
    fixture *f = *state;
    int full = getenv("KT_FAULT_FULL") != NULL;
    unsigned long step = !full && kind == KT_FAULT_SQLITE_ALLOC ? 7 : 1;
    unsigned long sparse = full                            ? 0
                           : kind == KT_FAULT_SQLITE_ALLOC ? 4000
                           : kind == KT_FAULT_IO           ? 400
                                                           : 0;
    kt_fault_walk_opts o = {f->w.db, &f->w.ws, cmd_erase, f,      50000,  0, step,
                            prepare, NULL,     committed, verify, sparse, 97};
    kt_fault_stats stats;
    char why[2300];
    if (kt_fault_walk(kind, &o, &stats, why, sizeof why)) fail_msg("erase: %s", why);
    print_message("kt_person_erase     %-13s n=1..%-6lu step %lu: %5lu runs, %5lu clean errors, "
                  "%4lu recovered\n",
                  kind == KT_FAULT_CORE_ALLOC     ? "core alloc"
                  : kind == KT_FAULT_SQLITE_ALLOC ? "sqlite alloc"
                                                  : "write/sync",
                  stats.last, step, stats.runs, stats.failed, stats.recovered);
}

static void fault_erase_core_alloc(void **state)
{
    walk(state, KT_FAULT_CORE_ALLOC);
}

static void fault_erase_sqlite_alloc(void **state)
{
    walk(state, KT_FAULT_SQLITE_ALLOC);
}

static void fault_erase_io(void **state)
{
    walk(state, KT_FAULT_IO);
}

int main(void)
{
    kt_fault_install(); /* before anything touches SQLite */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(fault_erase_core_alloc, setup, kt_fault_teardown),
        cmocka_unit_test_setup_teardown(fault_erase_sqlite_alloc, setup, kt_fault_teardown),
        cmocka_unit_test_setup_teardown(fault_erase_io, setup, kt_fault_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
