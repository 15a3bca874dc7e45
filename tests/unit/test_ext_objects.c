/* Every extension point is an object of the registry: rules kept as owned copies, reports and
 * the kinds kartoteka.lua declares registered and found like field types. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/ext.h"
#include "kartoteka/save.h"
#include "ext/ext_internal.h"

static int released;

static void release(void *item)
{
    released++;
    kt_free(item);
}

static kt_status pass(void *ud, kt_ws *ws, const kt_record *rec, int *failed, char **message,
                      kt_error *err)
{
    (void)ud, (void)ws, (void)rec, (void)message, (void)err;
    *failed = 0;
    return KT_OK;
}

static int run(void *ud, const kt_plugin_report_ctx *ctx, char *msg, size_t msg_size)
{
    (void)ud, (void)ctx, (void)msg, (void)msg_size;
    return KT_PLUGIN_OK;
}

/* An owned item goes with its entry, with the registry and with a refused registration. */
static void owned_items_are_released(void **state)
{
    (void)state;
    kt_ext *x = kt_ext_new();
    kt_error err;
    released = 0;
    kt_ext_webhook *a = kt_calloc(1, sizeof *a), *b = kt_calloc(1, sizeof *b);
    a->name = "crm.sync";
    b->name = "crm.sync";
    assert_int_equal(kt_ext_add_owned(x, KT_EXT_WEBHOOK, a, "kartoteka.lua", release, &err), KT_OK);
    assert_int_equal(kt_ext_add_owned(x, KT_EXT_WEBHOOK, b, "other", release, &err), KT_EXISTS);
    assert_int_equal(released, 1);
    assert_non_null(strstr(err.message, "webhook 'crm.sync' is already registered by"));
    assert_ptr_equal(kt_ext_find(x, KT_EXT_WEBHOOK, "crm.sync"), a);
    assert_null(kt_ext_find(x, KT_EXT_ACCESS, "crm.sync"));
    kt_ext_truncate(x, 0);
    assert_int_equal(released, 2);
    kt_ext_access *c = kt_calloc(1, sizeof *c);
    c->name = "Sales Team"; /* names beyond the Lua alphabet: only the value kinds need it */
    assert_int_equal(kt_ext_add_owned(x, KT_EXT_ACCESS, c, NULL, release, &err), KT_OK);
    assert_string_equal(kt_ext_at(x, 0)->origin, "core");
    kt_ext_free(x);
    assert_int_equal(released, 3);
}

/* A rule is copied into the registry; the same name twice is refused whoever declares it. */
static void rules_are_registry_objects(void **state)
{
    (void)state;
    kt_ext *x = kt_ext_new();
    kt_error err;
    const char *fields[] = {"email", "phone"};
    char name[] = "person.reachable";
    kt_rule r = {name, "person", "give an email or a phone", KT_SEVERITY_WARNING, fields, 2,
                 pass, NULL};
    assert_int_equal(kt_rule_register(x, &r, "kartoteka.lua", &err), KT_OK);
    name[0] = 'X'; /* the registry holds its own copy */
    const kt_rule *got = kt_ext_find(x, KT_EXT_RULE, "person.reachable");
    assert_non_null(got);
    assert_string_equal(got->entity, "person");
    assert_int_equal(got->nfields, 2);
    assert_string_equal(got->fields[1], "phone");
    assert_int_equal(got->severity, KT_SEVERITY_WARNING);
    r.name = "person.reachable";
    assert_int_equal(kt_rule_register(x, &r, "hello", &err), KT_EXISTS);
    assert_non_null(strstr(err.message, "declared twice"));
    assert_string_equal(kt_ext_kind_word(KT_EXT_RULE), "rule");
    assert_null(kt_ext_kind_word((kt_ext_kind)9));
    kt_ext_free(x);
}

static void reports_are_found_by_name(void **state)
{
    (void)state;
    static const kt_plugin_report rep = {"hello_fill", "Fill", "entity", run, NULL};
    kt_ext *x = kt_ext_new();
    kt_error err;
    assert_int_equal(kt_ext_add(x, KT_EXT_REPORT, &rep, "hello", &err), KT_OK);
    assert_ptr_equal(kt_ext_report(x, "hello_fill"), &rep);
    assert_null(kt_ext_report(x, "hello"));
    assert_int_equal(kt_ext_add(x, KT_EXT_REPORT, &rep, "again", &err), KT_EXISTS);
    kt_ext_free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(owned_items_are_released),
        cmocka_unit_test(rules_are_registry_objects),
        cmocka_unit_test(reports_are_found_by_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
