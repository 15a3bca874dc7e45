/* Fault injection over the write door (issue 9, point 2): the N-th core allocation, the N-th
 * SQLite allocation and the N-th disk write or sync fail inside kt_save, kt_archive, a script
 * saving several records in one transaction and the opening of a workspace. Every run must
 * end in a clear error or a success, leave no transaction open, leave the database exactly as
 * it was when it fails, and leak nothing (this program runs under ASan/LSan in the sanitizer
 * build). Needs -DKT_FAULT=ON: it links tests/fault/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../fault/fault.h"
#include "kartoteka/alloc.h"
#include "kartoteka/config.h"
#include "kartoteka/host.h"
#include "kartoteka/query.h"
#include "kartoteka/save.h"

#define WALK_MAX 20000

typedef struct fixture {
    char dir[64];
    char db[96];
    char script[96];
    kt_ws *ws;
    kt_id existing;
    kt_id last;    /* the record the last successful cmd_save_new made */
    char card[32]; /* and its card */
    unsigned long serial;
    int archived;
    int failed;       /* the last command failed: reopen before the next */
    kt_fault_cmd cmd; /* the command of the walk under way */
} fixture;

/* The budget is generous: a loaded machine running ASan must not turn a slow script into a
 * spurious failure. */
static const char config[] =
    "settings { script_time_ms = 600000 }\n"
    "field \"person.pets\" { type = \"set\", options = { \"dog\", \"cat\", \"none\" } }\n"
    "field \"person.card\" { type = \"text\", pattern = \"^[0-9]+$\", unique = true }\n"
    "rule \"person.named\" {\n"
    "  message = \"a person needs a name\",\n"
    "  check = function(r) return r.first_name ~= nil or r.last_name ~= nil end,\n"
    "}\n";

/* Three saves in one script: the Lua host, kt.save and a transaction around them. */
static const char script[] = "for i = 1, 3 do\n"
                             "  kt.save({ entity = 'person', first_name = 'Skrypt ' .. i,\n"
                             "            city = 'Łódź', pets = { 'cat' } })\n"
                             "end\n";

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_int_equal(fputs(text, fp) >= 0, 1);
    assert_int_equal(fclose(fp), 0);
}

static kt_status open_ws(fixture *f, kt_ws **out, kt_error *err)
{
    kt_status st = kt_ws_open(f->dir, out, err);
    if (st) return st;
    kt_config_opts o = {0};
    if ((st = kt_config_apply(*out, &o, err))) {
        kt_ws_close(*out);
        *out = NULL;
    }
    return st;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/kt-fault-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->db, sizeof f->db, "%s/kartoteka.db", f->dir);
    snprintf(f->script, sizeof f->script, "%s/three.lua", f->dir);
    char path[128];
    snprintf(path, sizeof path, "%s/kartoteka.lua", f->dir);
    write_file(path, config);
    write_file(f->script, script);
    kt_error err;
    assert_int_equal(open_ws(f, &f->ws, &err), KT_OK);
    kt_record *r = kt_record_new("person");
    assert_int_equal(kt_record_set(r, "first_name", "Zofia", &err), KT_OK);
    assert_int_equal(kt_record_set_csv(r, "pets", "dog", &err), KT_OK);
    assert_int_equal(kt_save(f->ws, r, NULL, NULL, &err), KT_OK);
    f->existing = r->id;
    kt_record_free(r);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    kt_ws_close(f->ws);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

/* A new person touching every part of the door: text, set, unique, a Lua rule, the default
 * of client_status, history and the search index. Unique values change per run so a run
 * after a recovered one does not fail for a taken card. */
