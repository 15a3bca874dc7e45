#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kt_fake_host.h"

static void five_spellings_one_number(void **state)
{
    const char *spellings[] = {"+48 789 658 648", "0048789658648", "789-658-648",
                               "(+48) 789 658 648", "789658648", "48 789 658 648",
                               /* Persian digits */ "۷۸۹ ۶۵۸ ۶۴۸",
                               /* Arabic-Indic digits and a no-break space */ "٧٨٩\u00a0٦٥٨ ٦٤٨",
                               /* direction marks pasted from Persian text, a thin space */
                               "\u200f789\u2009658\u200e648"};
    for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++)
        FAKE_OK("phone", spellings[i], "PL", "+48789658648");
}

/* The hand-written rules' cases (plugin 1.x), each with the result it had. */
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
    FAKE_OK("phone", "+852 2123 4567", NULL, "+85221234567");
    /* 00 is international even where the country's own prefix is another (Russia's 810, the
     * US's 011), as people write it. */
    FAKE_OK("phone", "0079851005648", "RU", "+79851005648");
    FAKE_OK("phone", "0014157122605", "US", "+14157122605");
    FAKE_OK("phone", "011 48 789 658 648", "US", "+48789658648");
}

/* Real numbering plans, a mobile and a fixed line where the country tells them apart, each in
 * the spelling of its country: normalised, typed, and written back the country's way. */
typedef struct world_case {
    const char *country, *typed, *e164, *type, *national, *international;
} world_case;

