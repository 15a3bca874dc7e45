/* The extension registry: unique names per kind, registration order, readers by file name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/ext.h"
#include "ext/ext_internal.h"

static int same(void *ud, const char *in, const kt_plugin_value_ctx *ctx, char *out,
                size_t out_size, char *msg, size_t msg_size)
{
    return KT_PLUGIN_OK;
}

static void *r_open(void *ud, const char *path, const kt_plugin_reader_opts *o, char *msg,
                    size_t msg_size)
{
    return NULL;
}

static int r_next(void *h, kt_plugin_row *row, char *msg, size_t msg_size)
{
    return 0;
}

static void r_close(void *h) {}

static int deliver(void *ud, const kt_plugin_message *m, char *msg, size_t msg_size)
{
    return KT_PLUGIN_OK;
}

static const kt_plugin_type t_nip = {"pl.nip", "", KT_STORE_TEXT, same, NULL};
static const kt_plugin_type t_nip_again = {"pl.nip", "", KT_STORE_TEXT, same, NULL};
static const kt_plugin_function f_nip = {"pl.nip", "", same, NULL};
static const kt_plugin_reader r_xlsx = {"xlsx", "xlsx, XLSM", r_open, r_next, r_close, NULL};
static const kt_plugin_reader r_csv = {"csv", "csv,txt", r_open, r_next, r_close, NULL};
static const kt_plugin_reader r_gz = {"csvgz", ".csv.gz", r_open, r_next, r_close, NULL};
static const kt_plugin_reader r_txt = {"text", "txt", r_open, r_next, r_close, NULL};
static const kt_plugin_channel c_sms = {"sms", deliver, NULL};

static void names_are_unique_per_kind(void **state)
{
    kt_ext *x = kt_ext_new();
    kt_error err;
    kt_error_clear(&err);
    assert_int_equal(kt_ext_add(x, KT_EXT_TYPE, &t_nip, "ids_pl", &err), KT_OK);
    assert_int_equal(kt_ext_add(x, KT_EXT_TYPE, &t_nip_again, "other", &err), KT_EXISTS);
    assert_non_null(strstr(err.message, "field type 'pl.nip' is already registered by 'ids_pl'"));
    /* A function may share a type's name: scripts and field declarations are apart. */
    assert_int_equal(kt_ext_add(x, KT_EXT_FUNCTION, &f_nip, NULL, &err), KT_OK);
    assert_int_equal(kt_ext_add(x, KT_EXT_CHANNEL, &c_sms, "sms_gw", &err), KT_OK);
    assert_ptr_equal(kt_ext_type(x, "pl.nip"), &t_nip);
    assert_ptr_equal(kt_ext_function(x, "pl.nip"), &f_nip);
    assert_ptr_equal(kt_ext_channel(x, "sms"), &c_sms);
    assert_null(kt_ext_type(x, "sms"));
    assert_null(kt_ext_reader(x, "pl.nip"));

    assert_int_equal(kt_ext_count(x), 3);
    assert_string_equal(kt_ext_at(x, 0)->origin, "ids_pl");
    assert_string_equal(kt_ext_at(x, 1)->origin, "core");
    assert_int_equal(kt_ext_at(x, 2)->kind, KT_EXT_CHANNEL);
    assert_string_equal(kt_ext_at(x, 2)->name, "sms");
    assert_null(kt_ext_at(x, 3));

    kt_ext_truncate(x, 1);
    assert_int_equal(kt_ext_count(x), 1);
    assert_null(kt_ext_channel(x, "sms"));
    kt_ext_free(x);
    kt_ext_free(NULL);
}

static void malformed_names_are_refused(void **state)
{
    const char *bad[] = {
        "",        "PL.nip",
        "pl..nip", ".nip",
        "nip.",    "1nip",
        "pl.1nip", "pl-nip",
        "pl nip",  "a2345678901234567890123456789012345678901234567890123456789012345"};
    kt_ext *x = kt_ext_new();
    kt_error err;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        kt_plugin_type t = {bad[i], "", KT_STORE_TEXT, same, NULL};
        kt_error_clear(&err);
        assert_int_equal(kt_ext_add(x, KT_EXT_TYPE, &t, "p", &err), KT_INVALID);
        assert_non_null(strstr(err.message, "malformed"));
    }
    kt_plugin_type unnamed = {NULL, "", KT_STORE_TEXT, same, NULL};
    assert_int_equal(kt_ext_add(x, KT_EXT_TYPE, &unnamed, "p", &err), KT_INVALID);
    assert_int_equal(kt_ext_add(x, (kt_ext_kind)9, &t_nip, "p", &err), KT_USAGE);
    assert_int_equal(kt_ext_count(x), 0);
    kt_ext_free(x);
}

static void readers_by_file_name(void **state)
{
    kt_ext *x = kt_ext_new();
    assert_int_equal(kt_ext_add(x, KT_EXT_READER, &r_xlsx, "xlsx", NULL), KT_OK);
    assert_int_equal(kt_ext_add(x, KT_EXT_READER, &r_csv, "core", NULL), KT_OK);
    assert_int_equal(kt_ext_add(x, KT_EXT_READER, &r_gz, "gz", NULL), KT_OK);
    assert_int_equal(kt_ext_add(x, KT_EXT_READER, &r_txt, "late", NULL), KT_OK);
    assert_ptr_equal(kt_ext_reader_for_path(x, "/home/a/clients.xlsx"), &r_xlsx);
    assert_ptr_equal(kt_ext_reader_for_path(x, "CLIENTS.XLSM"), &r_xlsx);
    assert_ptr_equal(kt_ext_reader_for_path(x, "exports/Klienci.Csv"), &r_csv);
    assert_ptr_equal(kt_ext_reader_for_path(x, "dump.csv.gz"), &r_gz);
    /* First registered wins. */
    assert_ptr_equal(kt_ext_reader_for_path(x, "notes.txt"), &r_csv);
    assert_null(kt_ext_reader_for_path(x, "csv"));
    assert_null(kt_ext_reader_for_path(x, ".csv"));
    assert_null(kt_ext_reader_for_path(x, "data.xlsx/"));
    assert_null(kt_ext_reader_for_path(x, "data.sv"));
    assert_null(kt_ext_reader_for_path(x, "my.csv.dir/data"));
    assert_ptr_equal(kt_ext_reader(x, "csv"), &r_csv);
    kt_ext_free(x);
}

static void out_of_memory(void **state)
{
    for (unsigned long nth = 1;; nth++) {
        kt_ext *x = kt_ext_new();
        if (!x) continue;
        kt_alloc_fail_at(nth);
        kt_error err;
        kt_status rc = kt_ext_add(x, KT_EXT_TYPE, &t_nip, "ids_pl", &err);
        kt_alloc_fail_at(0);
        if (rc == KT_OK) {
            assert_int_equal(kt_ext_count(x), 1);
            kt_ext_free(x);
            break;
        }
        assert_int_equal(rc, KT_NOMEM);
        assert_int_equal(kt_ext_count(x), 0);
        kt_ext_free(x);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_are_unique_per_kind),
        cmocka_unit_test(malformed_names_are_refused),
        cmocka_unit_test(readers_by_file_name),
        cmocka_unit_test(out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
