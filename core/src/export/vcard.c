/* vCard 4.0 (RFC 6350) for export: people as cards; other entities by their name or title.
 * Lines are folded at 75 octets (never inside a UTF-8 character), a person's company goes to
 * ORG, and a record without a name gets an empty FN rather than an invented one ("person 12"
 * would come back as a name). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/export_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/query.h"
#include "kartoteka/record.h"

#define VC_FOLD 75 /* octets per physical line, CRLF not counted (RFC 6350 3.2) */

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

/* Moves the logical line in l to b, folded, and empties l. */
static void flush_line(kt_buf *b, kt_buf *l)
{
    size_t at = 0, room = VC_FOLD;
    while (at < l->len) {
        size_t n = l->len - at < room ? l->len - at : room;
        /* back off to the start of a UTF-8 character */
        while (at + n < l->len && n > 1 && ((unsigned char)l->data[at + n] & 0xC0) == 0x80)
            n--;
        if (at) kt_buf_puts(b, "\r\n ", NULL);
        kt_buf_append(b, l->data + at, n, NULL);
        at += n;
        room = VC_FOLD - 1; /* a continuation line starts with a space */
    }
    kt_buf_puts(b, "\r\n", NULL);
    kt_buf_reset(l);
}

static void prop(kt_buf *b, kt_buf *l, const char *name, const char *value)
{
    if (!value || !*value) return;
    kt_buf_puts(l, name, NULL);
    kt_buf_putc(l, ':', NULL);
    esc(l, value);
    flush_line(b, l);
}

/* The name of the company a person's company field points at (*org NULL if none). */
static void company_name(ex_state *x, const kt_record *r, char **org)
{
    const char *ref = kt_record_text(r, "company");
    kt_record *c = NULL;
    *org = NULL;
    if (!ref) return;
    kt_status st = kt_get(x->ws, strtoll(ref, NULL, 10), &c, x->err);
    if (st && st != KT_NOTFOUND) x->st = st; /* never a card quietly without its ORG */
    if (st) return;
    const char *name = kt_record_text(c, "name");
    if (name && !(*org = kt_strdup(name))) x->st = kt_error_set(x->err, KT_NOMEM, "out of memory");
    kt_record_free(c);
}

void ex_vcard(ex_state *x, const kt_record *r)
{
    kt_buf *b = &x->buf, l = KT_BUF_INIT;
    kt_buf_reset(b);
    const char *first = kt_record_text(r, "first_name"), *last = kt_record_text(r, "last_name");
    const char *name = kt_record_text(r, "name");
    int company = strcmp(r->entity, "company") == 0;
    if (!name) name = kt_record_text(r, "title");
    kt_buf_puts(b, "BEGIN:VCARD\r\nVERSION:4.0\r\n", NULL);
    if (first || last) {
        kt_buf_puts(&l, "FN:", NULL);
        esc(&l, first);
        if (first && last) kt_buf_putc(&l, ' ', NULL);
        esc(&l, last);
        flush_line(b, &l);
        kt_buf_puts(&l, "N:", NULL);
        esc(&l, last);
        kt_buf_putc(&l, ';', NULL);
        esc(&l, first);
        kt_buf_puts(&l, ";;;", NULL);
        flush_line(b, &l);
    } else {
        /* FN is required; without a name it stays empty */
        kt_buf_puts(&l, "FN:", NULL);
        esc(&l, name);
        flush_line(b, &l);
        if (company) prop(b, &l, "KIND", "org");
    }
    char *org = NULL;
    if (company)
        org = name ? kt_strdup(name) : NULL;
    else if (strcmp(r->entity, "person") == 0)
        company_name(x, r, &org);
    prop(b, &l, "ORG", org);
    kt_free(org);
    char uid[48];
    snprintf(uid, sizeof uid, "kartoteka:%lld", r->id);
    prop(b, &l, "UID", uid);
    prop(b, &l, "EMAIL;TYPE=work", kt_record_text(r, "email"));
    prop(b, &l, "EMAIL;TYPE=home", kt_record_text(r, "personal_email"));
    prop(b, &l, "TEL;TYPE=cell", kt_record_text(r, "mobile"));
    prop(b, &l, "TEL;TYPE=work", kt_record_text(r, "work_phone"));
    const char *bday = kt_record_text(r, "birth_date");
    if (bday && strlen(bday) == 10) {
        char d[9] = {bday[0], bday[1], bday[2], bday[3], bday[5], bday[6], bday[8], bday[9], 0};
        prop(b, &l, "BDAY", d);
    }
    const char *street = kt_record_text(r, "street"), *city = kt_record_text(r, "city");
    const char *postal = kt_record_text(r, "postal_code"), *country = kt_record_text(r, "country");
    if (street || city || postal || country) {
        kt_buf_puts(&l, "ADR:;;", NULL);
        esc(&l, street);
        kt_buf_putc(&l, ';', NULL);
        esc(&l, city);
        kt_buf_puts(&l, ";;", NULL);
        esc(&l, postal);
        kt_buf_putc(&l, ';', NULL);
        esc(&l, country);
        flush_line(b, &l);
    }
    prop(b, &l, "TITLE", kt_record_text(r, "job_title"));
    prop(b, &l, "NOTE", kt_record_text(r, "notes"));
    kt_buf_puts(b, "END:VCARD\r\n", NULL);
    kt_buf_free(&l);
    if (fwrite(b->data, 1, b->len, x->out) != b->len)
        x->st = kt_error_set(x->err, KT_IO, "writing the export");
}
