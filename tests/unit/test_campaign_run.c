/* Campaign runs through the API: the dry run writes nothing, a run acts once per record and a
 * second run repeats nothing, opted-out records are skipped, locks held by a live process make
 * a run wait its turn while a dead (even unreaped) process's lock is free, and an allocation
 * failure at any point leaves every record either fully acted (ledger row + message + task) or not
 * at all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kartoteka/alloc.h"
#include "kartoteka/campaign.h"
#include "kartoteka/config.h"
#include "kartoteka/save.h"
#include "kartoteka/store.h"
#include "store/store_db.h"
#include "campaign/campaign_int.h"

typedef struct fixture {
    char dir[64];
    kt_ws *ws;
} fixture;

static const char config[] =
    "settings { script_time_ms = 600000, file_dir = 'sent' }\n"
    "campaign 'hello' {\n"
    "  entity = 'person', schedule = 'daily 08:00', filter = { city = 'Kraków' },\n"
    "  audience = function(r, day) return r.email ~= nil end,\n"
    "  action = function(r, day)\n"
    "    kt.send { channel = 'email', to = r.email, text = 'Hi {{n}}', data = { n = r.first_name } "
    "}\n"
    "    kt.task { title = 'follow up', person = r.id, due = day + 1 }\n"
    "  end,\n"
    "}\n"
    "campaign 'birthday' {\n"
    "  entity = 'person', filter = { marketing_consent = 'yes' },\n"
    "  audience = { anniversary = 'birth_date', days_ahead = 7 },\n"
    "  action = function(r, day) end,\n"
    "}\n";

static void add(kt_ws *ws, const char *first, const char *city, const char *email,
                const char *consent)
{
    kt_error err;
    kt_record *r = kt_record_new("person");
    assert_int_equal(kt_record_set(r, "first_name", first, &err), KT_OK);
    assert_int_equal(kt_record_set(r, "city", city, &err), KT_OK);
    if (email) assert_int_equal(kt_record_set(r, "email", email, &err), KT_OK);
    if (consent) assert_int_equal(kt_record_set(r, "marketing_consent", consent, &err), KT_OK);
    kt_save_opts o = {.source = "test", .allow_duplicate = 1};
    assert_int_equal(kt_save(ws, r, &o, NULL, &err), KT_OK);
    kt_record_free(r);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/kt-campaign-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    char path[128];
    snprintf(path, sizeof path, "%s/kartoteka.lua", f->dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(config, fp);
    fclose(fp);
    kt_error err;
    assert_int_equal(kt_ws_open(f->dir, &f->ws, &err), KT_OK);
    kt_config_opts o = {0};
    assert_int_equal(kt_config_apply(f->ws, &o, &err), KT_OK);
    sqlite3_exec(kt_store_db(kt_ws_store(f->ws)), "PRAGMA synchronous = OFF", NULL, NULL, NULL);
    add(f->ws, "Anna", "Kraków", "anna@example.com", "yes");
    add(f->ws, "Bartek", "Kraków", "bartek@example.com", NULL);
    add(f->ws, "Cezary", "Kraków", "cezary@example.com", "yes");
    add(f->ws, "Dorota", "Kraków", "dorota@example.com", "no"); /* opted out */
    add(f->ws, "Ewa", "Kraków", NULL, "yes");                   /* audience: no e-mail */
    add(f->ws, "Filip", "Gdańsk", "filip@example.com", "yes");  /* filter: elsewhere */
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    kt_ws_close(f->ws);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static long count(kt_ws *ws, const char *sql)
{
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(kt_store_db(kt_ws_store(ws)), sql, -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    long n = (long)sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return n;
}

static void test_dry_run_then_once(void **state)
{
    fixture *f = *state;
    kt_error err;
    kt_campaign_result res;
    kt_campaign_run_opts dry = {"2027-03-01", 1, 0, NULL, NULL};
    assert_int_equal(kt_campaign_run(f->ws, "hello", &dry, &res, &err), KT_OK);
    assert_int_equal(res.candidates, 5);
    assert_int_equal(res.reached, 3);
    assert_int_equal(res.acted, 0);
    assert_int_equal(res.messages, 3);
    assert_int_equal(count(f->ws, "SELECT count(*) FROM kt_outbox"), 0);
    assert_int_equal(count(f->ws, "SELECT count(*) FROM kt_campaign_ledger"), 0);
    kt_campaign_run_opts real = {"2027-03-01", 0, 0, NULL, NULL};
    assert_int_equal(kt_campaign_run(f->ws, "hello", &real, &res, &err), KT_OK);
    assert_int_equal(res.acted, 3);
    assert_int_equal(res.tasks, 3);
    assert_int_equal(count(f->ws, "SELECT count(*) FROM kt_outbox WHERE recipient LIKE 'dorota%'"),
                     0);
    assert_int_equal(kt_campaign_run(f->ws, "hello", &real, &res, &err), KT_OK);
    assert_int_equal(res.acted, 0);
    assert_int_equal(res.done_before, 3);
    assert_int_equal(count(f->ws, "SELECT count(*) FROM kt_outbox"), 3);
    kt_outbox_result d;
    assert_int_equal(kt_outbox_deliver(f->ws, &d, &err), KT_OK);
    assert_int_equal(d.sent, 3);
    assert_int_equal(count(f->ws, "SELECT count(*) FROM kt_outbox WHERE status = 'sent'"), 3);
    assert_int_equal(kt_campaign_run(f->ws, "nope", &real, &res, &err), KT_NOTFOUND);
}

/* Another process takes the campaign's lock and then dies without releasing it, and its parent
 * does not reap it: a zombie, which kill(pid, 0) calls alive. The kernel released its lock. */
static void test_locks(void **state)
{
    fixture *f = *state;
    kt_error err;
    int go[2], ready[2];
    assert_int_equal(pipe(go), 0);
    assert_int_equal(pipe(ready), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        kt_ws *ws = NULL;
        char c = kt_ws_open(f->dir, &ws, &err) == KT_OK &&
                         kt_lock_take(ws, "campaign:hello", &err) == KT_OK
                     ? 'y'
                     : 'n';
        if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1) _exit(2);
        _exit(0); /* killed, as far as the lock can tell: never released */
    }
    char c = 0;
    assert_int_equal(read(ready[0], &c, 1), 1);
    assert_int_equal(c, 'y');
    kt_campaign_run_opts real = {"2027-03-02", 0, 0, NULL, NULL};
    kt_campaign_result res;
    assert_int_equal(kt_campaign_run(f->ws, "hello", &real, &res, &err), KT_BUSY);
    char holder[64];
    snprintf(holder, sizeof holder, "process %ld", (long)child);
    assert_non_null(strstr(err.message, holder));
    assert_int_equal(kt_campaign_due(f->ws, "2027-03-02T09:00", NULL, NULL, &err), KT_OK);
    assert_int_equal(count(f->ws, "SELECT count(*) FROM kt_campaign_ledger"), 0);
    /* the holder ends and is not reaped: its row remains, its lock does not */
    assert_int_equal(write(go[1], "x", 1), 1);
    for (int i = 0; i < 200 && kill(child, 0) == 0; i++) {
        int held = 1;
        kt_ws *probe = NULL;
        assert_int_equal(kt_ws_open(f->dir, &probe, &err), KT_OK);
        assert_int_equal(kt_ws_lock_held(probe, "campaign:hello", &held, &err), KT_OK);
        kt_ws_close(probe);
        if (!held) break;
        usleep(10000);
    }
    assert_int_equal(kill(child, 0), 0); /* a zombie: "alive" */
    assert_int_equal(count(f->ws, "SELECT count(*) FROM kt_campaign_lock"), 1);
    assert_int_equal(kt_campaign_run(f->ws, "hello", &real, &res, &err), KT_OK);
    assert_int_equal(res.acted, 3);
    assert_int_equal(count(f->ws, "SELECT count(*) FROM kt_campaign_lock"), 0);
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_int_equal(WEXITSTATUS(status), 0);
    close(go[0]), close(go[1]), close(ready[0]), close(ready[1]);
}

