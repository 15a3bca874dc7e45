/* The web face (issue 19): server-rendered pages at / over the same core, write door and roles
 * as the API. One file per job: web_route.c (paths, sessions, CSRF), web_form.c (form bodies),
 * web_words.c (the interface's words per language), web_page.c (the page frame, values as
 * people read them), and one file per page group (web_login.c, web_list.c, web_record.c,
 * web_card.c, web_board.c, web_report.c, web_import.c, web_dupes.c, web_settings.c,
 * web_today.c). Pages are built with html.h, which escapes every value. */
#ifndef KT_SERVER_WEB_H
#define KT_SERVER_WEB_H

#include "html.h"
#include "kartoteka/query.h"
#include "kartoteka/registry.h"
#include "server.h"

#define WEB_MAX_SEGS 6

/* One value of a submitted form (urlencoded or multipart). */
typedef struct web_value {
    char *name;     /* owned */
    kt_buf value;   /* owned */
    char *filename; /* owned: an uploaded file's name, or NULL */
} web_value;

typedef struct web_form {
    web_value *items; /* owned */
    size_t n, cap;
} web_form;

/* A page request. */
typedef struct web_req {
    srv_req *r;                    /* borrowed: the HTTP request */
    kt_ws *ws;                     /* borrowed: the worker's workspace */
    const char *seg[WEB_MAX_SEGS]; /* the path's parts, pointing into segbuf */
    size_t nseg;
    char segbuf[256];
    int post;
    web_form form; /* a POST's values */
    int logged_in;
    kt_actor actor;                 /* who asks, when logged_in */
    char csrf[KT_SESSION_TEXT_MAX]; /* the session's CSRF token, for the forms of the page */
    char lang[4];                   /* "en", "pl", "ru", "fa" */
} web_req;

/* web_route.c: everything not under /api/v1. */
enum MHD_Result srv_web(srv_req *r, const char *url);

/* web_form.c */
kt_status web_form_parse(web_req *w, kt_error *err);
void web_form_free(web_form *f);
/* The first value named name, or NULL. Borrowed. */
const char *web_form_get(const web_form *f, const char *name);
const web_value *web_form_value(const web_form *f, const char *name);
/* Every value named name, up to max, into out; returns how many. */
size_t web_form_all(const web_form *f, const char *name, const char **out, size_t max);

/* web_words.c: the interface's own word for key (an English phrase) in the page's language;
 * key itself when there is none. Static. */
const char *web_word(const web_req *w, const char *key);
/* A registry label (JSON object by language) in the page's language, else English, else
 * fallback; written into buf. */
const char *web_label(const web_req *w, const char *label_json, const char *fallback, char *buf,
                      size_t size);
const char *web_field_label(const web_req *w, const kt_field *f, char *buf, size_t size);
const char *web_entity_label(const web_req *w, const char *entity, char *buf, size_t size);

/* web_page.c: the frame of every page: head, the navigation (only what the role may use),
 * the search box; then the caller's content; then the end. */
void web_page_begin(web_req *w, html *h, const char *title);
void web_page_end(web_req *w, html *h);
/* A reply's body and how to send it. */
typedef struct web_body {
    char *data; /* the bytes: freed with kt_free after sending when owned */
    size_t len;
    int owned;               /* else static: never freed */
    const char *type;        /* Content-Type */
    const char *disposition; /* Content-Disposition, or NULL */
    const char *csp, *cache; /* NULL: the pages' CSP, no-store */
} web_body;
/* Sends b with the headers every reply carries (nosniff, CSP, no caching by default). */
enum MHD_Result web_send_body(web_req *w, unsigned status, const web_body *b);
/* Sends h as the page (text/html) with the headers every page carries. */
enum MHD_Result web_send(web_req *w, html *h, unsigned status);
/* The same with more headers: name, value pairs, NULL-ended (a cookie to set). */
enum MHD_Result web_send_with(web_req *w, html *h, unsigned status, const char *const *headers);
/* 303 See Other to location (a path of ours); headers: name, value pairs, NULL-ended, or NULL. */
enum MHD_Result web_redirect(web_req *w, const char *location, const char *const *headers);
/* A page saying what went wrong (403, 404, ...). */
enum MHD_Result web_fail(web_req *w, unsigned status, const char *message);
/* The hidden CSRF input every POST form carries. */
void web_csrf_input(web_req *w, html *h);
/* Does the actor's role allow act on entity? */
int web_may(web_req *w, kt_act act, const char *entity);
/* A stored value as people read it (sets joined by ", "). buf is scratch. */
const char *web_value_text(web_req *w, const kt_field *f, const kt_record *rec, char *buf,
                           size_t size);
/* A date or a decimal in the page's language's format ("01.03.2024", "12,50" in pl and ru);
 * other text as it is. Returns buf or text. */
const char *web_local_text(const web_req *w, kt_type_kind kind, const char *text, char *buf,
                           size_t size);
/* A short name of a record ("Anna Nowak", a company's name, a deal's title). */
void web_record_name(web_req *w, const kt_record *rec, char *buf, size_t size);
/* A link to a record's card, named after it. */
void web_record_link(web_req *w, html *h, kt_id id);
/* A POST form with one button (and optional hidden pairs, NULL-ended). */
void web_button_form(web_req *w, html *h, const char *action, const char *label,
                     const char *const *hidden);

/* The pages. Each replies. */
enum MHD_Result web_login(web_req *w);
enum MHD_Result web_logout(web_req *w);
enum MHD_Result web_find(web_req *w);
enum MHD_Result web_list(web_req *w, const char *entity);

/* web_xlsx.c: a list's export as an XLSX workbook. A cell is shown as text; stored is the value
 * as kept (ISO date, plain number), so a date or a number becomes a typed cell; anything else,
 * formula-looking text included, is written as a string. */
typedef struct web_cell {
    const char *text;   /* borrowed */
    const char *stored; /* borrowed, or NULL */
    kt_type_kind kind;
} web_cell;
typedef struct web_xlsx web_xlsx;
web_xlsx *web_xlsx_new(void); /* caller frees with web_xlsx_free; NULL when out of memory */
void web_xlsx_free(web_xlsx *x);
/* Writes one row (heading: in bold); -1 on failure. */
int web_xlsx_row(web_xlsx *x, const web_cell *cells, size_t n, int heading);
/* Closes the workbook and hands its bytes over (*data: caller frees with kt_free); -1 on
 * failure. web_xlsx_free still follows. */
int web_xlsx_finish(web_xlsx *x, char **data, size_t *len);
enum MHD_Result web_record(web_req *w, const char *entity);
enum MHD_Result web_card(web_req *w, const char *entity, kt_id id);
/* web_privacy.c: the card's consents section and erase form (shown to a manager or owner),
 * and POST /e/person/ID/erase (reason, confirm=yes). */
void web_card_consents(web_req *w, html *h, kt_id person);
void web_erase_form(web_req *w, html *h, const kt_record *rec);
enum MHD_Result web_erase(web_req *w, kt_id id);
enum MHD_Result web_board(web_req *w);
enum MHD_Result web_reports(web_req *w);
enum MHD_Result web_import(web_req *w);
enum MHD_Result web_dupes(web_req *w);
enum MHD_Result web_settings(web_req *w);
enum MHD_Result web_today(web_req *w);
enum MHD_Result web_static(web_req *w);

#endif
