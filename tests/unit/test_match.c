/* Similarity functions and blocking keys for duplicate detection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kartoteka/alloc.h"
#include "kartoteka/match.h"

#define MISSING(x) assert_true((x) == KT_MATCH_MISSING)

static void near(double got, double want, const char *what)
{
    if (got < want - 1e-3 || got > want + 1e-3) fail_msg("%s: %.4f, wanted %.4f", what, got, want);
}

static void above(double got, double bar, const char *what)
{
    if (!(got >= bar)) fail_msg("%s: %.4f, wanted >= %.4f", what, got, bar);
}

static void below(double got, double bar, const char *what)
{
    if (!(got < bar) || got < 0) fail_msg("%s: %.4f, wanted in [0, %.4f)", what, got, bar);
}

static void test_jaro_winkler(void **state)
{
    (void)state;
    /* the classic figures from Winkler's papers */
    near(kt_match_jaro_winkler("MARTHA", "MARHTA"), 0.9611, "martha");
    near(kt_match_jaro_winkler("DWAYNE", "DUANE"), 0.84, "dwayne");
    near(kt_match_jaro_winkler("DIXON", "DICKSONX"), 0.8133, "dixon");
    near(kt_match_jaro_winkler("abc", "abc"), 1, "equal");
    near(kt_match_jaro_winkler("abc", "xyz"), 0, "nothing shared");
    /* code points, not bytes: one letter differs in a two-byte script */
    near(kt_match_jaro_winkler("Łukasz", "Łukasz"), 1, "polish equal");
    above(kt_match_jaro_winkler("Волкова", "Волкава"), 0.9, "cyrillic typo");
    MISSING(kt_match_jaro_winkler(NULL, "a"));
    MISSING(kt_match_jaro_winkler("a", ""));
    /* long values leave the inline buffers */
    char a[600], b[600];
    memset(a, 'x', sizeof a - 1);
    memset(b, 'x', sizeof b - 1);
    a[sizeof a - 1] = b[sizeof b - 1] = '\0';
    b[300] = 'y';
    above(kt_match_jaro_winkler(a, b), 0.99, "long");
}

static void test_levenshtein(void **state)
{
    (void)state;
    assert_int_equal(kt_match_levenshtein("kitten", "sitting"), 3);
    assert_int_equal(kt_match_levenshtein("ca", "ac"), 1); /* a transposition is one edit */
    assert_int_equal(kt_match_levenshtein("Łukasz", "Lukasz"), 1);
    assert_int_equal(kt_match_levenshtein("Żółw", "Żółw"), 0);
    assert_int_equal(kt_match_levenshtein("", "abc"), 3);
    assert_int_equal(kt_match_levenshtein(NULL, "ab"), 2);
    assert_int_equal(kt_match_levenshtein("abc", NULL), 3);
    char a[300], b[300];
    memset(a, 'a', sizeof a - 1);
    memset(b, 'a', sizeof b - 1);
    a[sizeof a - 1] = b[sizeof b - 1] = '\0';
    b[10] = 'b';
    b[200] = '\0';
    assert_int_equal(kt_match_levenshtein(a, b), 100);
}

static void test_exact(void **state)
{
    (void)state;
    near(kt_match_exact("Łukasz  Nowak", "lukasz nowak"), 1, "folded equal");
    near(kt_match_exact("Волкова", "VOLKOVA"), 1, "transliterated equal");
    near(kt_match_exact("Nowak", "Nowacki"), 0, "different");
    MISSING(kt_match_exact("", "x"));
    MISSING(kt_match_exact(" \t", "x"));
    MISSING(kt_match_exact("x", NULL));
}

static void test_email(void **state)
{
    (void)state;
    near(kt_match_email("Anna.Kowalska@Gmail.com", "annakowalska@gmail.com"), 1, "gmail dots");
    near(kt_match_email("a.n.n.a+crm@googlemail.com", "anna@gmail.com"), 1, "googlemail");
    near(kt_match_email("anna+news@wp.pl", "ANNA@WP.PL"), 1, "tag anywhere");
    near(kt_match_email(" Anna <anna@wp.pl> ", "mailto:anna@wp.pl"), 1, "decorated");
    below(kt_match_email("anna.k@wp.pl", "annak@wp.pl"), 1, "dots matter elsewhere");
    above(kt_match_email("anna.kowalska@wp.pl", "anna.kowalsak@wp.pl"), 0.85, "typo");
    near(kt_match_email("anna.kowalska@wp.pl", "anna.kowalska@onet.pl"), 0, "other domain");
    near(kt_match_email("jan@wp.pl", "ewa@wp.pl"), 0, "other person");
    MISSING(kt_match_email("", "a@b.c"));
    MISSING(kt_match_email("a@b.c", NULL));
    char *c = NULL;
    assert_int_equal(kt_match_email_canonical("A.N.Na+x@GoogleMail.com.", &c, NULL), KT_OK);
    assert_string_equal(c, "anna@gmail.com");
    kt_free(c);
}