static const world_case world[] = {
    {"PL", "601 234 567", "+48601234567", "mobile", "601 234 567", "+48 601 234 567"},
    {"PL", "22 629 90 00", "+48226299000", "fixed_line", "22 629 90 00", "+48 22 629 90 00"},
    {"RU", "8 (916) 123-45-67", "+79161234567", "mobile", "8 (916) 123-45-67", "+7 916 123-45-67"},
    {"RU", "8 (495) 606-36-02", "+74956063602", "fixed_line", "8 (495) 606-36-02",
     "+7 495 606-36-02"},
    {"IR", "0912 111 2233", "+989121112233", "mobile", "0912 111 2233", "+98 912 111 2233"},
    {"IR", "021 8896 1234", "+982188961234", "fixed_line", "021 8896 1234", "+98 21 8896 1234"},
    {"DE", "0171 2345678", "+491712345678", "mobile", "0171 2345678", "+49 171 2345678"},
    {"DE", "089 12345678", "+498912345678", "fixed_line", "089 12345678", "+49 89 12345678"},
    {"UA", "067 123 45 67", "+380671234567", "mobile", "067 123 4567", "+380 67 123 4567"},
    {"UA", "044 255 1234", "+380442551234", "fixed_line", "044 255 1234", "+380 44 255 1234"},
    /* The North American plan does not say which numbers are mobile. */
    {"US", "(202) 456-1111", "+12024561111", "fixed_line_or_mobile", "(202) 456-1111",
     "+1 202-456-1111"},
    {"CA", "(416) 555-0199", "+14165550199", "fixed_line_or_mobile", "(416) 555-0199",
     "+1 416-555-0199"},
    {"GB", "07911 123456", "+447911123456", "mobile", "07911 123456", "+44 7911 123456"},
    {"GB", "020 7946 0958", "+442079460958", "fixed_line", "020 7946 0958", "+44 20 7946 0958"},
    {"FR", "06 45 67 89 01", "+33645678901", "mobile", "06 45 67 89 01", "+33 6 45 67 89 01"},
    {"FR", "01 42 92 81 00", "+33142928100", "fixed_line", "01 42 92 81 00", "+33 1 42 92 81 00"},
    {"ES", "655 12 34 56", "+34655123456", "mobile", "655 12 34 56", "+34 655 12 34 56"},
    {"ES", "91 123 45 67", "+34911234567", "fixed_line", "911 23 45 67", "+34 911 23 45 67"},
    {"NL", "06 23456789", "+31623456789", "mobile", "06 23456789", "+31 6 23456789"},
    {"NL", "020 555 1234", "+31205551234", "fixed_line", "020 555 1234", "+31 20 555 1234"},
    {"CZ", "777 123 456", "+420777123456", "mobile", "777 123 456", "+420 777 123 456"},
    {"CZ", "224 123 456", "+420224123456", "fixed_line", "224 123 456", "+420 224 123 456"},
    {"TR", "0532 123 45 67", "+905321234567", "mobile", "0532 123 45 67", "+90 532 123 45 67"},
    {"TR", "(0312) 456 78 90", "+903124567890", "fixed_line", "(0312) 456 78 90",
     "+90 312 456 78 90"},
    {"IT", "347 123 4567", "+393471234567", "mobile", "347 123 4567", "+39 347 123 4567"},
    /* Italy keeps the leading 0 of a fixed line after +39. */
    {"IT", "06 6982 1234", "+390669821234", "fixed_line", "06 6982 1234", "+39 06 6982 1234"},
    {"SE", "073-456 78 90", "+46734567890", "mobile", "073-456 78 90", "+46 73 456 78 90"},
    {"SE", "08-123 456 78", "+46812345678", "fixed_line", "08-123 456 78", "+46 8 123 456 78"},
    {"NO", "412 34 567", "+4741234567", "mobile", "412 34 567", "+47 412 34 567"},
    {"NO", "22 24 90 90", "+4722249090", "fixed_line", "22 24 90 90", "+47 22 24 90 90"},
    {"FI", "050 1234567", "+358501234567", "mobile", "050 1234567", "+358 50 1234567"},
    {"FI", "09 1234567", "+35891234567", "fixed_line", "09 1234567", "+358 9 1234567"},
    {"BR", "(21) 98765-4321", "+5521987654321", "mobile", "(21) 98765-4321", "+55 21 98765-4321"},
    {"BR", "(21) 3456-7890", "+552134567890", "fixed_line", "(21) 3456-7890", "+55 21 3456-7890"},
    {"MX", "55 1234 5678", "+525512345678", "fixed_line_or_mobile", "55 1234 5678",
     "+52 55 1234 5678"},
    /* Argentina: the national mobile prefix 15 becomes the 9 after +54. */
    {"AR", "011 15-4321-8765", "+5491143218765", "mobile", "011 15-4321-8765",
     "+54 9 11 4321-8765"},
    {"AR", "011 4321-8765", "+541143218765", "fixed_line", "011 4321-8765", "+54 11 4321-8765"},
    {"IN", "098765 43210", "+919876543210", "mobile", "098765 43210", "+91 98765 43210"},
    {"CN", "139 1234 5678", "+8613912345678", "mobile", "139 1234 5678", "+86 139 1234 5678"},
    {"CN", "010 6552 9988", "+861065529988", "fixed_line", "010 6552 9988", "+86 10 6552 9988"},
    {"JP", "080-1234-5678", "+818012345678", "mobile", "080-1234-5678", "+81 80-1234-5678"},
    {"JP", "03-3581-1234", "+81335811234", "fixed_line", "03-3581-1234", "+81 3-3581-1234"},
    {"KR", "010-9876-5432", "+821098765432", "mobile", "010-9876-5432", "+82 10-9876-5432"},
    {"KR", "02-3456-7890", "+82234567890", "fixed_line", "02-3456-7890", "+82 2-3456-7890"},
    {"AU", "0423 456 789", "+61423456789", "mobile", "0423 456 789", "+61 423 456 789"},
    {"AU", "(02) 9876 5432", "+61298765432", "fixed_line", "(02) 9876 5432", "+61 2 9876 5432"},
    {"NZ", "027 123 4567", "+64271234567", "mobile", "027 123 4567", "+64 27 123 4567"},
    {"NZ", "09 876 5432", "+6498765432", "fixed_line", "09 876 5432", "+64 9 876 5432"},
    {"ZA", "082 123 4567", "+27821234567", "mobile", "082 123 4567", "+27 82 123 4567"},
    {"ZA", "021 123 4567", "+27211234567", "fixed_line", "021 123 4567", "+27 21 123 4567"},
    {"EG", "0122 345 6789", "+201223456789", "mobile", "0122 345 6789", "+20 122 345 6789"},
    {"EG", "02 27956789", "+20227956789", "fixed_line", "02 27956789", "+20 2 27956789"},
    {"NG", "0803 123 4567", "+2348031234567", "mobile", "0803 123 4567", "+234 803 123 4567"},
    {"KE", "0722 123456", "+254722123456", "mobile", "0722 123456", "+254 722 123456"},
    {"AE", "055 123 4567", "+971551234567", "mobile", "055 123 4567", "+971 55 123 4567"},
    {"AE", "04 234 5678", "+97142345678", "fixed_line", "04 234 5678", "+971 4 234 5678"},
    {"SA", "055 123 4567", "+966551234567", "mobile", "055 123 4567", "+966 55 123 4567"},
    {"IL", "052-345-6789", "+972523456789", "mobile", "052-345-6789", "+972 52-345-6789"},
    {"IL", "03-612-3456", "+97236123456", "fixed_line", "03-612-3456", "+972 3-612-3456"},
    {"CH", "079 123 45 67", "+41791234567", "mobile", "079 123 45 67", "+41 79 123 45 67"},
    {"CH", "044 668 18 00", "+41446681800", "fixed_line", "044 668 18 00", "+41 44 668 18 00"},
    {"AT", "0676 1234567", "+436761234567", "mobile", "0676 1234567", "+43 676 1234567"},
    {"AT", "01 5123456", "+4315123456", "fixed_line", "01 5123456", "+43 1 5123456"},
    {"BE", "0485 12 34 56", "+32485123456", "mobile", "0485 12 34 56", "+32 485 12 34 56"},
    {"BE", "02 555 12 34", "+3225551234", "fixed_line", "02 555 12 34", "+32 2 555 12 34"},
    {"PT", "936 123 456", "+351936123456", "mobile", "936 123 456", "+351 936 123 456"},
    {"PT", "213 456 789", "+351213456789", "fixed_line", "21 345 6789", "+351 21 345 6789"},
    {"IE", "087 123 4567", "+353871234567", "mobile", "087 123 4567", "+353 87 123 4567"},
    {"IE", "01 234 5678", "+35312345678", "fixed_line", "(01) 234 5678", "+353 1 234 5678"},
    {"GR", "694 123 4567", "+306941234567", "mobile", "694 123 4567", "+30 694 123 4567"},
    {"GR", "210 123 4567", "+302101234567", "fixed_line", "21 0123 4567", "+30 21 0123 4567"},
    {"KZ", "8 (701) 123-45-67", "+77011234567", "mobile", "8 (701) 123 4567", "+7 701 123 4567"},
    {"BY", "8 029 123-45-67", "+375291234567", "mobile", "8 029 123-45-67", "+375 29 123-45-67"},
};

