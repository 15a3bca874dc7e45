/* vCard 4.0 (RFC 6350) for export: people as cards; other entities by their name or title.
 * Lines longer than 75 octets are folded (never inside a UTF-8 character); a record without a
 * name gets an empty FN, never a made-up one that would become a name when read back. */
#include <stdio.h>
#include <string.h>

#include "export/export_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/query.h"

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

/* The name of the company a person's company field points at, or NULL. Caller frees. */
static char *company_name(ex_state *x, const kt_record *r)
{
    kt_id id = kt_id_parse(kt_record_text(r, "company"));
    kt_record *c = NULL;
    kt_error err;
    if (!id || kt_get(x->ws, id, &c, &err)) return NULL;
    const char *name = kt_record_text(c, "name");
    char *copy = name ? kt_strdup(name) : NULL;
    kt_record_free(c);
    return copy;
}

/* RFC 6350 3.2: content lines are folded at 75 octets with CRLF and a space. */
static kt_status write_folded(ex_state *x, const char *s, size_t n)
{
    kt_buf *f = &x->fold;
    kt_buf_reset(f);
    size_t col = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r' && i + 1 < n && s[i + 1] == '\n') {
            kt_buf_puts(f, "\r\n", NULL);
            i++;
            col = 0;
            continue;
        }
        size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (col + len > 75) {
            kt_buf_puts(f, "\r\n ", NULL);
            col = 1;
        }
        for (size_t k = 0; k < len && i + k < n; k++)
            kt_buf_putc(f, s[i + k], NULL);
        i += len - 1;
        col += len;
    }
    if (fwrite(f->data, 1, f->len, x->out) != f->len)
        return x->st = kt_error_set(x->err, KT_IO, "writing the export");
    return KT_OK;
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
        kt_buf_puts(b, "FN:", NULL); /* required, and empty rather than invented */
        esc(b, name);
        kt_buf_puts(b, "\r\n", NULL);
        if (strcmp(r->entity, "company") == 0) {
            prop(b, "KIND", "org");
            prop(b, "ORG", name);
        }
    }
    /* the id it was imported under, so a card read back finds its record again */
    const char *external = kt_record_text(r, "external_id");
    char uid[48];
    snprintf(uid, sizeof uid, "kartoteka:%lld", r->id);
    prop(b, "UID", external ? external : uid);
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
    char *org = strcmp(r->entity, "person") == 0 ? company_name(x, r) : NULL;
    prop(b, "ORG", org);
    kt_free(org);
    prop(b, "TITLE", kt_record_text(r, "job_title"));
    prop(b, "NOTE", kt_record_text(r, "notes"));
    kt_buf_puts(b, "END:VCARD\r\n", NULL);
    write_folded(x, b->data, b->len);
}