static void test_phone(void **state)
{
    (void)state;
    near(kt_match_phone("+48 601 234 567", "+48601234567"), 1, "spacing");
    near(kt_match_phone("0048 601-234-567", "+48 601 234 567"), 1, "00 prefix");
    near(kt_match_phone("601 234 567", "+48 601 234 567"), 0.95, "national");
    near(kt_match_phone("8 (912) 345-67-89", "+7 912 345 67 89"), 0.95, "russian 8");
    near(kt_match_phone("+48 601 234 568", "+48 601 234 567"), 0.5, "one digit");
    near(kt_match_phone("+48 601 234 576", "+48 601 234 567"), 0.5, "swapped digits");
    near(kt_match_phone("+48 601 999 567", "+48 601 234 567"), 0, "other number");
    /* Persian digits ۰۹۱۲۳۴۵۶۷۸۹ */
    near(kt_match_phone("\xDB\xB0\xDB\xB9\xDB\xB1\xDB\xB2\xDB\xB3\xDB\xB4\xDB\xB5\xDB\xB6\xDB\xB7"
                        "\xDB\xB8\xDB\xB9",
                        "09123456789"),
         1, "persian digits");
    near(kt_match_phone("\xD9\xA0\xD9\xA9\xD9\xA1\xD9\xA2 345 6789", "+98 912 345 6789"), 0.95,
         "arabic-indic digits, international");
    MISSING(kt_match_phone("n/a", "601234567"));
    MISSING(kt_match_phone(NULL, "601234567"));
}

static void test_name(void **state)
{
    (void)state;
    near(kt_match_name("Łukasz", "LUKASZ"), 1, "diacritics and case");
    near(kt_match_name("Волкова", "Volkova"), 1, "transliteration");
    near(kt_match_name("Щукин", "Shchukin"), 1, "shch");
    near(kt_match_name("Anna Maria", "Maria  Anna"), 1, "word order");
    near(kt_match_name("Nowak-Kowalska", "Kowalska Nowak"), 1, "double-barrelled");
    /* علی written with Arabic yeh */
    near(kt_match_name("\xD8\xB9\xD9\x84\xD9\x8A", "\xD8\xB9\xD9\x84\xDB\x8C"), 1, "persian yeh");
    above(kt_match_name("Kowalska", "Kowalsak"), 0.9, "typo");
    above(kt_match_name("Aleksandr", "Alexander"), 0.8, "spelling");
    below(kt_match_name("Nowak", "Zielinski"), 0.6, "different");
    MISSING(kt_match_name("", "Anna"));
    MISSING(kt_match_name("Anna", "  "));
}

/* Numbers are part of a name: "Firma 1" and "Firma 2" once scored 0.94. */
static void test_name_numbers(void **state)
{
    (void)state;
    near(kt_match_name("Firma 1", "Firma 2"), 0, "different numbers");
    near(kt_match_name("Apteka 24", "apteka 24"), 1, "the same number");
    near(kt_match_name("Sklep 12", "Sklep 123"), 0, "a number is not a prefix of another");
    near(kt_match_name("Firma 1 2", "Firma 2 1"), 0, "numbers in another order");
    above(kt_match_name("Apteka 24", "Apteka"), 0.85, "a number on one side only");
}

static double company(const char *a, const char *b)
{
    return kt_match_score("company", a, b);
}

/* Legal forms are compared apart from the name: "Sikorski-Gałka" and "Sikorski Sp. k." once
 * scored 0.897 on the shared prefix alone. */
