/* The import's check of its own summary against the batch's history (import/verify.c): the
 * counts of a real import pass, a summary claiming more than the history holds is an internal
 * error, and an import whose map tries to end the batch's transaction keeps what it reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import_int.h"
#include "kartoteka/config.h"
#include "kartoteka/import.h"
#include "ws_fixture.h"

static const char *CSV = "id,name\n1,Ala\n2,Ola\n3,Ela\n4,Iza\n";

static void import_file(kt_test_ws *t, const char *script, kt_import_summary *sum, kt_status want)
{
    char csv[128], lua[128];
    kt_test_write(t->dir, "p.csv", CSV, csv, sizeof csv);
    kt_test_write(t->dir, "p.lua", script, lua, sizeof lua);
    kt_import_opts o = {0};
    o.script = lua;
    kt_error err;
    memset(sum, 0, sizeof *sum);
    assert_int_equal(kt_import_run(t->ws, csv, &o, sum, &err), want);
}

static void counts_of_a_real_import_pass(void **state)
{
    (void)state;
    kt_test_ws t;
    kt_test_ws_open(&t, "kt-unit-verify");
    kt_import_summary sum;
    import_file(&t,
                "return { entity = 'person', match = { 'external_id' },\n"
                "  map = function(row) return { external_id = row.id, first_name = row.name,\n"
                "                               last_name = 'X' } end }\n",
                &sum, KT_OK);
    assert_int_equal(sum.created, 4);
    kt_error err;
    assert_int_equal(imp_verify_counts(t.ws, &sum, &err), KT_OK);
    kt_import_summary lie = sum;
    lie.created = 5;
    assert_int_equal(imp_verify_counts(t.ws, &lie, &err), KT_INTERNAL);
    assert_non_null(strstr(err.message, "5 created"));
    lie = sum;
    lie.updated = 1;
    assert_int_equal(imp_verify_counts(t.ws, &lie, &err), KT_INTERNAL);
    kt_test_ws_close(&t);
}

/* The reproduction of issue 15: ROLLBACK then BEGIN in a map made the import report every row
 * created while keeping only the later ones. */
static void a_map_cannot_end_the_batch(void **state)
{
    (void)state;
    kt_test_ws t;
    kt_test_ws_open(&t, "kt-unit-verify");
    kt_import_summary sum;
    import_file(
        &t,
        "return { entity = 'person', match = { 'external_id' },\n"
        "  map = function(row)\n"
        "    if row.id == '3' then pcall(kt.query, 'ROLLBACK'); pcall(kt.query, 'BEGIN') end\n"
        "    return { external_id = row.id, first_name = row.name, last_name = 'X' } end }\n",
        &sum, KT_OK);
    assert_int_equal(sum.created, 4);
    assert_int_equal(kt_test_ws_value(t.ws, "SELECT count(*) FROM person"), 4);
    assert_int_equal(kt_test_ws_value(t.ws, "SELECT count(*) FROM kt_batch WHERE status = 'done'"),
                     1);
    kt_test_ws_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_of_a_real_import_pass),
        cmocka_unit_test(a_map_cannot_end_the_batch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
