#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kt_fake_host.h"

#define OK(fn, in, want) FAKE_OK(fn, in, NULL, want)
#define BAD(fn, in, needle) FAKE_BAD(fn, in, NULL, needle)

static void inn(void **state)
{
    OK("ru.inn", "7707083893", "7707083893"); /* Sberbank */
    OK("ru.inn", "77 0708 3893", "7707083893");
    OK("ru.inn", "500100732259", "500100732259"); /* an individual's INN */
    BAD("ru.inn", "7707083894", "check digit should be 3, not 4");
    BAD("ru.inn", "500100732258", "check digit should be 9, not 8");
    BAD("ru.inn", "500100732249", "check digit should be 5, not 4");
    BAD("ru.inn", "77070838", "an INN has 10 or 12 digits, got 8");
    BAD("ru.inn", "", "got 0");
}

static void ogrn(void **state)
{
    OK("ru.ogrn", "1027700132195", "1027700132195"); /* Sberbank */
    OK("ru.ogrn", "1-02-77-00-13219-5", "1027700132195");
    OK("ru.ogrn", "304500116000157", "304500116000157"); /* an OGRNIP */
    BAD("ru.ogrn", "1027700132194", "not a valid OGRN: the check digit should be 5");
    BAD("ru.ogrn", "304500116000158", "not a valid OGRNIP: the check digit should be 7");
    BAD("ru.ogrn", "10277001321", "an OGRN has 13 or 15 digits, got 11");
}

static void kpp(void **state)
{
    OK("ru.kpp", "773601001", "773601001");
    OK("ru.kpp", "7736 01 001", "773601001");
    OK("ru.kpp", "7736ab001", "7736AB001");
    BAD("ru.kpp", "77360100", "a KPP has 9 characters, got 8");
    BAD("ru.kpp", "7736010011", "has more");
    BAD("ru.kpp", "77A601001", "character 3 must be a digit");
    BAD("ru.kpp", "773601AB1", "character 7 must be a digit");
    BAD("ru.kpp", "7736_1001", "unexpected '_'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(inn),
        cmocka_unit_test(ogrn),
        cmocka_unit_test(kpp),
    };
    return cmocka_run_group_tests(tests, fake_setup, NULL);
}