/* After any failure: every ledger row has its message and task, and nothing else exists. */
static void check_whole(kt_ws *ws)
{
    long ledger = count(ws, "SELECT count(*) FROM kt_campaign_ledger");
    assert_int_equal(count(ws, "SELECT count(*) FROM kt_outbox"), ledger);
    assert_int_equal(count(ws, "SELECT count(*) FROM task"), ledger);
    assert_int_equal(count(ws, "SELECT count(*) FROM kt_outbox o LEFT JOIN kt_campaign_ledger l ON "
                               "l.campaign = o.campaign AND l.record = o.record AND l.key = o.key "
                               "WHERE l.record IS NULL"),
                     0);
    assert_int_equal(kt_store_depth(kt_ws_store(ws)), 0);
}

static void test_allocation_failures(void **state)
{
    fixture *f = *state;
    unsigned long n = 1, failed = 0;
    for (int day = 0; day < 100000; day++) {
        char ymd[16];
        snprintf(ymd, sizeof ymd, "%04d-%02d-%02d", 2030 + day / 336, day / 28 % 12 + 1,
                 day % 28 + 1);
        kt_campaign_run_opts o = {ymd, 0, 0, NULL, NULL};
        kt_campaign_result res;
        kt_error err;
        kt_alloc_fail_at(0);
        kt_alloc_fail_at(n);
        kt_status st = kt_campaign_run(f->ws, "hello", &o, &res, &err);
        unsigned long used = kt_alloc_fail_at(0);
        if (st) {
            failed++;
            assert_true(err.message[0] != '\0');
        }
        check_whole(f->ws);
        /* the same day again, without failures: the rest is completed, nothing repeated */
        assert_int_equal(kt_campaign_run(f->ws, "hello", &o, &res, &err), KT_OK);
        check_whole(f->ws);
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM kt_campaign_ledger WHERE key = '%s'", ymd);
        assert_int_equal(count(f->ws, sql), 3);
        if (used < n) break; /* the failure point lies past the whole run */
        n += 1 + n / 40;
    }
    print_message("allocation failure walk: %lu points, %lu runs failed\n", n, failed);
    assert_true(failed > 0);
}