static kt_status cmd_save_new(void *ud, kt_error *err)
{
    fixture *f = ud;
    char card[32];
    snprintf(card, sizeof card, "%lu", ++f->serial);
    kt_status st = KT_NOMEM;
    kt_record *r = kt_record_new("person");
    if (!r) return kt_error_set(err, KT_NOMEM, "out of memory (test record)");
    if ((st = kt_record_set(r, "first_name", "Łukasz", err)) ||
        (st = kt_record_set(r, "last_name", "Żółkiewski", err)) ||
        (st = kt_record_set(r, "email", "lukasz@example.pl", err)) ||
        (st = kt_record_set(r, "card", card, err)) ||
        (st = kt_record_set_csv(r, "pets", "cat,dog", err)))
        goto out;
    kt_save_opts o = {.source = "fault test"};
    st = kt_save(f->ws, r, &o, NULL, err);
    if (!st) {
        f->last = r->id;
        snprintf(f->card, sizeof f->card, "%s", card);
    }
out:
    kt_record_free(r);
    return st;
}

static int count_change(void *ud, const kt_change *c)
{
    (void)c;
    (*(int *)ud)++;
    return 0;
}

/* A save that met a fault and still succeeded must have stored every value and its history:
 * a failure swallowed on the way (a bind that could not copy its text) would lose data. */
static kt_status verify_save_new(void *ud, kt_error *err)
{
    fixture *f = ud;
    kt_record *got = NULL;
    kt_status st = kt_get(f->ws, f->last, &got, err);
    if (st) return st;
    const char *want[][2] = {{"first_name", "Łukasz"},
                             {"last_name", "Żółkiewski"},
                             {"email", "lukasz@example.pl"},
                             {"card", f->card},
                             {"client_status", "prospect"}};
    for (size_t i = 0; !st && i < sizeof want / sizeof want[0]; i++) {
        const char *v = kt_record_text(got, want[i][0]);
        if (!v || strcmp(v, want[i][1]) != 0)
            st = kt_error_set(err, KT_INTERNAL, "record %lld: %s is '%s', not '%s'", f->last,
                              want[i][0], v ? v : "(empty)", want[i][1]);
    }
    const kt_value *pets = kt_record_get(got, "pets");
    if (!st && (!pets || pets->nitems != 2))
        st = kt_error_set(err, KT_INTERNAL, "record %lld: pets lost", f->last);
    kt_record_free(got);
    int changes = 0;
    if (!st && !(st = kt_history(f->ws, f->last, count_change, &changes, err)) && changes != 7)
        st =
            kt_error_set(err, KT_INTERNAL, "record %lld: %d history rows, not 7", f->last, changes);
    return st;
}

static kt_status cmd_save_update(void *ud, kt_error *err)
{
    fixture *f = ud;
    char city[32];
    snprintf(city, sizeof city, "Gdańsk %lu", ++f->serial);
    kt_record *r = kt_record_new("person");
    if (!r) return kt_error_set(err, KT_NOMEM, "out of memory (test record)");
    r->id = f->existing;
    kt_status st = kt_record_set(r, "city", city, err);
    if (!st) st = kt_record_set_csv(r, "pets", f->serial % 2 ? "cat" : "dog,none", err);
    if (!st) st = kt_save(f->ws, r, NULL, NULL, err);
    kt_record_free(r);
    return st;
}

static kt_status cmd_archive_restore(void *ud, kt_error *err)
{
    fixture *f = ud;
    /* archive and restore alternate so every successful run is a change */
    kt_status st = f->archived ? kt_restore(f->ws, f->existing, NULL, err)
                               : kt_archive(f->ws, f->existing, NULL, err);
    if (st == KT_OK) f->archived = !f->archived;
    return st;
}

/* What `kt run` does: one transaction around the whole script. */
static kt_status cmd_script(void *ud, kt_error *err)
{
    fixture *f = ud;
    kt_store *s = kt_ws_store(f->ws);
    kt_status st = kt_store_begin(s, err);
    if (st) return st;
    if ((st = kt_host_run_file(kt_config_host(f->ws), f->script, 0, err))) {
        kt_store_rollback(s);
        return st;
    }
    if ((st = kt_store_commit(s, err))) kt_store_rollback(s);
    return st;
}

