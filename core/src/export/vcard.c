/* vCard 4.0 (RFC 6350) for export: people as cards; other entities by their name or title. */
#include <stdio.h>
#include <string.h>

#include "export/export_int.h"

/* Appends text with the RFC 6350 escapes (backslash, comma, semicolon, newline). */
static void esc(kt_buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '\\' || *s == ',' || *s == ';')
            kt_buf_putc(b, '\\', NULL), kt_buf_putc(b, *s, NULL);
        else if (*s == '\n')
            kt_buf_puts(b, "\\n", NULL);
        else if (*s != '\r')
            kt_buf_putc(b, *s, NULL);
    }
}

static void prop(kt_buf *b, const char *name, const char *value)
{
    if (!value || !*value) return;
    kt_buf_puts(b, name, NULL);
    kt_buf_putc(b, ':', NULL);
    esc(b, value);
    kt_buf_puts(b, "\r\n", NULL);
}

void ex_vcard(ex_state *x, const kt_record *r)
{
    kt_buf *b = &x->buf;
    kt_buf_reset(b);
    const char *first = kt_record_text(r, "first_name"), *last = kt_record_text(r, "last_name");
    const char *name = kt_record_text(r, "name");
    if (!name) name = kt_record_text(r, "title");
    kt_buf_puts(b, "BEGIN:VCARD\r\nVERSION:4.0\r\n", NULL);
    if (first || last) {
        kt_buf_puts(b, "FN:", NULL);
        esc(b, first);
        if (first && last) kt_buf_putc(b, ' ', NULL);
        esc(b, last);
        kt_buf_puts(b, "\r\nN:", NULL);
        esc(b, last);
        kt_buf_putc(b, ';', NULL);
        esc(b, first);
        kt_buf_puts(b, ";;;\r\n", NULL);
    } else {
        char fallback[32];
        snprintf(fallback, sizeof fallback, "%s %lld", r->entity, r->id);
        prop(b, "FN", name ? name : fallback);
        if (strcmp(r->entity, "company") == 0) prop(b, "KIND", "org");
    }
    char uid[48];
    snprintf(uid, sizeof uid, "kartoteka:%lld", r->id);
    prop(b, "UID", uid);
    prop(b, "EMAIL;TYPE=work", kt_record_text(r, "email"));
    prop(b, "EMAIL;TYPE=home", kt_record_text(r, "personal_email"));
    prop(b, "TEL;TYPE=cell", kt_record_text(r, "mobile"));
    prop(b, "TEL;TYPE=work", kt_record_text(r, "work_phone"));
    const char *bday = kt_record_text(r, "birth_date");
    if (bday && strlen(bday) == 10) {
        char d[9] = {bday[0], bday[1], bday[2], bday[3], bday[5], bday[6], bday[8], bday[9], 0};
        prop(b, "BDAY", d);
    }
    const char *street = kt_record_text(r, "street"), *city = kt_record_text(r, "city");
    const char *postal = kt_record_text(r, "postal_code"), *country = kt_record_text(r, "country");
    if (street || city || postal || country) {
        kt_buf_puts(b, "ADR:;;", NULL);
        esc(b, street);
        kt_buf_putc(b, ';', NULL);
        esc(b, city);
        kt_buf_puts(b, ";;", NULL);
        esc(b, postal);
        kt_buf_putc(b, ';', NULL);
        esc(b, country);
        kt_buf_puts(b, "\r\n", NULL);
    }
    prop(b, "TITLE", kt_record_text(r, "job_title"));
    prop(b, "NOTE", kt_record_text(r, "notes"));
    kt_buf_puts(b, "END:VCARD\r\n", NULL);
    if (fwrite(b->data, 1, b->len, x->out) != b->len)
        x->st = kt_error_set(x->err, KT_IO, "writing the export");
}
