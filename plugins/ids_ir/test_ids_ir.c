#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kt_fake_host.h"

#define OK(fn, in, want) FAKE_OK(fn, in, NULL, want)
#define BAD(fn, in, needle) FAKE_BAD(fn, in, NULL, needle)

/* The check digit of the 9 digits in s, appended. */
static void complete(char *s)
{
    int sum = 0;
    for (int i = 0; i < 9; i++)
        sum += (s[i] - '0') * (10 - i);
    int r = sum % 11;
    s[9] = (char)('0' + (r < 2 ? r : 11 - r));
    s[10] = '\0';
}

static void valid_codes(void **state)
{
    /* 0499370899: sum 0*10+4*9+9*8+9*7+3*6+7*5+0*4+8*3+9*2 = 266, 266 % 11 = 2, check 9. */
    OK("ir.national_code", "0499370899", "0499370899");
    OK("ir.national_code", "049-937089-9", "0499370899");
    OK("ir.national_code", "۰۴۹۹۳۷۰۸۹۹", "0499370899");               /* Persian digits */
    OK("ir.national_code", "٠٤٩٩٣٧٠٨٩٩", "0499370899");               /* Arabic-Indic */
    OK("ir.national_code", "\u200f۰۴۹-۹۳۷۰۸۹-۹\u200f", "0499370899"); /* with RLMs */
    char code[16] = "123456789";
    complete(code);
    OK("ir.national_code", code, code);
    char low[16] = "000000012"; /* 1*3 + 2*2 = 7, 7 % 11 = 7 -> 11-7 = 4 */
    complete(low);
    OK("ir.national_code", low, "0000000124");
    /* Remainders 0 and 1 are the check digit themselves. */
    OK("ir.national_code", "0000000310", "0000000310"); /* 3*3 + 1*2 = 11, r = 0 */
    OK("ir.national_code", "0000000061", "0000000061"); /* 6*2 = 12, r = 1 */
}

static void invalid_codes(void **state)
{
    BAD("ir.national_code", "0499370898", "check digit should be 9, not 8");
    BAD("ir.national_code", "۰۴۹۹۳۷۰۸۹۸", "check digit should be 9");
    BAD("ir.national_code", "1111111111", "one repeated digit");
    BAD("ir.national_code", "0000000000", "one repeated digit");
    BAD("ir.national_code", "499370899", "10 digits, got 9 (if a spreadsheet");
    BAD("ir.national_code", "04993708991", "10 digits, got 11");
    BAD("ir.national_code", "04993708a9", "unexpected 'a'");
    BAD("ir.national_code", "", "got 0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_codes),
        cmocka_unit_test(invalid_codes),
    };
    return cmocka_run_group_tests(tests, fake_setup, NULL);
}
