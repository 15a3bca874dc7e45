/* Fault injection over a merge (issue 9, point 2): the N-th core allocation, SQLite allocation
 * and write or sync fail inside kt_merge of two people whose fields conflict (values moved to
 * free fields, the rest to history) and one of whom is referenced by a deal. Each run must
 * end in a clear error or succeed, leave no transaction open, leak nothing (ASan/LSan) and,
 * when it fails, leave the database exactly as it was. Needs -DKT_FAULT=ON. */
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
#include "kartoteka/query.h"
#include "kartoteka/save.h"

typedef struct fixture {
    kt_fault_fixture w;  /* first: kt_fault_setup fills it */
    kt_id winner, loser; /* a pair not merged yet, or 0 */
    kt_id merged;        /* the loser of the last successful merge */
    unsigned long serial;
} fixture;

static const char config[] = "settings { script_time_ms = 600000 }\n";

static int setup(void **state)
{
    return kt_fault_setup(state, sizeof(fixture), config, NULL);
}

/* Faults disarmed: a fresh pair unless the last one is still unmerged. */
static kt_status prepare(void *ud, kt_error *err)
{
    fixture *f = ud;
    if (f->winner) return KT_OK;
    char email[64], mobile[32], loser_id[32];
    f->serial++;
    snprintf(email, sizeof email, "anna.%lu@example.pl", f->serial);
    snprintf(mobile, sizeof mobile, "+48600%06lu", f->serial);
    kt_status st = kt_fault_add(f->w.ws, "person",
                                (const char *const[]){"first_name", "Anna", "last_name", "Kowalska",
                                                      "email", email, "city", "Kraków", NULL},
                                &f->winner, err);
    if (!st)
        st = kt_fault_add(f->w.ws, "person",
                          (const char *const[]){"first_name", "Ania", "last_name", "Kowalska",
                                                "email", "ania.k@example.pl", "mobile", mobile,
                                                "city", "Krakow", "birth_date", "1980-05-17", NULL},
                          &f->loser, err);
    snprintf(loser_id, sizeof loser_id, "%lld", f->loser);
    kt_id deal; /* refers to the loser: the merge moves the reference */
    if (!st)
        st = kt_fault_add(f->w.ws, "deal",
                          (const char *const[]){"title", "Karma dla psa", "person", loser_id, NULL},
                          &deal, err);
    return st;
}

static kt_status cmd_merge(void *ud, kt_error *err)
{
    fixture *f = ud;
    kt_status st = kt_merge(f->w.ws, f->winner, &f->loser, 1, "fault test", err);
    if (st == KT_OK) {
        f->merged = f->loser;
        f->winner = f->loser = 0;
    }
    return st;
}

static kt_status verify(void *ud, kt_error *err)
{
    fixture *f = ud;
    kt_record *got = NULL;
    kt_status st = kt_get(f->w.ws, f->merged, &got, err);
    if (!st && strcmp(got->state, "merged") != 0)
        st = kt_error_set(err, KT_INTERNAL, "the loser %lld is '%s' after its merge", f->merged,
                          got->state);
    kt_record_free(got);
    return st;
}

static void walk(void **state, kt_fault_kind kind)
{
    fixture *f = *state;
    kt_fault_walk_opts o = {f->w.db, &f->w.ws, cmd_merge, f,      50000, 0, 1,
                            prepare, NULL,     NULL,      verify, 0,     0};
    kt_fault_stats stats;
    char why[2300];
    if (kt_fault_walk(kind, &o, &stats, why, sizeof why)) fail_msg("merge: %s", why);
    print_message("kt_merge            %-13s n=1..%-6lu: %5lu runs, %5lu clean errors, %4lu "
                  "recovered\n",
                  kind == KT_FAULT_CORE_ALLOC     ? "core alloc"
                  : kind == KT_FAULT_SQLITE_ALLOC ? "sqlite alloc"
                                                  : "write/sync",
                  stats.last, stats.runs, stats.failed, stats.recovered);
}

static void fault_merge_core_alloc(void **state)
{
    walk(state, KT_FAULT_CORE_ALLOC);
}

static void fault_merge_sqlite_alloc(void **state)
{
    walk(state, KT_FAULT_SQLITE_ALLOC);
}

static void fault_merge_io(void **state)
{
    walk(state, KT_FAULT_IO);
}

int main(void)
{
    kt_fault_install(); /* before anything touches SQLite */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(fault_merge_core_alloc, setup, kt_fault_teardown),
        cmocka_unit_test_setup_teardown(fault_merge_sqlite_alloc, setup, kt_fault_teardown),
        cmocka_unit_test_setup_teardown(fault_merge_io, setup, kt_fault_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
