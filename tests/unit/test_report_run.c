/* Running reports through the core API: finding them (workspace over shipped), parameters,
 * rows and charts out of Lua, the read-only guard, and allocation failures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kartoteka/alloc.h"
#include "kartoteka/config.h"
#include "kartoteka/ext.h"
#include "kartoteka/report.h"
#include "kartoteka/save.h"
#include "store/store_db.h"

typedef struct fixture {
    char dir[64], shipped[64];
    kt_ws *ws;
} fixture;

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/reports", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/reports/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char *const demo =
    "return { title = 'Demo', params = { n = 2, who = 'x', on = true, since = false },\n"
    "  columns = { 'name', { 'amount', scale = 2 }, { 'ratio', digits = 3 }, 'ok' },\n"
    "  run = function(p)\n"
    "    local rows = kt.query('SELECT count(*) AS c, coalesce(sum(amount), 0) AS s FROM deal')\n"
    "    return { { name = p.who, amount = rows[1].s, ratio = p.n / 4, ok = p.on },\n"
    "             { name = p.since or 'none', amount = rows[1].c } },\n"
    "           { kind = 'bar', label = 'name', value = 'amount' }\n"
    "  end }\n";

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/kt-unit-XXXXXX");
    snprintf(f->shipped, sizeof f->shipped, "/tmp/kt-unit-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    assert_non_null(mkdtemp(f->shipped));
    kt_error err;
    assert_int_equal(kt_ws_open(f->dir, &f->ws, &err), KT_OK);
    kt_config_opts o = {0};
    o.skip_workspace = 1;
    assert_int_equal(kt_config_apply(f->ws, &o, &err), KT_OK);
    write_file(f->dir, "demo.lua", demo);
    write_file(f->shipped, "demo.lua", "return { title = 'Shipped demo', run = function() end }");
    write_file(f->shipped, "other.lua",
               "return { title = 'Other', run = function() return {} end }");
    write_file(f->dir, "broken.lua", "return 42");
    write_file(f->dir, "writer.lua",
               "return { title = 'W', run = function()\n"
               "  pcall(kt.save, { entity = 'company', name = 'Sneaky' })\n"
               "  return {} end }");
    write_file(f->dir, "badrow.lua",
               "return { title = 'B', run = function() return { { x = {} } } end }");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    kt_ws_close(f->ws);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s %s", f->dir, f->shipped);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static void add_deal(kt_ws *ws, const char *amount)
{
    kt_record *r = kt_record_new("deal");
    kt_error err;
    assert_int_equal(kt_record_set(r, "title", "d", &err), KT_OK);
    assert_int_equal(kt_record_set(r, "amount", amount, &err), KT_OK);
    kt_save_opts o = {.source = "test"};
    assert_int_equal(kt_save(ws, r, &o, NULL, &err), KT_OK);
    kt_record_free(r);
}

static void test_find_and_list(void **state)
{
    fixture *f = *state;
    const char *dirs[] = {f->shipped};
    char *path = NULL;
    kt_error err;
    assert_int_equal(kt_report_find(f->ws, dirs, 1, "demo", &path, &err), KT_OK);
    assert_non_null(strstr(path, f->dir));
    kt_free(path);
    assert_int_equal(kt_report_find(f->ws, dirs, 1, "other", &path, &err), KT_OK);
    assert_non_null(strstr(path, f->shipped));
    kt_free(path);
    assert_int_equal(kt_report_find(f->ws, dirs, 1, "none", &path, &err), KT_NOTFOUND);
    assert_int_equal(kt_report_find(f->ws, dirs, 1, "../x", &path, &err), KT_USAGE);
    kt_report_info *infos;
    size_t n;
    assert_int_equal(kt_report_list(f->ws, dirs, 1, &infos, &n, &err), KT_OK);
    assert_int_equal(n, 5); /* badrow, broken, demo (the workspace's), other, writer */
    assert_string_equal(infos[0].name, "badrow");
    assert_non_null(strstr(infos[1].title, "broken"));
    assert_string_equal(infos[2].title, "Demo");
    assert_int_equal(infos[2].shipped, 0);
    assert_string_equal(infos[2].params, "--n 2 --on true --since --who x");
    assert_int_equal(infos[3].shipped, 1);
    kt_report_infos_free(infos, n);
}

static kt_status run(fixture *f, const char *name, const kt_report_param *p, size_t n,
                     kt_report **out, kt_error *err)
{
    char *path = NULL;
    kt_status st = kt_report_find(f->ws, NULL, 0, name, &path, err);
    if (!st) st = kt_report_run(f->ws, name, path, p, n, out, err);
    kt_free(path);
    return st;
}

