/* The import pipeline through the public API (import.h): scripts, ctx.translate, references
 * between the records of a row, matching by normalised keys, the nth repeated line, malformed
 * files, dry runs and undo. A real workspace on disk with the built-in schema. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kartoteka/config.h"
#include "kartoteka/import.h"
#include "kartoteka/query.h"
#include "kartoteka/save.h"
#include "ws_fixture.h"

typedef struct fixture {
    kt_test_ws t;
    char path[128];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    kt_test_ws_open(&f->t, "kt-unit-import");
    kt_error err;
    kt_field_decl pets = {"person", "pets", "set", "{\"options\":[\"dog\",\"cat\",\"none\"]}",
                          "test",   0};
    assert_int_equal(kt_ws_declare_field(f->t.ws, &pets, &err), KT_OK);
    *state = f;
    return 0;
}

static const char *file(fixture *f, const char *name, const char *text)
{
    return kt_test_write(f->t.dir, name, text, f->path, sizeof f->path);
}

static long count(fixture *f, const char *sql)
{
    return (long)kt_test_ws_value(f->t.ws, sql);
}

static const char *SCRIPT =
    "return { entity = 'person', match = { 'external_id', 'email' },\n"
    "  map = function(row, ctx)\n"
    "    if row.skip == 'y' then return nil end\n"
    "    local p = { external_id = row.id, first_name = row.name, email = row.email,\n"
    "                pets = ctx.translate(row.pets, { Pies = 'dog', kot = 'cat' }) }\n"
    "    if row.firm == '' then return p end\n"
    "    p.company = { ref = 'f' }\n"
    "    return { { entity = 'company', ref = 'f', name = row.firm, match = { 'name' },\n"
    "               on_match = 'skip' }, p }\n"
    "  end }\n";

static void import_and_rerun(void **state)
{
    fixture *f = *state;
    char script[128];
    snprintf(script, sizeof script, "%s", file(f, "s.lua", SCRIPT));
    const char *csv = file(f, "a.csv",
                           "id,name,email,pets,firm,skip\n"
                           "1,Ola,OLA@Example.com,\"pies; KOT\",Acme,\n"
                           "2,Jan,jan@example.com,smok,,\n"
                           "3,Ewa,ewa@example.com,pies,Acme,\n"
                           "4,Nie,nie@example.com,pies,,y\n"
                           ",Ola again,OLA@EXAMPLE.COM,kot,,\n");
    kt_import_opts o = {0};
    o.script = script;
    kt_import_summary s;
    kt_error err;
    assert_int_equal(kt_import_run(f->t.ws, csv, &o, &s, &err), KT_OK);
    assert_int_equal(s.rows, 5);
    assert_int_equal(s.created, 2);
    assert_int_equal(s.rejected, 1); /* smok */
    assert_int_equal(s.skipped, 1);  /* map returned nil */
    assert_int_equal(s.updated, 1);  /* matched by the normalised e-mail, pets changed */
    assert_true(s.batch > 0);
    assert_int_equal(count(f, "SELECT count(*) FROM company"), 1);
    assert_int_equal(count(f, "SELECT count(DISTINCT company) FROM person"), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM person WHERE pets = '[\"cat\"]'"), 1);
    assert_int_equal(kt_import_run(f->t.ws, csv, &o, &s, &err), KT_OK);
    assert_int_equal(s.created, 0);
    assert_int_equal(s.rows, s.created + s.updated + s.merged + s.skipped + s.rejected);
}

static void malformed_changes_nothing(void **state)
{
    fixture *f = *state;
    char script[128];
    snprintf(script, sizeof script, "%s", file(f, "s.lua", SCRIPT));
    const char *csv = file(f, "b.csv",
                           "id,name,email,pets,firm,skip\n1,Ola,o@example.com,pies,,\n"
                           "2,\"Jan,j@example.com,pies,,\n");
    kt_import_opts o = {0};
    o.script = script;
    kt_import_summary s;
    kt_error err;
    assert_int_not_equal(kt_import_run(f->t.ws, csv, &o, &s, &err), KT_OK);
    assert_non_null(strstr(err.message, "line"));
    assert_int_equal(count(f, "SELECT count(*) FROM person"), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM kt_batch"), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM kt_change"), 0);
}

