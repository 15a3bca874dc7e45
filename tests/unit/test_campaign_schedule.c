/* Campaign schedules (daily, weekly on, monthly on, cron lines), message templates and mail
 * formatting: the pure parts of campaigns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <lauxlib.h>
#include <lualib.h>

#include "campaign/campaign_int.h"
#include "channel/channel_int.h"
#include "script/lua_adapters.h"
#include "kartoteka/alloc.h"
#include "kartoteka/date.h"

static long day(const char *ymd)
{
    long d = 0;
    assert_int_equal(kt_date_days(ymd, &d, NULL), KT_OK);
    return d;
}

static int at(const char *schedule, const char *ymd)
{
    kt_schedule s;
    kt_error err;
    assert_int_equal(kt_schedule_parse(schedule, &s, &err), KT_OK);
    return kt_schedule_time_on(&s, day(ymd));
}

static void test_daily_weekly_monthly(void **state)
{
    (void)state;
    assert_int_equal(at("daily 08:00", "2027-03-01"), 8 * 60);
    assert_int_equal(at("daily 23:59", "2028-02-29"), 23 * 60 + 59);
    /* 2027-03-01 is a Monday */
    assert_int_equal(at("weekly on monday 09:30", "2027-03-01"), 9 * 60 + 30);
    assert_int_equal(at("weekly on mon 09:30", "2027-03-02"), -1);
    assert_int_equal(at("weekly on sunday 07:00", "2027-03-07"), 7 * 60);
    assert_int_equal(at("monthly on 1 06:00", "2027-03-01"), 6 * 60);
    assert_int_equal(at("monthly on 1 06:00", "2027-03-02"), -1);
    /* past the month's end: its last day */
    assert_int_equal(at("monthly on 31 06:00", "2027-02-28"), 6 * 60);
    assert_int_equal(at("monthly on 31 06:00", "2028-02-29"), 6 * 60);
    assert_int_equal(at("monthly on 31 06:00", "2028-02-28"), -1);
    assert_int_equal(at("monthly on 31 06:00", "2027-03-31"), 6 * 60);
    assert_int_equal(at("monthly on 30 06:00", "2027-04-30"), 6 * 60);
}

static void test_cron_lines(void **state)
{
    (void)state;
    assert_int_equal(at("0 8 * * *", "2027-03-01"), 8 * 60);
    assert_int_equal(at("15,45 9-17 * * *", "2027-03-01"), 9 * 60 + 15); /* first of the day */
    assert_int_equal(at("*/20 6 * * 1-5", "2027-03-06"), -1);            /* Saturday */
    assert_int_equal(at("*/20 6 * * 1-5", "2027-03-05"), 6 * 60);
    assert_int_equal(at("0 7 * * 0", "2027-03-07"), 7 * 60); /* Sunday as 0 */
    assert_int_equal(at("0 7 * * 7", "2027-03-07"), 7 * 60); /* and as 7 */
    assert_int_equal(at("0 7 1 * *", "2027-03-01"), 7 * 60);
    assert_int_equal(at("0 7 1 * *", "2027-03-02"), -1);
    assert_int_equal(at("0 7 1 6 *", "2027-03-01"), -1); /* June only */
    /* both day fields restricted: either matches, as in cron */
    assert_int_equal(at("0 7 13 * 5", "2027-03-05"), 7 * 60);
    assert_int_equal(at("0 7 13 * 5", "2027-03-13"), 7 * 60);
    assert_int_equal(at("0 7 13 * 5", "2027-03-14"), -1);
}

static void test_bad_schedules(void **state)
{
    (void)state;
    const char *bad[] = {"",
                         "daily",
                         "daily 25:00",
                         "daily 8",
                         "weekly on funday 08:00",
                         "monthly on 0 08:00",
                         "monthly on 32 08:00",
                         "60 * * * *",
                         "* 24 * * *",
                         "* * * *",
                         "* * * * * *",
                         "0 8 5-1 * *",
                         "0 8 * * 8",
                         "hourly",
                         "0 8 */0 * *"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        kt_schedule s;
        kt_error err;
        kt_status st = kt_schedule_parse(bad[i], &s, &err);
        if (st == KT_OK) fail_msg("schedule \"%s\" was accepted", bad[i]);
        assert_int_equal(st, KT_INVALID);
        assert_non_null(strstr(err.message, "schedule"));
    }
}

static void test_template_render(void **state)
{
    (void)state;
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    assert_int_equal(
        luaL_dostring(L, "return { name = 'Ola', gifts = { 'book', 'leash' }, n = 3 }"), 0);
    char *body = NULL, *subject = NULL;
    kt_error err;
    assert_int_equal(kt_template_render(L,
                                        "Subject: Hi {{ name }}\n\nGifts: {{gifts}}; {{n}} "
                                        "{{missing}}|{{ unclosed",
                                        1, &body, &subject, &err),
                     KT_OK);
    assert_string_equal(subject, "Hi Ola");
    assert_string_equal(body, "Gifts: book, leash; 3 |{{ unclosed");
    kt_free(body);
    kt_free(subject);
    assert_int_equal(kt_template_render(L, "no data {{x}}", 0, &body, NULL, &err), KT_OK);
    assert_string_equal(body, "no data ");
    kt_free(body);
    lua_close(L);
}

static void test_mail_format(void **state)
{
    (void)state;
    kt_plugin_message m = {"42", "ola@example.com", "Zażółć", "Hello\nFrom here\n.\nend", NULL};
    kt_buf b = KT_BUF_INIT;
    assert_int_equal(kt_mail_format(&m, "shop@example.com", 0, &b), 0);
    assert_non_null(strstr(b.data, "X-Kartoteka-Outbox-Id: 42\n"));
    assert_non_null(strstr(b.data, "Subject: =?UTF-8?B?"));
    assert_non_null(strstr(b.data, "\n>From here\n")); /* mbox quoting */
    kt_buf_free(&b);
    assert_int_equal(kt_mail_format(&m, "shop@example.com", 1, &b), 0);
    assert_non_null(strstr(b.data, "\r\n..\r\nend\r\n")); /* SMTP dot-stuffing */
    assert_null(strstr(b.data, ">From"));
    kt_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_daily_weekly_monthly), cmocka_unit_test(test_cron_lines),
        cmocka_unit_test(test_bad_schedules),        cmocka_unit_test(test_template_render),
        cmocka_unit_test(test_mail_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