static void test_company(void **state)
{
    (void)state;
    assert_true(kt_match_method_known("company"));
    below(company("Sikorski-Gałka", "Sikorski Sp. k."), 0.65, "a word more is another company");
    below(company("Firma 1", "Firma 2"), 0.1, "different numbers");
    near(company("Apteka 24", "Apteka 24 Sp. z o.o."), 1, "a missing form is no evidence");
    near(company("Kowal Sp. z o.o.", "KOWAL spółka z ograniczoną odpowiedzialnością"), 1,
         "written out");
    near(company("Kowal z o.o", "Kowal SP.Z O.O."), 1, "spellings of sp. z o.o.");
    near(company("Kowal S.A.", "kowal sa"), 1, "with and without dots");
    near(company("ООО Ромашка", "Ромашка ооо"), 1, "form first or last");
    near(company("ИП Иванов", "Ivanov"), 1, "transliterated, form on one side");
    near(company("Lynch, Inc.", "Lynch"), 1, "inc.");
    near(company("Müller GmbH", "Muller"), 1, "gmbh");
    near(company("Nowak Sp. j.", "Nowak"), 1, "sp. j.");
    near(company("Nowak S.C.", "Nowak s.c"), 1, "s.c.");
    near(company("لوکس شرکت با مسئولیت محدود", "لوکس"), 1, "persian llc");
    near(company("شرکت لوکس", "لوکس"), 1, "sherkat");
    near(company("Smith Ltd", "Smith plc"), 0.5, "different kinds");
    near(company("Kowal Sp. j.", "Kowal Sp. k."), 0.5, "sp. j. is not sp. k.");
    near(company("ООО Ромашка", "ЗАО Ромашка"), 0.5, "ооо is not зао");
    near(company("ООО Ромашка", "Romashka LLC"), 0.8, "one family in two languages");
    near(company("Urbanek Sp. k.", "Urbanek SKA"), 0.5, "sp. k. is not s.k.a.");
    near(company("Siemens AG", "Siemens AG"), 1, "ag");
    near(company("Inc", "Inc."), 1, "a form alone stays a name");
    above(company("Kowalski i Synowie", "Kowalsky i Synowie"), 0.9, "a typo");
    below(company("Nowak", "Zielinski Sp. z o.o."), 0.3, "different names");
    MISSING(company("", "Kowal"));
    MISSING(company("Kowal", "  "));
}

static void test_name_pair(void **state)
{
    (void)state;
    double f, l;
    near(kt_match_name_pair("Anna", "Kowalska", "Anna", "Kowalska", &f, &l), 1, "same");
    near(kt_match_name_pair("Kowalska", "Anna", "Anna", "Kowalska", &f, &l), 1, "swapped");
    near(f, 1, "swapped first");
    near(l, 1, "swapped last");
    double s = kt_match_name_pair("Jan", "Nowak", "Jan", "Kowalski", &f, &l);
    near(f, 1, "first");
    below(l, 0.8, "last");
    below(s, 0.85, "combined");
    /* a missing first name neither adds nor subtracts */
    near(kt_match_name_pair(NULL, "Volkova", "Anna", "Волкова", &f, &l), 1, "missing first");
    MISSING(f);
    near(l, 1, "last only");
    /* the whole name typed into one field */
    near(kt_match_name_pair("", "Anna Kowalska", "Anna", "Kowalska", &f, &l), 1, "one field");
    MISSING(kt_match_name_pair(NULL, "", "", NULL, NULL, NULL));
}

static void test_date(void **state)
{
    (void)state;
    near(kt_match_date("1985-03-07", "1985-03-07"), 1, "equal");
    near(kt_match_date("1985-03-07", "19850307"), 1, "compact");
    near(kt_match_date("07.03.1985", "1985-03-07"), 1, "european");
    near(kt_match_date("1985-03-07T00:00:00", "1985-03-07"), 1, "with a time");
    near(kt_match_date("1985-03-07", "1985-07-03"), 0.8, "day and month swapped");
    near(kt_match_date("1985-03-07", "1986-03-07"), 0.7, "one digit");
    near(kt_match_date("1985-03-07", "1985-03-17"), 0.7, "one digit in the day");
    near(kt_match_date("1985-03-07", "1990-11-21"), 0, "different");
    near(kt_match_date("spring 85", "Spring  85"), 1, "not dates, equal");
    near(kt_match_date("spring 85", "1985-03-07"), 0, "not a date");
    MISSING(kt_match_date("", "1985-03-07"));
    MISSING(kt_match_date("1985-03-07", NULL));
}

static void test_text(void **state)
{
    (void)state;
    near(kt_match_text("ul. Długa 5", "UL DLUGA 5"), 1, "folded");
    near(kt_match_text("Długa 5 ul.", "ul. Długa 5"), 1, "order");
    above(kt_match_text("ul. Marszałkowska 12", "ul. Marszalkowskа 12"), 0.9, "typo");
    below(kt_match_text("ul. Długa 12", "ul. Długa 13"), 0.75, "house numbers differ");
    near(kt_match_text("Długa", "Krótka 7"), 0, "nothing shared");
    MISSING(kt_match_text(NULL, "x"));
}