static void every_country(void **state)
{
    char countries[64][3];
    size_t ncountries = 0;
    for (size_t i = 0; i < sizeof world / sizeof world[0]; i++) {
        const world_case *w = &world[i];
        FAKE_OK("phone", w->typed, w->country, w->e164);
        FAKE_OK("phone.type", w->typed, w->country, w->type);
        /* the stored form, read with no country at all, gives the same answers */
        FAKE_OK("phone", w->e164, NULL, w->e164);
        FAKE_OK("phone.type", w->e164, NULL, w->type);
        FAKE_OK("phone.national", w->e164, NULL, w->national);
        FAKE_OK("phone.international", w->e164, NULL, w->international);
        /* what a record shows: national at home, international abroad */
        FAKE_OK("phone.display", w->e164, w->country, w->national);
        FAKE_OK("phone.display", w->e164, strcmp(w->country, "PL") ? "PL" : "DE", w->international);
        size_t j = 0;
        while (j < ncountries && strcmp(countries[j], w->country) != 0)
            j++;
        if (j == ncountries) memcpy(countries[ncountries++], w->country, 3);
    }
    assert_true(ncountries >= 30);
}

static void other_types(void **state)
{
    FAKE_OK("phone.type", "800 123 456", "PL", "toll_free");
    FAKE_OK("phone.type", "(800) 555-0199", "US", "toll_free");
    FAKE_OK("phone.type", "8 800 555-35-35", "RU", "toll_free");
    FAKE_OK("phone.type", "0900 1234567", "DE", "premium_rate");
}

static void extensions(void **state)
{
    /* Kept after the number in RFC 3966's form, which reads back as the same number. */
    FAKE_OK("phone", "+48 22 629 90 00 ext. 12", NULL, "+48226299000;ext=12");
    FAKE_OK("phone", "22 629 90 00 x12", "PL", "+48226299000;ext=12");
    FAKE_OK("phone", "+48226299000;ext=12", NULL, "+48226299000;ext=12");
    FAKE_OK("phone", "8 (495) 606-36-02 доб. 7", "RU", "+74956063602;ext=7");
    FAKE_OK("phone.national", "+48226299000;ext=12", NULL, "22 629 90 00 ext. 12");
    FAKE_OK("phone.type", "+48226299000;ext=12", NULL, "fixed_line");
    /* Plugin 1.x refused this one ("unexpected 'e'"); an extension is now read. */
    FAKE_OK("phone", "789 658 648 ext 5", "PL", "+48789658648;ext=5");
    /* Words that are no extension are still refused. */
    FAKE_BAD("phone", "789 658 648 call after 5", "PL", "unexpected 'c'");
    FAKE_BAD("phone", "789 658 648 abc", "PL", "unexpected 'a'");
}

