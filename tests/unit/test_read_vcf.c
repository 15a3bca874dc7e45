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
#include "kartoteka/value.h"
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

/* A birthday without a year is not passed on raw: "--02-03", which a date field refuses by
 * name; a time after the date is dropped. */
static void birthdays(void **state)
{
    const char *p = kt_test_put_text(
        "bday.vcf", "BEGIN:VCARD\nFN:a\nBDAY:--0203\nEND:VCARD\n"
                    "BEGIN:VCARD\nFN:b\nBDAY;VALUE=date:--02-03\nEND:VCARD\n"
                    "BEGIN:VCARD\nFN:c\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-02-03\nEND:VCARD\n"
                    "BEGIN:VCARD\nFN:d\nBDAY:1980-07-01T00:00:00Z\nEND:VCARD\n"
                    "BEGIN:VCARD\nFN:e\nBDAY;VALUE=text:circa 1800\nEND:VCARD\n");
    kt_reader *rd = kt_test_open("vcf", p, NULL);
    const char *want[] = {"--02-03", "--02-03", "--02-03", "1980-07-01", "circa 1800"};
    for (int i = 0; i < 5; i++)
        assert_string_equal(kt_test_get(kt_test_next(rd), "bday"), want[i]);
    kt_reader_close(rd);
    char out[KT_DATE_SIZE];
    kt_error err;
    assert_int_equal(kt_value_parse_date("--02-03", out, &err), KT_INVALID);
    assert_non_null(strstr(err.message, "no year"));
}

/* ez-vcard's issue 114: an unquoted LABEL= holding ':' must not leak into the address. */
static void unquoted_label(void **state)
{
    const char *p = kt_test_put_text(
        "label.vcf", "BEGIN:VCARD\nVERSION:4.0\nFN:Dummy\n"
                     "ADR;TYPE=work;LABEL=Dummy-Strasse 1 61352 Bad Homburg^nGERMANY^': BH\n"
                     " G01:^n61352 Bad Homburg^nGERMANY:61352 Bad Homburg\\nGERMANY:;BHG01:;Dumm\n"
                     " y-Strasse 1;Bad Homburg;;61352;Germany\n"
                     "ADR;TYPE=home;LABEL=\"Main St: 1\":;;Main St 1;Austin;TX;12345;USA\n"
                     "END:VCARD\n");
    kt_reader *rd = kt_test_open("vcf", p, NULL);
    const kt_read_row *r = kt_test_next(rd);
    assert_string_equal(kt_test_get(r, "adr.pobox"), "(missing)");
    assert_string_equal(kt_test_get(r, "adr.ext"), "BHG01:");
    assert_string_equal(kt_test_get(r, "adr.street"), "Dummy-Strasse 1");
    assert_string_equal(kt_test_get(r, "adr.locality"), "Bad Homburg");
    assert_string_equal(kt_test_get(r, "adr.code"), "61352");
    assert_string_equal(kt_test_get(r, "adr.country"), "Germany");
    assert_string_equal(kt_test_get(r, "adr.type"), "work");
    assert_string_equal(kt_test_get(r, "adr2.street"), "Main St 1");
    assert_string_equal(kt_test_get(r, "adr2.type"), "home");
    kt_reader_close(rd);
}

/* A line inside a card that is no property is reported with its line, not dropped; blank
 * lines and 2.1 base64 data running on unindented are not such lines. */
static void line_without_colon(void **state)
{
    const char *p = kt_test_put_text("nocolon.vcf", "BEGIN:VCARD\nVERSION:3.0\nFN:Ola Lis\n"
                                                    "EMAIL ola@example.com\nEND:VCARD\n");
    kt_reader *rd = kt_test_open("vcf", p, NULL);
    const kt_read_row *r;
    kt_error err;
    assert_int_equal(kt_reader_next(rd, &r, &err), KT_INVALID);
    assert_non_null(strstr(err.message, "line 4"));
    assert_non_null(strstr(err.message, "EMAIL ola@example.com"));
    kt_reader_close(rd);
    p = kt_test_put_text("b64.vcf", "BEGIN:VCARD\nVERSION:2.1\nFN:Ola\n\n"
                                    "PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQ\nSkZJRgABAQ\n\n"
                                    "TEL;CELL:123\nEND:VCARD\n");
    rd = kt_test_open("vcf", p, NULL);
    r = kt_test_next(rd);
    assert_string_equal(kt_test_get(r, "fn"), "Ola");
    assert_string_equal(kt_test_get(r, "tel"), "123");
    kt_reader_close(rd);
}

/* A quoted-printable value ending in a stray '=' must not swallow the next property. */
static void qp_soft_break_at_end(void **state)
{
    const char *p =
        kt_test_put_text("qp2.vcf", "BEGIN:VCARD\nVERSION:2.1\n"
                                    "NOTE;ENCODING=QUOTED-PRINTABLE:pierwsza=0D=0A=\n"
                                    "druga=\n"
                                    "TEL;CELL:600100200\n"
                                    "N;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Ma=C5=82ysz;=\n"
                                    "J=C3=B3zef;;;\n"
                                    "END:VCARD\n");
    kt_reader *rd = kt_test_open("vcf", p, NULL);
    const kt_read_row *r = kt_test_next(rd);
    assert_string_equal(kt_test_get(r, "note"), "pierwsza\r\ndruga");
    assert_string_equal(kt_test_get(r, "tel"), "600100200");
    assert_string_equal(kt_test_get(r, "n.family"), "Małysz");
    assert_string_equal(kt_test_get(r, "n.given"), "Józef");
    kt_reader_close(rd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vcard3_and_4),         cmocka_unit_test(vcard21_quoted_printable),
        cmocka_unit_test(errors_and_limits),    cmocka_unit_test(birthdays),
        cmocka_unit_test(unquoted_label),       cmocka_unit_test(line_without_colon),
        cmocka_unit_test(qp_soft_break_at_end),
    };
    return cmocka_run_group_tests(tests, kt_test_dir_setup, kt_test_dir_teardown);
}