static void test_score_dispatch(void **state)
{
    (void)state;
    assert_true(kt_match_method_known("email"));
    assert_false(kt_match_method_known("soundex"));
    assert_false(kt_match_method_known(NULL));
    near(kt_match_score("name", "Anna", "ANNA"), 1, "name");
    near(kt_match_score("phone", "601234567", "+48601234567"), 0.95, "phone");
    MISSING(kt_match_score("soundex", "a", "a"));
}

/* Preparing both sides once gives the score of the raw values. */
static void test_prepared(void **state)
{
    (void)state;
    static const char *const cases[][3] = {
        {"exact", "Łódź", "LODZ"},
        {"exact", "Łódź", "Lodz 2"},
        {"name", "Anna Maria Волкова", "Volkova Maria Anna"},
        {"name", "Kowalska", "Kowalsak"},
        {"name", "Nowak", "Kowalski"},
        {"name", "Firma 1", "Firma 2"},
        {"company", "Sikorski-Gałka", "Sikorski Sp. k."},
        {"company", "ООО Ромашка", "Romashka LLC"},
        {"text", "ul. Marszałkowska 12", "Marszalkowskа 12 ul"},
        {"email", "A.Nna+x@gmail.com", "anna@googlemail.com"},
        {"email", "anna.kowalska@wp.pl", "anna.kowalsak@wp.pl"},
        {"phone", "0048 601 234 567", "601234568"},
        {"date", "07.03.1985", "1985-07-03"},
        {"date", "spring 85", "Spring 85"},
        {"name", "", "Anna"},
        {"text", "x", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *a = NULL, *b = NULL;
        assert_int_equal(kt_match_prepare(cases[i][0], cases[i][1], &a, NULL), KT_OK);
        assert_int_equal(kt_match_prepare(cases[i][0], cases[i][2], &b, NULL), KT_OK);
        near(kt_match_prepared(cases[i][0], a, b),
             kt_match_score(cases[i][0], cases[i][1], cases[i][2]), cases[i][1]);
        kt_free(a);
        kt_free(b);
    }
    char *p = (char *)1;
    assert_int_equal(kt_match_prepare("date", "1985-3-7", &p, NULL), KT_OK);
    assert_string_equal(p, "19850307");
    kt_free(p);
    assert_int_equal(kt_match_prepare("name", "  ", &p, NULL), KT_OK);
    assert_null(p);
    assert_int_equal(kt_match_prepare("soundex", "x", &p, NULL), KT_INVALID);

    double f, l, g, m;
    double raw = kt_match_name_pair("Kowalska", "Anna", "Ana", "Kowalska", &f, &l);
    double pre = kt_match_name_pair_prepared("kowalska", "anna", "ana", "kowalska", &g, &m);
    near(pre, raw, "pair");
    near(g, f, "pair first");
    near(m, l, "pair last");
    near(kt_match_name_pair_prepared(NULL, "anna kowalska", "anna", "kowalska", NULL, NULL), 1,
         "pair one field");
}

/* Do a and b share a key? */
static int share(const char *method, const char *a, const char *b)
{
    char **ka, **kb;
    size_t na, nb;
    assert_int_equal(kt_match_keys(method, a, &ka, &na, NULL), KT_OK);
    assert_int_equal(kt_match_keys(method, b, &kb, &nb, NULL), KT_OK);
    assert_true(na <= KT_MATCH_MAX_KEYS && nb <= KT_MATCH_MAX_KEYS);
    int found = 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            found |= strcmp(ka[i], kb[j]) == 0;
    kt_match_keys_free(ka, na);
    kt_match_keys_free(kb, nb);
    return found;
}

static void test_keys(void **state)
{
    (void)state;
    assert_true(share("email", "Anna.K+x@gmail.com", "annak@googlemail.com"));
    assert_false(share("email", "anna@wp.pl", "jan@wp.pl"));
    assert_true(share("phone", "8 912 345-67-89", "+79123456789"));
    assert_true(share("name", "Волкова", "Volkova"));
    assert_true(share("name", "Wolkowa", "Volkova"));    /* the consonant code */
    assert_true(share("name", "Kristina", "Christina")); /* the consonant code */
    assert_true(share("name", "Anna Maria", "Maria"));
    assert_false(share("name", "Nowak", "Zielinski"));
    /* the legal form is no key: it would block thousands of companies together */
    assert_true(share("company", "ООО Ромашка", "Romashka"));
    assert_false(share("company", "ООО Ромашка", "ООО Василёк"));
    assert_true(share("name", "J. Li", "Li")); /* the initial is skipped, short words are not */
    assert_true(share("name", "J. K.", "J.")); /* initials only: still a key */
    assert_true(share("date", "1985-03-07", "1985-07-03")); /* swapped */
    assert_true(share("date", "07.03.1985", "19850307"));
    assert_true(share("text", "Długa 5 ul.", "ul dluga 5"));
    assert_true(share("exact", "Łódź", "LODZ"));

    char **k;
    size_t n;
    assert_int_equal(kt_match_keys("date", "1985-03-07", &k, &n, NULL), KT_OK);
    assert_int_equal(n, 2);
    assert_string_equal(k[0], "d:1985-03-07");
    assert_string_equal(k[1], "d:1985-07-03");
    kt_match_keys_free(k, n);
    assert_int_equal(kt_match_keys("date", "1985-03-03", &k, &n, NULL), KT_OK);
    assert_int_equal(n, 1);
    kt_match_keys_free(k, n);
    assert_int_equal(kt_match_keys("name", "", &k, &n, NULL), KT_OK);
    assert_int_equal(n, 0);
    assert_null(k);
    kt_error err;
    assert_int_equal(kt_match_keys("soundex", "x", &k, &n, &err), KT_INVALID);
    assert_non_null(strstr(err.message, "soundex"));
    kt_match_keys_free(NULL, 0);
}

/* Fails the 1st, 2nd, ... allocation until kt_match_keys succeeds: each failure is KT_NOMEM
 * with nothing handed out (ASan proves nothing leaked). */
static void walk_keys(const char *method, const char *value)
{
    for (unsigned long i = 1;; i++) {
        char **k = (char **)1;
        size_t n = 99;
        kt_alloc_fail_at(i);
        kt_status rc = kt_match_keys(method, value, &k, &n, NULL);
        kt_alloc_fail_at(0);
        if (rc == KT_OK) {
            assert_true(n > 0 || !k);
            kt_match_keys_free(k, n);
            return;
        }
        assert_int_equal(rc, KT_NOMEM);
        assert_null(k);
        assert_int_equal(n, 0);
        assert_true(i < 100);
    }
}

static void walk_prepare(const char *method, const char *value)
{
    for (unsigned long i = 1;; i++) {
        char *p = (char *)1;
        kt_alloc_fail_at(i);
        kt_status rc = kt_match_prepare(method, value, &p, NULL);
        kt_alloc_fail_at(0);
        if (rc == KT_OK) {
            kt_free(p);
            return;
        }
        assert_int_equal(rc, KT_NOMEM);
        assert_null(p);
        assert_true(i < 100);
    }
}

static void test_nomem(void **state)
{
    (void)state;
    char longname[1200];
    size_t o = 0;
    while (o + 16 < sizeof longname) {
        memcpy(longname + o, "Волкова Анна ", 24 - 1);
        o += 23;
    }
    longname[o] = '\0';
    const char *methods[] = {"exact", "email", "phone", "name", "date", "text", "company"};
    const char *values[] = {"Anna Wołk",  "anna@wp.pl",  "+48 601",        "Anna Maria",
                            "1985-03-07", "ul. Długa 5", "ООО Ромашка 24", longname};
    for (size_t m = 0; m < 7; m++) {
        walk_keys(methods[m], values[m]);
        walk_keys(methods[m], longname);
        walk_prepare(methods[m], values[m]);
        walk_prepare(methods[m], longname);
    }
    /* scores of long values that fail to allocate count as missing, and leak nothing */
    for (unsigned long i = 1; i < 8; i++) {
        kt_alloc_fail_at(i);
        double s = kt_match_name(longname, longname);
        kt_alloc_fail_at(0);
        assert_true(s == 1 || s == KT_MATCH_MISSING);
        kt_alloc_fail_at(i);
        s = kt_match_company(longname, longname);
        kt_alloc_fail_at(0);
        assert_true(s == 1 || s == KT_MATCH_MISSING);
        kt_alloc_fail_at(i);
        size_t d = kt_match_levenshtein(longname, longname);
        kt_alloc_fail_at(0);
        assert_true(d == 0 || d == SIZE_MAX);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jaro_winkler), cmocka_unit_test(test_levenshtein),
        cmocka_unit_test(test_exact),        cmocka_unit_test(test_email),
        cmocka_unit_test(test_phone),        cmocka_unit_test(test_name),
        cmocka_unit_test(test_name_numbers), cmocka_unit_test(test_company),
        cmocka_unit_test(test_name_pair),    cmocka_unit_test(test_date),
        cmocka_unit_test(test_text),         cmocka_unit_test(test_score_dispatch),
        cmocka_unit_test(test_prepared),     cmocka_unit_test(test_keys),
        cmocka_unit_test(test_nomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