static void test_run_with_params(void **state)
{
    fixture *f = *state;
    add_deal(f->ws, "0.10");
    add_deal(f->ws, "0.20");
    kt_report *r = NULL;
    kt_error err;
    kt_report_param p[] = {{"n", "3"}, {"who", "Ola"}, {"on", "no"}, {"since", "2024-01"}};
    assert_int_equal(run(f, "demo", p, 4, &r, &err), KT_OK);
    assert_string_equal(r->title, "Demo");
    assert_int_equal(r->table.ncolumns, 4);
    assert_int_equal(r->table.nrows, 2);
    kt_buf b = KT_BUF_INIT;
    assert_int_equal(kt_report_render(r, KT_REPORT_JSON, NULL, &b, &err), KT_OK);
    assert_string_equal(
        kt_buf_str(&b),
        "[\n  {\"name\": \"Ola\", \"amount\": 0.30, \"ratio\": 0.75, \"ok\": false},\n"
        "  {\"name\": \"2024-01\", \"amount\": 0.02, \"ratio\": null, \"ok\": null}\n]\n");
    kt_buf_free(&b);
    assert_non_null(r->chart);
    assert_string_equal(r->chart->title, "Demo");
    assert_int_equal(r->chart->data.nrows, 2);
    kt_report_free(r);

    kt_report_param bad[] = {{"n", "three"}};
    assert_int_equal(run(f, "demo", bad, 1, &r, &err), KT_USAGE);
    assert_non_null(strstr(err.message, "takes a number"));
    kt_report_param unknown[] = {{"x", "1"}};
    assert_int_equal(run(f, "demo", unknown, 1, &r, &err), KT_USAGE);
    assert_non_null(strstr(err.message, "--n 2 --on true --since --who x"));
    assert_int_equal(run(f, "broken", NULL, 0, &r, &err), KT_SCRIPT);
    assert_int_equal(run(f, "badrow", NULL, 0, &r, &err), KT_SCRIPT);
    assert_non_null(strstr(err.message, "not a cell value"));
    assert_null(r);
}

static void test_read_only(void **state)
{
    fixture *f = *state;
    kt_report *r = NULL;
    kt_error err;
    sqlite3 *db = kt_store_db(kt_ws_store(f->ws));
    assert_int_equal(run(f, "writer", NULL, 0, &r, &err), KT_DENIED);
    assert_non_null(strstr(err.message, "reports are read-only"));
    assert_null(r);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM company", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    /* the connection writes again afterwards */
    assert_int_equal(sqlite3_get_autocommit(db), 1);
    add_deal(f->ws, "1.00");
}

/* Every allocation while running a report may fail: an error comes back, nothing leaks. */
static void test_run_allocation_failures(void **state)
{
    fixture *f = *state;
    for (unsigned long n = 1; n < 3000; n++) {
        kt_report *r = NULL;
        kt_error err;
        kt_alloc_fail_at(n);
        kt_status st = run(f, "demo", NULL, 0, &r, &err);
        unsigned long seen = kt_alloc_fail_at(0);
        kt_report_free(r);
        if (st == KT_OK && seen < n) break;
    }
    kt_report *r = NULL;
    kt_error err;
    assert_int_equal(run(f, "demo", NULL, 0, &r, &err), KT_OK);
    kt_report_free(r);
}

/* Report files of another kind: the report layer asks whoever registered the kind, so a
 * runner for .txt files (here, the first line is the title) makes reports/NAME.txt reports. */
static kt_status txt_describe(void *ud, kt_ws *ws, const char *path, const char *name,
                              const kt_report_guard *g, char **title, char **params, kt_error *err)
{
    (void)ws;
    (void)name;
    (*(int *)ud)++;
    kt_status st = g->begin(g->ud, err);
    if (st) return st;
    char line[128] = "";
    FILE *fp = fopen(path, "r");
    if (fp) {
        if (!fgets(line, sizeof line, fp)) line[0] = '\0';
        fclose(fp);
    }
    line[strcspn(line, "\n")] = '\0';
    *title = kt_strdup(line);
    *params = kt_strdup("");
    return g->end(g->ud, err);
}

static kt_status txt_run(void *ud, kt_ws *ws, const char *path, const char *name,
                         const kt_report_guard *g, const kt_report_param *params, size_t nparams,
                         kt_report *r, kt_error *err)
{
    (void)params;
    (void)nparams;
    char *params_text = NULL;
    kt_status st = txt_describe(ud, ws, path, name, g, &r->title, &params_text, err);
    kt_free(params_text);
    return st;
}

static void test_report_files_of_another_kind(void **state)
{
    fixture *f = *state;
    /* static: the registry borrows it until the workspace closes, after this function */
    static int calls;
    static kt_ext_report_files txt = {"txt", txt_describe, txt_run, &calls};
    calls = 0;
    kt_error err;
    assert_int_equal(kt_ext_add(kt_ws_ext(f->ws), KT_EXT_REPORT_FILES, &txt, "test", &err), KT_OK);
    write_file(f->dir, "plain.txt", "Plain words\nsecond line\n");
    write_file(f->dir, "ignored.py", "print('no runner for this kind')\n");
    kt_report_info *infos;
    size_t n;
    assert_int_equal(kt_report_list(f->ws, NULL, 0, &infos, &n, &err), KT_OK);
    int seen_plain = 0;
    for (size_t i = 0; i < n; i++) {
        assert_string_not_equal(infos[i].name, "ignored");
        if (strcmp(infos[i].name, "plain") == 0) {
            seen_plain = 1;
            assert_string_equal(infos[i].title, "Plain words");
        }
    }
    kt_report_infos_free(infos, n);
    assert_true(seen_plain);
    kt_report *r = NULL;
    assert_int_equal(run(f, "plain", NULL, 0, &r, &err), KT_OK);
    assert_string_equal(r->title, "Plain words");
    kt_report_free(r);
    assert_int_equal(calls, 2);
    /* the Lua runner still runs the .lua files beside it */
    assert_int_equal(run(f, "demo", NULL, 0, &r, &err), KT_OK);
    assert_string_equal(r->title, "Demo");
    kt_report_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_find_and_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_with_params, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_allocation_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_files_of_another_kind, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
