/* The HTML builder: escaping lives here, once, so no page can forget it. */
#include "html.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"

static void put(html *h, const char *s, size_t n)
{
    if (!h->failed && n && kt_buf_append(&h->b, s, n, NULL)) h->failed = 1;
}

void html_raw_(html *h, const char *literal)
{
    put(h, literal, strlen(literal));
}

void html_textn(html *h, const char *text, size_t n)
{
    if (!text) return;
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        switch (text[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        case '\0':
            rep = "";
            break;
        default:
            continue;
        }
        put(h, text + start, i - start);
        put(h, rep, strlen(rep));
        start = i + 1;
    }
    put(h, text + start, n - start);
}

void html_text(html *h, const char *text)
{
    if (text) html_textn(h, text, strlen(text));
}

void html_num(html *h, long long n)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", n);
    put(h, buf, strlen(buf));
}

/* Tag and attribute names: lowercase letters, digits and '-' only. */
static int name_ok(const char *s)
{
    if (!s || !*s) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-')) return 0;
    return 1;
}

static int boolean_attr(const char *name)
{
    static const char *const names[] = {"checked",    "selected", "required", "disabled",
                                        "autofocus",  "multiple", "hidden",   "readonly",
                                        "novalidate", "defer"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(name, names[i])) return 1;
    return 0;
}

static void attr(html *h, const char *name, const char *value)
{
    if (!value || !name_ok(name)) return;
    put(h, " ", 1);
    put(h, name, strlen(name));
    if (!*value && boolean_attr(name)) return;
    put(h, "=\"", 2);
    html_text(h, value);
    put(h, "\"", 1);
}

static int open_tag(html *h, const char *tag)
{
    if (!name_ok(tag)) {
        h->failed = 1; /* a bug in our source: never send a half-built page */
        return 0;
    }
    put(h, "<", 1);
    put(h, tag, strlen(tag));
    return 1;
}

static void open_va(html *h, const char *tag, va_list ap)
{
    if (!open_tag(h, tag)) return;
    for (;;) {
        const char *name = va_arg(ap, const char *);
        if (!name) break;
        attr(h, name, va_arg(ap, const char *));
    }
    put(h, ">", 1);
}

void html_open(html *h, const char *tag, ...)
{
    va_list ap;
    va_start(ap, tag);
    open_va(h, tag, ap);
    va_end(ap);
}

void html_open_attrs(html *h, const char *tag, const char *const *attrs)
{
    if (!open_tag(h, tag)) return;
    for (size_t i = 0; attrs && attrs[i]; i += 2)
        attr(h, attrs[i], attrs[i + 1]);
    put(h, ">", 1);
}

void html_close(html *h, const char *tag)
{
    if (!name_ok(tag)) {
        h->failed = 1;
        return;
    }
    put(h, "</", 2);
    put(h, tag, strlen(tag));
    put(h, ">", 1);
}

void html_el(html *h, const char *tag, const char *text, ...)
{
    va_list ap;
    va_start(ap, text);
    open_va(h, tag, ap);
    va_end(ap);
    html_text(h, text);
    html_close(h, tag);
}

void html_url_value(kt_buf *out, const char *text)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)text; p && *p; p++) {
        int plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.';
        if (plain)
            kt_buf_putc(out, (char)*p, NULL);
        else
            kt_buf_printf(out, NULL, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
    }
}

char *html_take(html *h, size_t *len)
{
    if (h->failed) {
        html_free(h);
        return NULL;
    }
    *len = h->b.len;
    return kt_buf_take(&h->b);
}

void html_free(html *h)
{
    kt_buf_free(&h->b);
    h->failed = 0;
}

void html_append(html *h, html *part)
{
    if (part->failed) h->failed = 1;
    put(h, kt_buf_str(&part->b), part->b.len);
    html_free(part);
}
