/* The vCard reader: 3.0 and 4.0 cards, folding, repeated properties, 2.1 quoted-printable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kartoteka/read.h"
#include "read_fixture.h"
#include "tmp_dir.h"

static void vcard3_and_4(void **state)
{
    const char *p =
        kt_test_put_text("a.vcf", "BEGIN:VCARD\r\n"
                                  "VERSION:3.0\r\n"
                                  "N:Napierała;Julian;Maria;Dr.;\r\n"
                                  "FN:Julian Napierała\r\n"
                                  "ORG:Firma\\, S.A.;Sprzedaż\r\n"
                                  "TITLE:Kierownik\r\n"
                                  "EMAIL;TYPE=INTERNET,WORK:julian@firma.pl\r\n"
                                  "EMAIL;TYPE=HOME:j@dom.pl\r\n"
                                  "TEL;TYPE=CELL:+48 789 658 648\r\n"
                                  "item1.TEL:+48 22 123 45 67\r\n"
                                  "ADR;TYPE=WORK:;;ul. Długa 5;Warszawa;;00-001;Polska\r\n"
                                  "BDAY:19421125\r\n"
                                  "NOTE:line one\\nline two\\; and a very long note that is \r\n"
                                  " folded\r\n"
                                  "\t and folded again\r\n"
                                  "X-PETS:dog\r\n"
                                  "PHOTO;ENCODING=b;TYPE=JPEG:QUJD\r\n"
                                  "END:VCARD\r\n"
                                  "\r\n"
                                  "BEGIN:VCARD\n"
                                  "VERSION:4.0\n"
                                  "FN:Кира Рыбакова\n"
                                  "N:Рыбакова;Кира;;;\n"
                                  "TEL;VALUE=uri;TYPE=\"voice,cell\":tel:+7-977-292-01-15\n"
                                  "EMAIL;PREF=1:kira@example.ru\n"
                                  "BDAY:1980-07-01\n"
                                  "END:VCARD\n");
    kt_reader *rd = NULL;
    kt_error err;
    assert_int_equal(kt_reader_open(NULL, p, NULL, NULL, &rd, &err), KT_OK);
    const kt_read_row *r = kt_test_next(rd);
    assert_int_equal(r->line, 1);
    assert_string_equal(kt_test_get(r, "version"), "3.0");
    assert_string_equal(kt_test_get(r, "n.family"), "Napierała");
    assert_string_equal(kt_test_get(r, "n.given"), "Julian");
    assert_string_equal(kt_test_get(r, "n.additional"), "Maria");
    assert_string_equal(kt_test_get(r, "n.prefix"), "Dr.");
    assert_string_equal(kt_test_get(r, "fn"), "Julian Napierała");
    assert_string_equal(kt_test_get(r, "org"), "Firma, S.A.");
    assert_string_equal(kt_test_get(r, "org.unit"), "Sprzedaż");
    assert_string_equal(kt_test_get(r, "title"), "Kierownik");
    assert_string_equal(kt_test_get(r, "email"), "julian@firma.pl");
    assert_string_equal(kt_test_get(r, "email.type"), "internet,work");
    assert_string_equal(kt_test_get(r, "email2"), "j@dom.pl");
    assert_string_equal(kt_test_get(r, "email2.type"), "home");
    assert_string_equal(kt_test_get(r, "tel"), "+48 789 658 648");
    assert_string_equal(kt_test_get(r, "tel.type"), "cell");
    assert_string_equal(kt_test_get(r, "tel2"), "+48 22 123 45 67");
    assert_string_equal(kt_test_get(r, "adr.street"), "ul. Długa 5");
    assert_string_equal(kt_test_get(r, "adr.locality"), "Warszawa");
    assert_string_equal(kt_test_get(r, "adr.code"), "00-001");
    assert_string_equal(kt_test_get(r, "adr.country"), "Polska");
    assert_string_equal(kt_test_get(r, "adr.type"), "work");
    assert_string_equal(kt_test_get(r, "bday"), "1942-11-25");
    assert_string_equal(kt_test_get(r, "note"),
                        "line one\nline two; and a very long note that is folded and folded again");
    assert_string_equal(kt_test_get(r, "x-pets"), "dog");
    assert_string_equal(kt_test_get(r, "photo"), "(missing)");
    r = kt_test_next(rd);
    assert_int_equal(r->line, 20);
    assert_string_equal(kt_test_get(r, "version"), "4.0");
    assert_string_equal(kt_test_get(r, "fn"), "Кира Рыбакова");
    assert_string_equal(kt_test_get(r, "n.given"), "Кира");
    assert_string_equal(kt_test_get(r, "tel"), "+7-977-292-01-15");
    assert_string_equal(kt_test_get(r, "tel.type"), "voice,cell");
    assert_string_equal(kt_test_get(r, "email"), "kira@example.ru");
    assert_string_equal(kt_test_get(r, "bday"), "1980-07-01");
    assert_int_equal(kt_reader_next(rd, &r, &err), KT_NOTFOUND);
    kt_reader_close(rd);
}

static void vcard21_quoted_printable(void **state)
{
    const char *p =
        kt_test_put_text("q.vcard", "BEGIN:VCARD\nVERSION:2.1\nN:Ma=C5=82ysz;J=C3=B3zef\n"
                                    "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Pierwsza=0D=0A=\n"
                                    "druga linia =3D ok\nTEL;WORK;VOICE:123\nEND:VCARD\n");
    kt_reader *rd = NULL;
    kt_error err;
    assert_int_equal(kt_reader_open(NULL, p, NULL, NULL, &rd, &err), KT_OK);
    const kt_read_row *r = kt_test_next(rd);
    assert_string_equal(kt_test_get(r, "note"), "Pierwsza\r\ndruga linia = ok");
    assert_string_equal(kt_test_get(r, "tel"), "123");
    assert_string_equal(kt_test_get(r, "tel.type"), "work,voice");
    assert_string_equal(kt_test_get(r, "n.family"), "Ma=C5=82ysz");
    kt_reader_close(rd);
}

static void errors_and_limits(void **state)
{
    kt_error err;
    kt_reader *rd = NULL;
    const kt_read_row *r;
    const char *p =
        kt_test_put_text("cut.vcf", "BEGIN:VCARD\nFN:a\nEND:VCARD\nBEGIN:VCARD\nFN:b\n");
    assert_int_equal(kt_reader_open(NULL, p, "vcf", NULL, &rd, &err), KT_OK);
    assert_int_equal(kt_reader_next(rd, &r, &err), KT_OK);
    assert_int_equal(kt_reader_next(rd, &r, &err), KT_INVALID);
    assert_non_null(strstr(err.message, "line 4"));
    kt_reader_close(rd);
    p = kt_test_put_text("big.vcf",
                         "BEGIN:VCARD\nFN:a\nNOTE:0123456789012345678901234567890123456789\n"
                         "END:VCARD\n");
    kt_read_opts o = {.max_cell = 20};
    assert_int_equal(kt_reader_open(NULL, p, "vcf", &o, &rd, &err), KT_OK);
    assert_int_equal(kt_reader_next(rd, &r, &err), KT_LIMIT);
    assert_non_null(strstr(err.message, "line 3"));
    assert_non_null(strstr(err.message, "max_cell"));
    kt_reader_close(rd);
    kt_read_opts f = {.max_fields = 1};
    assert_int_equal(kt_reader_open(NULL, p, "vcf", &f, &rd, &err), KT_OK);
    assert_int_equal(kt_reader_next(rd, &r, &err), KT_LIMIT);
    kt_reader_close(rd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vcard3_and_4),
        cmocka_unit_test(vcard21_quoted_printable),
        cmocka_unit_test(errors_and_limits),
    };
    return cmocka_run_group_tests(tests, kt_test_dir_setup, kt_test_dir_teardown);
}
