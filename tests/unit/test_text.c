/* The text module: folding, case, squeezing, digits, UTF-8 checks, and out-of-memory paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kartoteka/alloc.h"
#include "kartoteka/text.h"
#include "text/json_string.h"

typedef kt_status (*text_fn)(const char *, char **, kt_error *);

static void check(text_fn fn, const char *in, const char *want)
{
    kt_error err;
    kt_error_clear(&err);
    char *out = NULL;
    kt_status rc = fn(in, &out, &err);
    if (rc != KT_OK) fail_msg("'%s': %s", in, err.message);
    assert_non_null(out);
    if (strcmp(out, want) != 0) fail_msg("'%s' gave '%s', wanted '%s'", in, out, want);
    kt_free(out);
}

static void fold_is(const char *in, const char *want)
{
    check(kt_text_fold, in, want);
}

static void fold_same(const char *a, const char *b)
{
    char *x = NULL, *y = NULL;
    assert_int_equal(kt_text_fold(a, &x, NULL), KT_OK);
    assert_int_equal(kt_text_fold(b, &y, NULL), KT_OK);
    if (strcmp(x, y) != 0) fail_msg("'%s' -> '%s' but '%s' -> '%s'", a, x, b, y);
    kt_free(x);
    kt_free(y);
}

static void test_fold_polish(void **state)
{
    (void)state;
    fold_is("Łukasz", "lukasz");
    fold_is("ŁUKASZ", "lukasz");
    fold_same("Łukasz", "lukasz");
    fold_is("Zażółć gęślą jaźń", "zazolc gesla jazn");
    fold_is("Straße", "strasse");
    fold_is("Ærø Đorđe Øster", "aero dorde oster");
    /* decomposed input folds like precomposed */
    fold_same("Z\xCC\x87"
              "ó\xCC\x81",
              "Żó");
    fold_is("ﬁ Ｌｕｋａｓｚ", "fi lukasz");
}

static void test_fold_cyrillic(void **state)
{
    (void)state;
    fold_is("Волкова", "volkova");
    fold_same("Волкова", "Volkova");
    fold_is("Щукин", "shchukin");
    fold_is("Ёлкин", "elkin");
    fold_is("ёж", "ezh");
    fold_is("Юрий Чайковский", "yuriy chaykovskiy");
    fold_is("Хрущёв", "khrushchev");
    fold_is("Цыганов", "tsyganov");
    fold_is("Наталья Объедкова", "natalya obedkova");
    fold_is("Ярослава", "yaroslava");
    fold_is("Їжак Ґанна Євген", "yizhak ganna yevgen");
    fold_is("Андрій", "andriy");
    /* й as и + combining breve (NFD) is still й */
    fold_is("Андріи\xCC\x86", "andriy");
    fold_same("ЖУРАВЛЁВ", "zhuravlev");
}

static void test_fold_keep_script(void **state)
{
    (void)state;
    check(kt_text_fold_keep_script, "Волкова", "волкова");
    check(kt_text_fold_keep_script, "Йошкар-Ола Ёлка", "йошкар ола елка");
    check(kt_text_fold_keep_script, "Łukasz", "lukasz");
}

