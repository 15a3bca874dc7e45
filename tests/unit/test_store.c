/* The store's own seams: the transaction listeners (told of every level's begin, commit and
 * rollback, a failing committing hook rolls its level back) and the one-call run helper. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "kartoteka/store.h"
#include "tmp_dir.h"

typedef struct heard {
    char log[256];
    int refuse_at; /* committing fails at this depth (0: never) */
} heard;

static void note(heard *h, const char *what, int depth)
{
    size_t n = strlen(h->log);
    snprintf(h->log + n, sizeof h->log - n, "%s%d ", what, depth);
}
static void began(void *ud, int depth)
{
    note(ud, "b", depth);
}
static kt_status committing(void *ud, int depth, kt_error *err)
{
    heard *h = ud;
    note(h, "c", depth);
    return depth == h->refuse_at ? kt_error_set(err, KT_INTERNAL, "refused") : KT_OK;
}
static void committed(void *ud, int depth)
{
    note(ud, "C", depth);
}
static void rolled_back(void *ud, int depth)
{
    note(ud, "R", depth);
}

static kt_store *open_store(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/store.db", kt_test_dir);
    kt_store_opts o = {1, 0};
    kt_store *s = NULL;
    kt_error err;
    assert_int_equal(kt_store_open(path, &o, &s, &err), KT_OK);
    kt_store_run(s, "CREATE TABLE IF NOT EXISTS t(a, b)", "making t", &err, "");
    kt_store_run(s, "DELETE FROM t", "emptying t", &err, "");
    return s;
}

static void listeners_hear_every_level(void **state)
{
    (void)state;
    kt_store *s = open_store();
    heard h = {{0}, 0};
    kt_store_listener l = {began, committing, committed, rolled_back, &h};
    kt_error err;
    assert_int_equal(kt_store_listen(s, &l, &err), KT_OK);
    assert_int_equal(kt_store_begin(s, &err), KT_OK);
    assert_int_equal(kt_store_begin(s, &err), KT_OK);
    kt_store_rollback(s);
    assert_int_equal(kt_store_begin(s, &err), KT_OK);
    assert_int_equal(kt_store_commit(s, &err), KT_OK);
    assert_int_equal(kt_store_commit(s, &err), KT_OK);
    assert_string_equal(h.log, "b1 b2 R2 b2 c2 C2 c1 C1 ");
    /* a lazy transaction that never wrote tells nothing */
    h.log[0] = '\0';
    assert_int_equal(kt_store_begin_lazy(s, &err), KT_OK);
    assert_int_equal(kt_store_commit(s, &err), KT_OK);
    assert_string_equal(h.log, "");
    kt_store_unlisten(s, &l);
    assert_int_equal(kt_store_begin(s, &err), KT_OK);
    assert_int_equal(kt_store_commit(s, &err), KT_OK);
    assert_string_equal(h.log, "");
    kt_store_close(s);
}

static void refusing_listener_rolls_back(void **state)
{
    (void)state;
    kt_store *s = open_store();
    heard h = {{0}, 1};
    kt_store_listener l = {NULL, committing, NULL, rolled_back, &h};
    kt_error err;
    assert_int_equal(kt_store_listen(s, &l, &err), KT_OK);
    assert_int_equal(kt_store_begin(s, &err), KT_OK);
    assert_int_equal(
        kt_store_run(s, "INSERT INTO t(a, b) VALUES (?1, ?2)", "adding", &err, "it", 7LL, "seven"),
        KT_OK);
    assert_int_equal(kt_store_commit(s, &err), KT_INTERNAL);
    assert_int_equal(kt_store_depth(s), 0);
    assert_string_equal(h.log, "c1 R1 ");
    long long n = -1;
    assert_int_equal(kt_store_int(s, "SELECT count(*) FROM t", "counting", &n, &err), KT_OK);
    assert_int_equal(n, 0);
    kt_store_close(s);
}

static void run_binds_and_reports(void **state)
{
    (void)state;
    kt_store *s = open_store();
    kt_error err;
    assert_int_equal(kt_store_run(s, "INSERT INTO t(a, b) VALUES (?1, ?2)", "adding", &err, "zt",
                                  0LL, (const char *)NULL),
                     KT_OK);
    assert_int_equal(
        kt_store_run(s, "INSERT INTO t(a, b) VALUES (?1, ?2)", "adding", &err, "dz", 2.5, 3LL),
        KT_OK);
    long long n = -1;
    assert_int_equal(
        kt_store_int(s, "SELECT count(*) FROM t WHERE a IS NULL AND b IS NULL", "c", &n, &err),
        KT_OK);
    assert_int_equal(n, 1);
    assert_int_equal(
        kt_store_int(s, "SELECT count(*) FROM t WHERE a = 2.5 AND b = 3", "c", &n, &err), KT_OK);
    assert_int_equal(n, 1);
    assert_int_not_equal(
        kt_store_run(s, "INSERT INTO nowhere VALUES (1)", "adding nowhere", &err, ""), KT_OK);
    kt_store_close(s);
}

/* A borrowed statement is the caller's alone: one borrowed while another of its text is out is
 * a second statement (a listing inside a listing's callback), and one given back is borrowed
 * again off its row and without its old values. */
static void borrowed_statements_are_not_shared(void **state)
{
    (void)state;
    kt_store *s = open_store();
    kt_error err;
    const char *sql = "SELECT b FROM t WHERE a = ?1 ORDER BY b";
    for (long long i = 0; i < 3; i++)
        kt_store_run(s, "INSERT INTO t(a, b) VALUES (1, ?1)", "adding", &err, "i", i);
    kt_stmt *outer = NULL, *inner = NULL, *again = NULL;
    assert_int_equal(kt_store_borrow(s, sql, "reading", &outer, &err), KT_OK);
    kt_stmt_bind_int(outer, 1, 1);
    assert_int_equal(kt_stmt_step(outer), KT_STMT_ROW);
    assert_int_equal(kt_store_borrow(s, sql, "reading", &inner, &err), KT_OK);
    assert_ptr_not_equal(outer, inner);
    kt_stmt_bind_int(inner, 1, 1);
    assert_int_equal(kt_stmt_step(inner), KT_STMT_ROW);
    assert_int_equal(kt_stmt_step(inner), KT_STMT_ROW);
    kt_store_give_back(s, sql, inner);
    assert_int_equal(kt_stmt_step(outer), KT_STMT_ROW);
    assert_int_equal(kt_stmt_int(outer, 0), 1); /* the inner reads moved it not */
    assert_int_equal(kt_store_borrow(s, sql, "reading", &again, &err), KT_OK);
    assert_ptr_equal(again, inner);
    assert_int_equal(kt_stmt_step(again), KT_STMT_DONE); /* ?1 unbound: NULL matches nothing */
    kt_store_give_back(s, sql, again);
    kt_store_give_back(s, sql, outer);
    kt_store_give_back(s, sql, NULL);
    kt_store_close(s); /* finalizes what was given back: a leak fails under ASan */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(listeners_hear_every_level),
        cmocka_unit_test(refusing_listener_rolls_back),
        cmocka_unit_test(run_binds_and_reports),
        cmocka_unit_test(borrowed_statements_are_not_shared),
    };
    return cmocka_run_group_tests(tests, kt_test_dir_setup, kt_test_dir_teardown);
}
