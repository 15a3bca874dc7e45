/* Encodings under the CSV reader: each supported one, detection (BOM, UTF-8, the cp125x
 * guess, a late switch from ASCII), characters split across chunks, invalid bytes and their
 * line. Fixtures are generated in a temp dir. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kartoteka/read.h"
#include "read/read_int.h"
#include "read_fixture.h"
#include "tmp_dir.h"

/* UTF-8 text converted to enc, written to name. */
static const char *put_enc(const char *name, const char *enc, const char *bom, const char *utf8)
{
    iconv_t cd = iconv_open(enc, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t n = strlen(utf8), bl = bom ? strlen(bom) : 0, ol = n * 4 + 8;
    char *out = malloc(ol + bl), *op = out + bl, *ip = (char *)utf8;
    if (bl) memcpy(out, bom, bl);
    if (bom && !strcmp(enc, "UTF-16LE")) out[0] = '\xFF', out[1] = '\xFE', bl = 2, op = out + 2;
    assert_true(iconv(cd, &ip, &n, &op, &ol) != (size_t)-1);
    iconv_close(cd);
    const char *p = kt_test_put(name, out, (size_t)(op - out));
    free(out);
    return p;
}

static const char *want_enc;

static void expect_text(const char *path, const kt_read_opts *o, const char *k0, const char *v0,
                        const char *v1)
{
    kt_reader *rd = kt_test_open("csv", path, o);
    if (want_enc) assert_string_equal(kt_reader_encoding(rd), want_enc);
    const kt_read_row *r = kt_test_next(rd);
    assert_string_equal(r->keys[0], k0);
    assert_string_equal(r->values[0], v0);
    assert_string_equal(r->values[1], v1);
    kt_reader_close(rd);
}

static void encodings(void **state)
{
    const char *pl = "Imię;Nazwisko;Miejscowość\nJózef;Małysz;Łódź\nAgnieszka;Napierała;"
                     "Świeradów-Zdrój\nŻaneta;Gąsior;Kraków\n";
    const char *p = put_enc("pl.csv", "CP1250", NULL, pl);
    want_enc = "CP1250";
    expect_text(p, NULL, "Imię", "Józef", "Małysz");
    kt_read_opts o = {.encoding = "cp1250"};
    expect_text(p, &o, "Imię", "Józef", "Małysz");
    p = put_enc("l2.csv", "ISO-8859-2", NULL, pl);
    want_enc = NULL;
    o.encoding = "iso-8859-2";
    expect_text(p, &o, "Imię", "Józef", "Małysz");
    const char *ru = "Имя;Фамилия;Город\nКира;Рыбакова;Слюдянка\nОЛЬГА;ИВАНОВА;МОСКВА\n";
    p = put_enc("ru.csv", "CP1251", NULL, ru);
    want_enc = "CP1251";
    expect_text(p, NULL, "Имя", "Кира", "Рыбакова");
    const char *ar = "الاسم;العائلة\nعلي;محمد\nأحمد;حسن\nمريم;الكاظمي\n";
    p = put_enc("ar.csv", "CP1256", NULL, ar);
    want_enc = "CP1256";
    expect_text(p, NULL, "الاسم", "علي", "محمد");
    p = put_enc("u16.csv", "UTF-16LE", "\xFF\xFE", "name,city\nКира,Łódź\n");
    want_enc = "UTF-16LE";
    expect_text(p, NULL, "name", "Кира", "Łódź");
    p = put_enc("u16be.csv", "UTF-16BE", NULL, "\xEF\xBB\xBFname,city\nКира,Łódź\n");
    want_enc = "UTF-16BE";
    expect_text(p, NULL, "name", "Кира", "Łódź");
    want_enc = NULL;
}

static void detection_guesses(void **state)
{
    assert_string_equal(rd_guess_8bit((const unsigned char *)"Ma\xB3ysz J\xF3zef", 12).encoding,
                        "CP1250");
    assert_string_equal(rd_guess_8bit((const unsigned char *)"\xCA\xE8\xF0\xE0", 4).encoding,
                        "CP1251");
    assert_string_equal(rd_guess_8bit((const unsigned char *)"\xDA\xE1\xED", 3).encoding, "CP1256");
    /* ASCII for longer than the sample, then cp1250: the reader switches, nothing lost. */
    size_t n = 200000;
    char *big = malloc(n + 64);
    strcpy(big, "a,b\n");
    size_t len = 4;
    while (len < n)
        len += (size_t)sprintf(big + len, "x%zu,y\n", len);
    len += (size_t)sprintf(big + len, "Ma\xB3ysz,\xA3\xF3"
                                      "d\x9F\n");
    const char *p = kt_test_put("late.csv", big, len);
    free(big);
    kt_reader *rd = kt_test_open("csv", p, NULL);
    const kt_read_row *r;
    kt_error err;
    const kt_read_row *last = NULL;
    long count = 0;
    while (kt_reader_next(rd, &r, &err) == KT_OK)
        last = r, count++;
    assert_int_equal(err.code, KT_NOTFOUND);
    assert_non_null(last);
    assert_string_equal(last->values[0], "Małysz");
    assert_string_equal(last->values[1], "Łódź");
    assert_int_equal(last->line, count + 1);
    kt_reader_close(rd);
}

/* Western European text was read as cp1250 ("Hélčne Müller", "François Lefčvre") without a
 * word: it is told apart by its letters now, Polish, Czech and Hungarian still cp1250. */
static void western_european(void **state)
{
    const char *fr = "prénom;nom;ville\nHélène;Müller;Zürich\nFrançois;Lefèvre;Orléans\n"
                     "Jean-Loïc;Bréhat;Besançon\nJosé;Peña;Córdoba\n";
    const char *p = put_enc("fr.csv", "CP1252", NULL, fr);
    want_enc = NULL;
    kt_reader *rd = kt_test_open("csv", p, NULL);
    const kt_read_row *r = kt_test_next(rd);
    assert_string_equal(r->values[0], "Hélène");
    assert_string_equal(r->values[1], "Müller");
    r = kt_test_next(rd);
    assert_string_equal(r->values[1], "Lefèvre");
    assert_string_equal(kt_reader_encoding(rd), "CP1252");
    int detected = 0;
    assert_true(kt_reader_encoding_confidence(rd, &detected) >= 0.9);
    assert_int_equal(detected, 1);
    kt_reader_close(rd);
    /* Latin-1 is read the same (cp1252 only adds characters in 0x80-0x9F) */
    p = put_enc("l1.csv", "ISO-8859-1", NULL,
                "nom;ville\nRené Gérard;Besançon\nAmélie Poulain;Nîmes\nZoë Lefèvre;Orléans\n");
    rd = kt_test_open("csv", p, NULL);
    assert_string_equal(kt_test_next(rd)->values[0], "René Gérard");
    assert_string_equal(kt_reader_encoding(rd), "CP1252");
    kt_reader_close(rd);
    p = put_enc("de.csv", "CP1252", NULL, "Name;Straße\nJürgen Groß;Königsallee\n");
    rd = kt_test_open("csv", p, NULL);
    assert_string_equal(kt_test_next(rd)->values[0], "Jürgen Groß");
    kt_reader_close(rd);
    /* Central European stays cp1250; Polish in ISO-8859-2 is recognised as such */
    const char *cz = "jméno;město\nJiří Dvořák;České Budějovice\nŽaneta Šťastná;Plzeň\n";
    const char *hu = "név;város\nKovács Gábor;Győr\nSzőke Zsófia;Pécs\nTóth Árpád;Szűcs\n";
    const char *pl = "imię;miasto\nAgnieszka Napierała;Świeradów-Zdrój\nŻaneta Gąsior;Łódź\n";
    const char *texts[] = {cz, hu, pl, pl};
    const char *encs[] = {"CP1250", "CP1250", "CP1250", "ISO-8859-2"};
    for (int i = 0; i < 4; i++) {
        p = put_enc("ce.csv", encs[i], NULL, texts[i]);
        rd = kt_test_open("csv", p, NULL);
        kt_test_next(rd);
        assert_string_equal(kt_reader_encoding(rd), encs[i]);
        assert_true(kt_reader_encoding_confidence(rd, NULL) >= 0.9);
        kt_reader_close(rd);
    }
    /* only "ó": every Latin code page reads the same text, nothing to be unsure about */
    p = put_enc("jo.csv", "CP1250", NULL, "a\nJózef\n");
    rd = kt_test_open("csv", p, NULL);
    assert_string_equal(kt_test_next(rd)->values[0], "Józef");
    assert_true(kt_reader_encoding_confidence(rd, NULL) >= 0.9);
    kt_reader_close(rd);
}

/* One word cannot tell French "è" from Czech "č": stop and ask rather than guess. */
static void unsure_asks(void **state)
{
    int detected = 1;
    const char *p = put_enc("unsure.csv", "CP1252", NULL, "name\nLefèvre\n");
    kt_reader *rd = NULL;
    kt_error err;
    assert_int_equal(kt_reader_open(NULL, p, "csv", NULL, &rd, &err), KT_INVALID);
    assert_null(rd);
    assert_non_null(strstr(err.message, "cannot tell the encoding"));
    assert_non_null(strstr(err.message, "CP1252"));
    assert_non_null(strstr(err.message, "CP1250"));
    assert_non_null(strstr(err.message, "read = { encoding = "));
    kt_read_opts o = {.encoding = "cp1252"};
    rd = kt_test_open("csv", p, &o);
    assert_string_equal(kt_test_next(rd)->values[0], "Lefèvre");
    assert_true(kt_reader_encoding_confidence(rd, &detected) == 1);
    assert_int_equal(detected, 0);
    kt_reader_close(rd);
}

static void split_multibyte(void **state)
{
    /* "żółw" rows so that sequences straddle every 64 KiB chunk boundary somewhere. */
    FILE *f;
    char path[512];
    snprintf(path, sizeof path, "%s/mb.csv", kt_test_dir);
    assert_non_null(f = fopen(path, "wb"));
    fputs("k,v\n", f);
    for (int i = 0; i < 30000; i++)
        fputs("żółw,ąę\n", f);
    fclose(f);
    kt_reader *rd = kt_test_open("csv", path, NULL);
    const kt_read_row *r;
    kt_error err;
    int rows = 0;
    while (kt_reader_next(rd, &r, &err) == KT_OK) {
        assert_string_equal(r->values[0], "żółw");
        assert_string_equal(r->values[1], "ąę");
        assert_int_equal(r->line, rows + 2);
        rows++;
    }
    assert_int_equal(rows, 30000);
    kt_reader_close(rd);
}

static void invalid_bytes(void **state)
{
    kt_error err;
    kt_read_opts o = {.encoding = "utf-8"};
    const char *p = kt_test_put_text("bad.csv", "a,b\n1,2\n3,\xFF\n");
    assert_int_equal(kt_test_read_all("csv", p, &o, &err), KT_INVALID);
    assert_non_null(strstr(err.message, "line 3"));
    assert_non_null(strstr(err.message, "bad.csv"));
    p = kt_test_put_text("bad2.csv", "a,b\nż,1\n\"x\ny\",2\n\xC3\x28,3\n");
    assert_int_equal(kt_test_read_all("csv", p, NULL, &err), KT_INVALID);
    assert_non_null(strstr(err.message, "line 5"));
    o.encoding = "cp1250";
    p = kt_test_put_text("bad3.csv", "a,b\n1,\x98\n");
    assert_int_equal(kt_test_read_all("csv", p, &o, &err), KT_INVALID);
    assert_non_null(strstr(err.message, "line 2"));
    o.encoding = "no-such-encoding";
    assert_int_equal(kt_test_read_all("csv", p, &o, &err), KT_INVALID);
    assert_non_null(strstr(err.message, "no-such-encoding"));
    assert_int_equal(kt_test_read_all("csv", "/nonexistent/x.csv", NULL, &err), KT_NOTFOUND);
    assert_int_equal(kt_test_read_all("csv", kt_test_dir, NULL, &err), KT_IO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(encodings),        cmocka_unit_test(detection_guesses),
        cmocka_unit_test(western_european), cmocka_unit_test(unsure_asks),
        cmocka_unit_test(split_multibyte),  cmocka_unit_test(invalid_bytes),
    };
    return cmocka_run_group_tests(tests, kt_test_dir_setup, kt_test_dir_teardown);
}
