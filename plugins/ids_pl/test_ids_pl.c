#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kt_fake_host.h"

#define OK(fn, in, want) FAKE_OK(fn, in, NULL, want)
#define BAD(fn, in, needle) FAKE_BAD(fn, in, NULL, needle)

/* Appends the check digit the weights give (mod m, then mod 10) to the digits in s. */
static void complete(char *s, const int *w, int mod, int pesel_style)
{
    size_t n = strlen(s);
    int sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (s[i] - '0') * w[i];
    int c = pesel_style ? (10 - sum % 10) % 10 : sum % mod % 10;
    s[n] = (char)('0' + c);
    s[n + 1] = '\0';
}

static void nip(void **state)
{
    OK("pl.nip", "1234563218", "1234563218");
    OK("pl.nip", "123-456-32-18", "1234563218");
    OK("pl.nip", "PL 123 456 32 18", "1234563218");
    OK("pl.nip", "pl1234563218", "1234563218");
    OK("pl.nip", "526-000-12-46", "5260001246");
    BAD("pl.nip", "1234563219", "check digit should be 8, not 9");
    BAD("pl.nip", "123456321", "a NIP has 10 digits, got 9");
    BAD("pl.nip", "12345632X8", "unexpected 'X'");
    BAD("pl.nip", "", "got 0");
}

static void regon(void **state)
{
    static const int w14[] = {2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8};
    OK("pl.regon", "123456785", "123456785");
    OK("pl.regon", "12 34 56 78 5", "123456785");
    BAD("pl.regon", "123456786", "check digit should be 5");
    BAD("pl.regon", "1234567", "a REGON has 9 or 14 digits, got 7");
    char r14[20] = "1234567850001";
    complete(r14, w14, 11, 0);
    OK("pl.regon", r14, r14);
    r14[13] = (char)('0' + (r14[13] - '0' + 1) % 10);
    BAD("pl.regon", r14, "check digit");
    /* The 14-digit form must also carry a valid 9-digit REGON. */
    char bad_head[20] = "1234567860001";
    complete(bad_head, w14, 11, 0);
    BAD("pl.regon", bad_head, "check digit should be 5, not 6");
}

static void pesel(void **state)
{
    static const int w[] = {1, 3, 7, 9, 1, 3, 7, 9, 1, 3};
    OK("pl.pesel", "44051401359", "44051401359");
    OK("pl.pesel_birth_date", "44051401359", "1944-05-14");
    OK("pl.pesel_sex", "44051401359", "M");
    BAD("pl.pesel", "44051401358", "check digit should be 9, not 8");
    BAD("pl.pesel", "4405140135", "a PESEL has 11 digits, got 10");

    char born2002[16] = "0222290124"; /* 2002-02-29 does not exist */
    complete(born2002, w, 10, 1);
    BAD("pl.pesel", born2002, "encodes no date");

    char woman[16] = "0422290124"; /* 2004-02-29, a leap day; 2 is even: a woman */
    complete(woman, w, 10, 1);
    OK("pl.pesel", woman, woman);
    OK("pl.pesel_birth_date", woman, "2004-02-29");
    OK("pl.pesel_sex", woman, "F");

    char old[16] = "9992310123"; /* month 92: December of the 1800s */
    complete(old, w, 10, 1);
    OK("pl.pesel_birth_date", old, "1899-12-31");
    BAD("pl.pesel_sex", "44051401358", "check digit");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nip),
        cmocka_unit_test(regon),
        cmocka_unit_test(pesel),
    };
    return cmocka_run_group_tests(tests, fake_setup, NULL);
}