static void dry_run_and_nth(void **state)
{
    fixture *f = *state;
    char script[128];
    snprintf(script, sizeof script, "%s",
             file(f, "t.lua",
                  "local seen = {}\n"
                  "return { entity = 'task', match = { { 'title', 'due' } }, on_match = 'skip',\n"
                  "  map = function(row) seen[row.t] = (seen[row.t] or 0) + 1\n"
                  "    return { title = row.t, due = row.d, nth = seen[row.t] } end }\n"));
    const char *csv = file(f, "t.csv", "t,d\nA,2025-01-01\nA,2025-01-01\nB,2025-01-02\n");
    kt_import_opts o = {0};
    o.script = script;
    o.dry_run = 1;
    kt_import_summary s;
    kt_error err;
    assert_int_equal(kt_import_run(f->t.ws, csv, &o, &s, &err), KT_OK);
    assert_int_equal(s.created, 3);
    assert_int_equal(s.batch, 0);
    assert_int_equal(count(f, "SELECT count(*) FROM task"), 0);
    o.dry_run = 0;
    assert_int_equal(kt_import_run(f->t.ws, csv, &o, &s, &err), KT_OK);
    assert_int_equal(s.created, 3); /* a repeated line is a second record */
    assert_int_equal(kt_import_run(f->t.ws, csv, &o, &s, &err), KT_OK);
    assert_int_equal(s.created, 0);
    assert_int_equal(s.skipped, 3);
}

static void undo_refuses_then_forced(void **state)
{
    fixture *f = *state;
    char script[128];
    snprintf(script, sizeof script, "%s", file(f, "s.lua", SCRIPT));
    kt_import_opts o = {0};
    o.script = script;
    kt_import_summary s1, s2;
    kt_error err;
    assert_int_equal(
        kt_import_run(
            f->t.ws, file(f, "c.csv", "id,name,email,pets,firm,skip\n7,Ola,o@example.com,pies,,\n"),
            &o, &s1, &err),
        KT_OK);
    assert_int_equal(
        kt_import_run(
            f->t.ws, file(f, "d.csv", "id,name,email,pets,firm,skip\n7,Ala,o@example.com,pies,,\n"),
            &o, &s2, &err),
        KT_OK);
    assert_int_equal(s2.updated, 1);
    kt_id id = (kt_id)count(f, "SELECT id FROM person WHERE external_id = '7'");
    kt_record *r = kt_record_new("person");
    r->id = id;
    assert_int_equal(kt_record_set(r, "first_name", "Ela", &err), KT_OK);
    assert_int_equal(kt_save(f->t.ws, r, NULL, NULL, &err), KT_OK);
    kt_record_free(r);
    kt_undo_result u;
    assert_int_equal(kt_import_undo(f->t.ws, s2.batch, 0, &u, &err), KT_CONSTRAINT);
    assert_non_null(strstr(err.message, "first_name"));
    assert_int_equal(kt_import_undo(f->t.ws, s2.batch, 1, &u, &err), KT_OK);
    assert_int_equal(u.restored, 1);
    assert_int_equal(count(f, "SELECT count(*) FROM person WHERE first_name = 'Ola'"), 1);
    assert_int_equal(kt_import_undo(f->t.ws, s1.batch, 1, &u, &err), KT_OK);
    assert_int_equal(u.archived, 1);
    assert_int_equal(
        count(f, "SELECT count(*) FROM kt_record WHERE entity = 'person' AND state = 'active'"), 0);
    assert_int_equal(kt_import_undo(f->t.ws, s1.batch, 1, &u, &err), KT_INVALID);
    assert_int_equal(kt_import_undo(f->t.ws, 999, 1, &u, &err), KT_NOTFOUND);
}

static void on_match_names(void **state)
{
    (void)state;
    assert_int_equal(kt_on_match_parse("update"), KT_ON_MATCH_UPDATE);
    assert_int_equal(kt_on_match_parse("skip"), KT_ON_MATCH_SKIP);
    assert_int_equal(kt_on_match_parse("merge"), KT_ON_MATCH_MERGE);
    assert_int_equal(kt_on_match_parse("create"), KT_ON_MATCH_CREATE);
    assert_int_equal(kt_on_match_parse("upsert"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(import_and_rerun, setup, kt_test_ws_teardown),
        cmocka_unit_test_setup_teardown(malformed_changes_nothing, setup, kt_test_ws_teardown),
        cmocka_unit_test_setup_teardown(dry_run_and_nth, setup, kt_test_ws_teardown),
        cmocka_unit_test_setup_teardown(undo_refuses_then_forced, setup, kt_test_ws_teardown),
        cmocka_unit_test(on_match_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