/* The plan of every statement that reads a declared anniversary, as kt wrote it (with its
 * join, its filter and its order), noted while a dry run runs. */
typedef struct plans {
    sqlite3 *db;
    char text[4096];
    int statements;
} plans;

static int note_plan(unsigned type, void *ud, void *p, void *x)
{
    (void)type;
    (void)x;
    plans *pl = ud;
    char *sql = sqlite3_expanded_sql(p);
    if (sql && strstr(sql, "substr(t.\"birth_date\", 6, 5)") && !strstr(sql, "EXPLAIN")) {
        char explain[4200];
        snprintf(explain, sizeof explain, "EXPLAIN QUERY PLAN %s", sql);
        sqlite3_stmt *q = NULL;
        if (sqlite3_prepare_v2(pl->db, explain, -1, &q, NULL) == SQLITE_OK) {
            pl->statements++;
            while (sqlite3_step(q) == SQLITE_ROW) {
                size_t n = strlen(pl->text);
                snprintf(pl->text + n, sizeof pl->text - n, "%s\n", sqlite3_column_text(q, 3));
            }
        }
        sqlite3_finalize(q);
    }
    sqlite3_free(sql);
    return 0;
}

static void test_anniversary_reads_month_day_index(void **state)
{
    fixture *f = *state;
    kt_error err;
    kt_campaign_result res;
    kt_campaign_run_opts dry = {"2027-03-01", 1, 0, NULL, NULL};
    plans pl = {kt_store_db(kt_ws_store(f->ws)), "", 0};
    sqlite3_trace_v2(pl.db, SQLITE_TRACE_STMT, note_plan, &pl);
    assert_int_equal(kt_campaign_run(f->ws, "birthday", &dry, &res, &err), KT_OK);
    sqlite3_trace_v2(pl.db, 0, NULL, NULL);
    assert_int_equal(pl.statements, 1);
    print_message("plan: %s", pl.text);
    assert_non_null(strstr(pl.text, "INDEX kt_md_person_birth_date"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_dry_run_then_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_locks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_allocation_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_anniversary_reads_month_day_index, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