static void test_fold_persian(void **state)
{
    (void)state;
    /* علي with Arabic yeh = علی with Persian yeh */
    fold_same("\xD8\xB9\xD9\x84\xD9\x8A", "\xD8\xB9\xD9\x84\xDB\x8C");
    /* alef maksura */
    fold_same("\xD9\x85\xD9\x88\xD8\xB3\xD9\x89", "\xD9\x85\xD9\x88\xD8\xB3\xDB\x8C");
    /* كريم (Arabic kaf, yeh) = کریم */
    fold_same("\xD9\x83\xD8\xB1\xD9\x8A\xD9\x85", "\xDA\xA9\xD8\xB1\xDB\x8C\xD9\x85");
    /* فاطمة = فاطمه (teh marbuta) */
    fold_same("\xD9\x81\xD8\xA7\xD8\xB7\xD9\x85\xD8\xA9",
              "\xD9\x81\xD8\xA7\xD8\xB7\xD9\x85\xD9\x87");
    /* أحمد إمام آرش = احمد امام ارش */
    fold_same("\xD8\xA3\xD8\xAD\xD9\x85\xD8\xAF \xD8\xA5\xD9\x85\xD8\xA7\xD9\x85 "
              "\xD8\xA2\xD8\xB1\xD8\xB4",
              "\xD8\xA7\xD8\xAD\xD9\x85\xD8\xAF \xD8\xA7\xD9\x85\xD8\xA7\xD9\x85 "
              "\xD8\xA7\xD8\xB1\xD8\xB4");
    /* tatweel and harakat vanish: مـحَمَّد = محمد */
    fold_same("\xD9\x85\xD9\x80\xD8\xAD\xD9\x8E\xD9\x85\xD9\x8E\xD9\x91\xD8\xAF",
              "\xD9\x85\xD8\xAD\xD9\x85\xD8\xAF");
    /* ZWNJ (half-space) removed: می‌خواهم = میخواهم */
    fold_same("\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85",
              "\xD9\x85\xDB\x8C\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85");
    /* ؤ -> و, ئ -> ی */
    fold_same("\xD8\xA4\xD8\xA6", "\xD9\x88\xDB\x8C");
    /* Persian ۱۲۳ and Arabic-Indic ١٢٣ digits */
    fold_is("\xDB\xB1\xDB\xB2\xDB\xB3", "123");
    fold_is("\xD9\xA1\xD9\xA2\xD9\xA3", "123");
    /* presentation forms (ﻙ isolated kaf) unify too */
    fold_same("\xEF\xBB\x99", "\xDA\xA9");
}

static void test_fold_space_punct(void **state)
{
    (void)state;
    fold_is("  Anna\t\tMaria\xC2\xA0 Nowak \n", "anna maria nowak");
    fold_is("Nowak-Kowalska", "nowak kowalska");
    fold_is("O'Brien O’Neil", "obrien oneil");
    fold_is("Anna.K+News@Gmail.COM", "anna.k+news@gmail.com");
    fold_is("end. (start) a,b; x@ @y .z", "end start a b x y z");
    fold_is("a..b", "a b");
    fold_is("", "");
    fold_is(" \t ", "");
    fold_is("\xE2\x80\x8B\xC2\xAD", ""); /* zero width space, soft hyphen */
}

static void test_fold_invalid(void **state)
{
    (void)state;
    const char *bad[] = {"\xC3",         "abc\xFF",          "\xC0\xAF",
                         "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        kt_error err;
        char *out = (char *)1;
        assert_int_equal(kt_text_fold(bad[i], &out, &err), KT_INVALID);
        assert_null(out);
        assert_int_equal(kt_text_lower(bad[i], &out, &err), KT_INVALID);
        assert_int_equal(kt_text_squeeze(bad[i], &out, &err), KT_INVALID);
        assert_int_equal(kt_text_ascii_digits(bad[i], &out, &err), KT_INVALID);
        assert_false(kt_text_valid_utf8(bad[i], strlen(bad[i])));
    }
    char *out;
    assert_int_equal(kt_text_fold(NULL, &out, NULL), KT_USAGE);
}

static void test_utf8(void **state)
{
    (void)state;
    const char *s = "Zażółć 𝄞 ۱";
    assert_true(kt_text_valid_utf8(s, strlen(s)));
    assert_int_equal(kt_text_length(s), 10);
    assert_int_equal(kt_text_length(""), 0);
    assert_true(kt_text_valid_utf8("", 0));
}

