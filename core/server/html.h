/* An HTML builder that escapes every value by construction: text and attribute values are
 * always escaped, tag and attribute names must be literal lowercase names (anything else is
 * dropped), so a page cannot carry markup that came from a record, a form or a URL. The only
 * unescaped output is html_raw_static for markup written in our own source. */
#ifndef KT_SERVER_HTML_H
#define KT_SERVER_HTML_H

#include <stddef.h>

#include "kartoteka/buf.h"

typedef struct html {
    kt_buf b;   /* owned: the page so far */
    int failed; /* out of memory on the way: the page must not be sent */
} html;

#define HTML_INIT                                                                                  \
    {                                                                                              \
        KT_BUF_INIT, 0                                                                             \
    }

/* Ends attribute lists. */
#define HTML_END ((const char *)0)

/* Text between tags, escaped (& < > " '). NULL writes nothing. */
void html_text(html *h, const char *text);
/* The first n bytes of text, escaped. */
void html_textn(html *h, const char *text, size_t n);
/* A number as text. */
void html_num(html *h, long long n);
/* <tag name="value" ...>: attribute pairs end with HTML_END; a NULL value leaves its attribute
 * out; a value of "" for one of the boolean attributes (checked, selected, required, ...) is
 * written bare. */
void html_open(html *h, const char *tag, ...);
/* The same with the pairs as a NULL-ended array (attrs may be NULL). */
void html_open_attrs(html *h, const char *tag, const char *const *attrs);
void html_close(html *h, const char *tag);
/* <tag attrs>text</tag>. */
void html_el(html *h, const char *tag, const char *text, ...);
/* Markup from our own source only (a string literal): "<!DOCTYPE html>", "<br>". */
#define html_raw_static(h, lit) html_raw_((h), "" lit "")
void html_raw_(html *h, const char *literal);
/* Percent-encodes text for a URL's query value into out (for an href built by the caller). */
void html_url_value(kt_buf *out, const char *text);
/* Appends what part built (escaped by this builder already) and frees part. */
void html_append(html *h, html *part);
/* The page, handed over (caller frees with kt_free); NULL when building failed. */
char *html_take(html *h, size_t *len);
void html_free(html *h);

#endif