/* Every command starts with opening the workspace: a second handle, opened and closed. */
static kt_status cmd_open(void *ud, kt_error *err)
{
    fixture *f = ud;
    kt_ws *ws = NULL;
    kt_status st = open_ws(f, &ws, err);
    kt_ws_close(ws);
    return st;
}

/* Each kt command is a process of its own: after a failed one the next starts afresh. The
 * same connection is not reused after a failure because SQLite 3.40's FTS5 can keep stale
 * in-memory index state after an out-of-memory inside a savepoint (the file is fine, but the
 * next write on that connection fails with "database disk image is malformed"). */
static kt_status reopen_after_failure(void *ud, kt_error *err)
{
    fixture *f = ud;
    if (!f->failed) return KT_OK;
    f->failed = 0;
    kt_ws_close(f->ws);
    f->ws = NULL;
    return open_ws(f, &f->ws, err);
}

static kt_status run_noting_failure(void *ud, kt_error *err)
{
    fixture *f = ud;
    kt_status st = f->cmd(ud, err);
    if (st) f->failed = 1;
    return st;
}

/* step > 1 samples every step-th n (the open walk is long); KT_FAULT_FULL=1 walks every n. */
static void walk(fixture *f, kt_fault_kind kind, kt_fault_cmd cmd, int read_only,
                 unsigned long step, const char *what)
{
    if (getenv("KT_FAULT_FULL")) step = 1;
    f->cmd = cmd;
    kt_fault_walk_opts o = {f->db,
                            read_only ? NULL : &f->ws,
                            run_noting_failure,
                            f,
                            WALK_MAX,
                            read_only,
                            step,
                            read_only ? NULL : reopen_after_failure,
                            NULL,
                            NULL,
                            cmd == cmd_save_new ? verify_save_new : NULL,
                            0,
                            0};
    kt_fault_stats stats;
    char why[2300];
    if (kt_fault_walk(kind, &o, &stats, why, sizeof why)) fail_msg("%s: %s", what, why);
    print_message("%-28s %-13s n=1..%-5lu step %lu: %5lu runs, %5lu clean errors, %4lu "
                  "recovered\n",
                  what,
                  kind == KT_FAULT_CORE_ALLOC     ? "core alloc"
                  : kind == KT_FAULT_SQLITE_ALLOC ? "sqlite alloc"
                                                  : "write/sync",
                  stats.last, step, stats.runs, stats.failed, stats.recovered);
}

static void walk_all(void **state, kt_fault_cmd cmd, int read_only, unsigned long step,
                     const char *what)
{
    fixture *f = *state;
    walk(f, KT_FAULT_CORE_ALLOC, cmd, read_only, step, what);
    /* every 3rd SQLite allocation: each failed run reopens the workspace, which is slow under
     * ASan; KT_FAULT_FULL=1 walks every one */
    walk(f, KT_FAULT_SQLITE_ALLOC, cmd, read_only, step > 3 ? step : 3, what);
    walk(f, KT_FAULT_IO, cmd, read_only, 1, what);
}

static void fault_save_new(void **state)
{
    walk_all(state, cmd_save_new, 0, 1, "kt_save (new record)");
}

static void fault_save_update(void **state)
{
    walk_all(state, cmd_save_update, 0, 1, "kt_save (update)");
}

static void fault_archive(void **state)
{
    walk_all(state, cmd_archive_restore, 0, 1, "kt_archive/kt_restore");
}

static void fault_script(void **state)
{
    walk_all(state, cmd_script, 0, 1, "script, 3 kt.save");
}

static void fault_open(void **state)
{
    walk_all(state, cmd_open, 1, 10, "open + apply kartoteka.lua");
}

int main(void)
{
    kt_fault_install(); /* before anything touches SQLite */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(fault_save_new, setup, teardown),
        cmocka_unit_test_setup_teardown(fault_save_update, setup, teardown),
        cmocka_unit_test_setup_teardown(fault_archive, setup, teardown),
        cmocka_unit_test_setup_teardown(fault_script, setup, teardown),
        cmocka_unit_test_setup_teardown(fault_open, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
