#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kt_fake_host.h"

static void five_spellings_one_number(void **state)
{
    const char *spellings[] = {"+48 789 658 648",
                               "0048789658648",
                               "789-658-648",
                               "(+48) 789 658 648",
                               "789658648",
                               "48 789 658 648",
                               /* Persian digits */ "۷۸۹ ۶۵۸ ۶۴۸",
                               /* Arabic-Indic digits and a no-break space */ "٧٨٩\u00a0٦٥٨ ٦٤٨"};
    for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++)
        FAKE_OK("phone", spellings[i], "PL", "+48789658648");
}

static void countries(void **state)
{
    FAKE_OK("phone", "8 (977) 292-01-15", "RU", "+79772920115");
    FAKE_OK("phone", "+7 977 292 01 15", NULL, "+79772920115");
    FAKE_OK("phone", "7 977 292-01-15", "ru", "+79772920115");
    FAKE_OK("phone", "09132549263", "IR", "+989132549263");
    FAKE_OK("phone", "۰۹۱۳ ۲۵۴ ۹۲۶۳", "IR", "+989132549263");
    FAKE_OK("phone", "+98 (0) 913 254 9263", "PL", "+989132549263");
    FAKE_OK("phone", "030 1234567", "DE", "+49301234567");
    FAKE_OK("phone", "+49 151 23456789", NULL, "+4915123456789");
    FAKE_OK("phone", "067 123 45 67", "UA", "+380671234567");
    FAKE_OK("phone", "+380 67 123 4567", NULL, "+380671234567");
    FAKE_OK("phone", "(212) 555-0100", "US", "+12125550100");
    FAKE_OK("phone", "1-212-555-0100", "US", "+12125550100");
    FAKE_OK("phone", "020 7946 0958", "GB", "+442079460958");
    FAKE_OK("phone", "+44 (0)20 7946 0958", NULL, "+442079460958");
    FAKE_OK("phone", "+33 1 23 45 67 89", NULL, "+33123456789");
    /* A calling code the table does not know is kept as typed, within E.164's length. */
    FAKE_OK("phone", "+852 2123 4567", NULL, "+85221234567");
}

static void refusals(void **state)
{
    FAKE_BAD("phone", "78965864", "PL", "a PL phone number has 9 digits after +48, got 8");
    FAKE_BAD("phone", "+48 789 658 6481", NULL, "has 9 digits after +48, got 10");
    FAKE_BAD("phone", "0913254926", "IR", "an IR phone number has 10 digits after +98, got 9");
    /* 8 also begins real numbers (812 is St Petersburg), so only the length tells. */
    FAKE_BAD("phone", "8 977 292 01", "RU", "an RU phone number has 10 digits");
    FAKE_BAD("phone", "789658648", NULL, "international form");
    FAKE_BAD("phone", "789658648", "XX", "unknown to this plugin");
    FAKE_BAD("phone", "789 658 648 ext 5", "PL", "unexpected 'e'");
    FAKE_BAD("phone", "", "PL", "no digits");
    FAKE_BAD("phone", "+0 123 456 789", NULL, "starts with 0");
    FAKE_BAD("phone", "(012) 555-0100", "US", "area code");
    FAKE_BAD("phone", "12345678901234567890", "PL", "has 9 digits after +48, got 20");
    FAKE_BAD("phone", "123456789012345678901234567890", "PL", "more digits");
}

static void national_and_valid(void **state)
{
    FAKE_OK("phone.national", "+989132549263", NULL, "09132549263");
    FAKE_OK("phone.national", "+48789658648", NULL, "789658648");
    FAKE_OK("phone.national", "+79772920115", NULL, "89772920115");
    FAKE_OK("phone.national", "+12125550100", NULL, "2125550100");
    FAKE_OK("phone.e164", "8 977 292 01 15", "RU", "+79772920115");
    FAKE_OK("phone.valid", "789 658 648", "PL", "789 658 648");
    FAKE_BAD("phone.valid", "789 658 64", "PL", "got 8");
    FAKE_BAD("phone.national", "+852 2123 4567", NULL, "no national form");
}

static void default_country_setting(void **state)
{
    char msg[256];
    assert_int_equal(fake_init("default_country", "ir", msg, sizeof msg), KT_PLUGIN_OK);
    FAKE_OK("phone", "09132549263", NULL, "+989132549263");
    /* The record's own country wins over the workspace's. */
    FAKE_OK("phone", "789658648", "PL", "+48789658648");
    assert_int_equal(fake_init("default_country", "Narnia", msg, sizeof msg), KT_PLUGIN_FAIL);
    assert_non_null(strstr(msg, "default_country 'Narnia'"));
    assert_int_equal(fake_init(NULL, NULL, msg, sizeof msg), KT_PLUGIN_OK);
}

static void small_output_buffer(void **state)
{
    char out[5], msg[128];
    kt_plugin_value_fn fn = fake_fn("phone");
    assert_int_equal(fn(NULL, "+48789658648", NULL, out, sizeof out, msg, sizeof msg),
                     KT_PLUGIN_FAIL);
    assert_non_null(strstr(msg, "does not fit"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(five_spellings_one_number),
        cmocka_unit_test(countries),
        cmocka_unit_test(refusals),
        cmocka_unit_test(national_and_valid),
        cmocka_unit_test(default_country_setting),
        cmocka_unit_test(small_output_buffer),
    };
    return cmocka_run_group_tests(tests, fake_setup, NULL);
}
