/* Today: tasks due and overdue, birthdays and anniversaries of the next 7 days, and the last
 * import. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kartoteka/import.h"
#include "web.h"

#define SCAN_LIMIT 100000

typedef struct list {
    web_req *w;
    html *h;
    long n;
    char days[7][6]; /* "MM-DD" of today and the next six days */
} list;

static int on_task(void *ud, const kt_record *rec)
{
    list *x = ud;
    html_open(x->h, "li", HTML_END);
    html_el(x->h, "time", kt_record_text(rec, "due"), HTML_END);
    html_text(x->h, " ");
    web_record_link(x->w, x->h, rec->id);
    const char *person = kt_record_text(rec, "person");
    if (person && kt_id_parse(person)) {
        html_text(x->h, " · ");
        web_record_link(x->w, x->h, kt_id_parse(person));
    }
    html_close(x->h, "li");
    x->n++;
    return 0;
}

static int on_person(void *ud, const kt_record *rec)
{
    list *x = ud;
    static const char *const fields[] = {"birth_date", "anniversary"};
    for (size_t f = 0; f < 2; f++) {
        const char *d = kt_record_text(rec, fields[f]);
        if (!d || strlen(d) < 10) continue;
        for (int i = 0; i < 7; i++) {
            if (strcmp(d + 5, x->days[i]) != 0) continue;
            html_open(x->h, "li", HTML_END);
            html_el(x->h, "time", x->days[i], HTML_END);
            html_text(x->h, " ");
            web_record_link(x->w, x->h, rec->id);
            html_text(x->h, " · ");
            html_text(x->h, fields[f]);
            html_close(x->h, "li");
            x->n++;
        }
    }
    return 0;
}

static int on_batch(void *ud, const kt_batch_info *b)
{
    html *h = ud;
    char line[128];
    snprintf(line, sizeof line, "#%lld %s", b->id, b->status);
    html_el(h, "p", line, HTML_END);
    html_el(h, "p", b->source, HTML_END);
    html_el(h, "p", b->summary, HTML_END);
    return 1; /* the newest only */
}

static void section(web_req *w, html *h, const char *title, const char *entity, const char *where,
                    kt_record_cb cb, list *x)
{
    html part = HTML_INIT;
    x->h = &part;
    x->n = 0;
    kt_filter f[4];
    size_t nf = 0;
    kt_error err;
    if (kt_filter_parse_all(where, f, 4, &nf, &err) == KT_OK) {
        kt_list_opts o = {f, nf, 0, SCAN_LIMIT, 0};
        if (kt_list_ordered(w->ws, entity, &o, NULL, cb, x, &err) && err.code != KT_NOTFOUND)
            srv_log_error(w->r, &err);
    }
    for (size_t i = 0; i < nf; i++)
        kt_filter_clear(&f[i]);
    html_el(h, "h2", web_word(w, title), HTML_END);
    if (!x->n) html_el(h, "p", web_word(w, "Nothing found."), HTML_END);
    html_open(h, "ul", "class", entity, HTML_END);
    html_append(h, &part);
    html_close(h, "ul");
}

enum MHD_Result web_today(web_req *w)
{
    html h = HTML_INIT;
    web_page_begin(w, &h, web_word(w, "Today"));
    list x = {w, NULL, 0, {{0}}};
    time_t now = time(NULL);
    for (int i = 0; i < 7; i++) {
        time_t t = now + (time_t)i * 86400;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(x.days[i], sizeof x.days[i], "%m-%d", &tm);
    }
    section(w, &h, "Tasks due", "task", "due <= today and status = open", on_task, &x);
    section(w, &h, "Birthdays and anniversaries", "person", "birth_date is not null", on_person,
            &x);
    html_el(&h, "h2", web_word(w, "Import"), HTML_END);
    kt_error err;
    if (kt_import_list(w->ws, on_batch, &h, &err)) srv_log_error(w->r, &err);
    web_page_end(w, &h);
    return web_send(w, &h, MHD_HTTP_OK);
}