static void refusals(void **state)
{
    /* A wrong length names the lengths the country's numbers have. */
    FAKE_BAD("phone", "78965864", "PL",
             "a phone number in Poland has 7 or 9 digits after +48, got 8");
    FAKE_BAD("phone", "+48 789 658 6481", NULL, "digits after +48, got 10");
    FAKE_BAD("phone", "0913254926", "IR",
             "a phone number in Iran has 6, 7 or 10 digits after +98, got 9");
    /* 8 also begins real numbers (812 is St Petersburg), so only the length tells. */
    FAKE_BAD("phone", "8 977 292 01", "RU", "a phone number in Russia has 10 digits after +7");
    FAKE_BAD("phone", "+1 312 813", NULL,
             "a phone number in United States has 10 digits after +1, got 6");
    FAKE_BAD("phone", "12345678901234567890", "PL", "digits after +48, got 20");
    /* A possible length in a range no operator was given. */
    FAKE_BAD("phone", "+48 100 000 000", NULL, "not a number in use in Poland");
    FAKE_BAD("phone", "999 999 999", "PL", "not a number in use in Poland");
    /* Plugin 1.x: "a US area code does not start with 0 or 1"; the plan says the same. */
    FAKE_BAD("phone", "(012) 555-0100", "US", "not a number in use in United States");
    FAKE_BAD("phone", "789658648", NULL, "international form");
    FAKE_BAD("phone", "789658648", "XX", "country 'XX' are unknown");
    FAKE_BAD("phone", "", "PL", "no digits");
    FAKE_BAD("phone", "n/a", "PL", "no digits");
    FAKE_BAD("phone", "+0 123 456 789", NULL, "not a country calling code");
    FAKE_BAD("phone", "1234567890123456789012345678901234567890", "PL", "more digits");
    FAKE_BAD("phone", "+48 789 + 658 648", NULL, "unexpected '+'");
    FAKE_BAD("phone", "789\xff 658 648", "PL", "not valid UTF-8");
    char longer[400];
    memset(longer, ' ', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    longer[0] = '7';
    FAKE_BAD("phone", longer, "PL", "too long for a phone number");
}

/* field "person.mobile" { type = "phone", kind = "mobile" } */
static void kind_of_field(void **state)
{
    fake_kind = "mobile";
    FAKE_OK("phone", "601 234 567", "PL", "+48601234567");
    FAKE_BAD("phone", "22 629 90 00", "PL",
             "'22 629 90 00' is a fixed_line number, but the field takes mobile only");
    FAKE_BAD("phone", "800 123 456", "PL", "is a toll_free number");
    /* Where the plan cannot tell, the number may be a mobile. */
    FAKE_OK("phone", "(202) 456-1111", "US", "+12024561111");
    fake_kind = "fixed_line, voip";
    FAKE_OK("phone", "22 629 90 00", "PL", "+48226299000");
    FAKE_BAD("phone", "601 234 567", "PL", "is a mobile number");
    fake_kind = "mobil";
    FAKE_BAD("phone", "601 234 567", "PL", "the field's kind 'mobil' is not a phone number type");
    fake_kind = NULL;
    FAKE_OK("phone", "22 629 90 00", "PL", "+48226299000");
}

static void national_and_valid(void **state)
{
    /* Plugin 1.x wrote the digits only (09132549263, 89772920115); now as the country writes. */
    FAKE_OK("phone.national", "+989132549263", NULL, "0913 254 9263");
    FAKE_OK("phone.national", "+48789658648", NULL, "789 658 648");
    FAKE_OK("phone.national", "+79772920115", NULL, "8 (977) 292-01-15");
    FAKE_OK("phone.national", "+12125550100", NULL, "(212) 555-0100");
    FAKE_OK("phone.national", "+852 2123 4567", NULL, "2123 4567");
    FAKE_OK("phone.e164", "8 977 292 01 15", "RU", "+79772920115");
    FAKE_OK("phone.valid", "789 658 648", "PL", "789 658 648");
    FAKE_BAD("phone.valid", "789 658 64", "PL", "got 8");
    FAKE_BAD("phone.type", "789 658 64", "PL", "got 8");
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
    assert_int_equal(fake_init("default_country", "XX", msg, sizeof msg), KT_PLUGIN_FAIL);
    assert_int_equal(fake_init(NULL, NULL, msg, sizeof msg), KT_PLUGIN_OK);
}

static void small_output_buffer(void **state)
{
    char out[5], msg[128];
    void *ud;
    kt_plugin_value_fn fn = fake_fn_ud("phone", &ud);
    assert_int_equal(fn(ud, "+48789658648", NULL, out, sizeof out, msg, sizeof msg),
                     KT_PLUGIN_FAIL);
    assert_non_null(strstr(msg, "does not fit"));
    fn = fake_fn_ud("phone.type", &ud);
    assert_int_equal(fn(ud, "+48789658648", NULL, out, sizeof out, msg, sizeof msg),
                     KT_PLUGIN_FAIL);
    assert_non_null(strstr(msg, "does not fit"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(five_spellings_one_number),
        cmocka_unit_test(countries),
        cmocka_unit_test(every_country),
        cmocka_unit_test(other_types),
        cmocka_unit_test(extensions),
        cmocka_unit_test(refusals),
        cmocka_unit_test(kind_of_field),
        cmocka_unit_test(national_and_valid),
        cmocka_unit_test(default_country_setting),
        cmocka_unit_test(small_output_buffer),
    };
    return cmocka_run_group_tests(tests, fake_setup, NULL);
}