static void test_case(void **state)
{
    (void)state;
    check(kt_text_title, "łUKASZ nOWAK-kowalski", "Łukasz Nowak-Kowalski");
    check(kt_text_title, "o'brien", "O'Brien");
    check(kt_text_title, "ВОЛКОВА анна", "Волкова Анна");
    check(kt_text_lower, "ŁUKASZ Ёлкин", "łukasz ёлкин");
    check(kt_text_upper, "zażółć ёж", "ZAŻÓŁĆ ЁЖ");
}

static void test_squeeze_digits(void **state)
{
    (void)state;
    check(kt_text_squeeze, "  a\t\tb\xC2\xA0\xC2\xA0 c \xE2\x80\x83", "a b c");
    check(kt_text_squeeze, "", "");
    check(kt_text_ascii_digits, "tel \xDB\xB0\xDB\xB9\xD9\xA1\xD9\xA2 x", "tel 0912 x");
}

/* Fails the 1st, 2nd, ... allocation until the call succeeds: each failure must be KT_NOMEM with
 * no output (ASan's leak check proves nothing was lost). */
static void walk_nomem(text_fn fn, const char *in)
{
    for (unsigned long n = 1;; n++) {
        kt_alloc_fail_at(n);
        kt_error err;
        char *out = (char *)1;
        kt_status rc = fn(in, &out, &err);
        kt_alloc_fail_at(0);
        if (rc == KT_OK) {
            kt_free(out);
            assert_true(n > 1);
            return;
        }
        assert_int_equal(rc, KT_NOMEM);
        assert_null(out);
        assert_true(n < 100);
    }
}

static void test_nomem(void **state)
{
    (void)state;
    char longer[2000];
    size_t o = 0;
    while (o + 12 < sizeof longer) { /* long enough to outgrow the inline scratch */
        memcpy(longer + o, "Щукин ", 11);
        o += 11;
    }
    longer[o] = '\0';
    const char *inputs[] = {"Łukasz", "Zażółć gęślą jaźń", longer};
    text_fn fns[] = {kt_text_fold,  kt_text_fold_keep_script, kt_text_title,       kt_text_lower,
                     kt_text_upper, kt_text_squeeze,          kt_text_ascii_digits};
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++)
        for (size_t f = 0; f < sizeof fns / sizeof *fns; f++)
            walk_nomem(fns[f], inputs[i]);
}

static void json_is(const char *in, const char *want, size_t want_replaced)
{
    kt_buf b = KT_BUF_INIT;
    kt_error err;
    size_t replaced = 0;
    assert_int_equal(kt_text_put_json_string(&b, in, &replaced, &err), KT_OK);
    assert_string_equal(kt_buf_str(&b), want);
    assert_int_equal(replaced, want_replaced);
    kt_buf_free(&b);
}

/* The JSON string writer: escapes what JSON requires, passes UTF-8 through, counts what it had
 * to replace. */
static void test_json_string(void **state)
{
    (void)state;
    json_is("", "\"\"", 0);
    json_is("plain", "\"plain\"", 0);
    json_is("a\"b\\c/d", "\"a\\\"b\\\\c/d\"", 0);
    json_is("\n\r\t\x01\x1f\x7f", "\"\\n\\r\\t\\u0001\\u001f\x7f\"", 0);
    json_is("Łódź Волкова تهران\xe2\x80\x8c", "\"Łódź Волкова تهران\xe2\x80\x8c\"", 0);
    json_is("a\xe2\x80\xa8"
            "b\xe2\x80\xa9",
            "\"a\\u2028b\\u2029\"", 0);
    json_is("x\xffy\xc3", "\"x\\ufffdy\\ufffd\"", 2);
    json_is("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"", 3); /* a surrogate is not UTF-8 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_polish),
        cmocka_unit_test(test_fold_cyrillic),
        cmocka_unit_test(test_fold_keep_script),
        cmocka_unit_test(test_fold_persian),
        cmocka_unit_test(test_fold_space_punct),
        cmocka_unit_test(test_fold_invalid),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_case),
        cmocka_unit_test(test_squeeze_digits),
        cmocka_unit_test(test_nomem),
        cmocka_unit_test(test_json_string),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
