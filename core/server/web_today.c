/* Today: tasks due and overdue, birthdays and anniversaries of the next 7 days, clients gone
 * quiet (as scripts/reminders.lua defines them: no activity for 60 days, the record older than
 * that, not a former client), the outbox waiting, and the last import. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kartoteka/alloc.h"
#include "kartoteka/campaign.h"
#include "kartoteka/import.h"
#include "web.h"

#define SCAN_LIMIT 100000
#define QUIET_DAYS 60
#define QUIET_SHOWN 50

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

/* The people an activity of the last QUIET_DAYS days touched, sorted for bsearch. */
typedef struct touched {
    kt_id *ids;
    size_t n, cap;
} touched;

static int on_recent(void *ud, const kt_record *rec)
{
    touched *t = ud;
    const char *p = kt_record_text(rec, "person");
    kt_id id = p ? kt_id_parse(p) : 0;
    if (!id) return 0;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        kt_id *ids = kt_realloc(t->ids, cap * sizeof *ids);
        if (!ids) return 1;
        t->ids = ids;
        t->cap = cap;
    }
    t->ids[t->n++] = id;
    return 0;
}

static int by_id(const void *a, const void *b)
{
    kt_id x = *(const kt_id *)a, y = *(const kt_id *)b;
    return x < y ? -1 : x > y;
}

typedef struct quiet {
    web_req *w;
    html *h;
    touched *t;
    char before[32]; /* created before this day */
    long n;
} quiet;

static int on_quiet(void *ud, const kt_record *rec)
{
    quiet *q = ud;
    const char *status = kt_record_text(rec, "client_status");
    if ((status && !strcmp(status, "former client")) || !rec->created_at ||
        strncmp(rec->created_at, q->before, 10) >= 0 ||
        (q->t->n && bsearch(&rec->id, q->t->ids, q->t->n, sizeof *q->t->ids, by_id)))
        return 0;
    html_open(q->h, "li", HTML_END);
    web_record_link(q->w, q->h, rec->id);
    html_close(q->h, "li");
    return ++q->n >= QUIET_SHOWN;
}

static void gone_quiet(web_req *w, html *h)
{
    touched t = {NULL, 0, 0};
    char text[64];
    snprintf(text, sizeof text, "at >= today-%d", QUIET_DAYS);
    kt_filter f;
    kt_error err;
    if (kt_filter_parse(text, &f, &err)) return;
    kt_list_opts o = {&f, 1, 0, SCAN_LIMIT, 0};
    if (kt_list(w->ws, "activity", &o, on_recent, &t, &err)) srv_log_error(w->r, &err);
    kt_filter_clear(&f);
    if (t.n) qsort(t.ids, t.n, sizeof *t.ids, by_id);
    html part = HTML_INIT;
    quiet q = {w, &part, &t, "", 0};
    time_t before = time(NULL) - (time_t)QUIET_DAYS * 86400;
    struct tm tm;
    gmtime_r(&before, &tm);
    strftime(q.before, sizeof q.before, "%Y-%m-%d", &tm);
    kt_list_opts all = {NULL, 0, 0, SCAN_LIMIT, 0};
    if (kt_list(w->ws, "person", &all, on_quiet, &q, &err)) srv_log_error(w->r, &err);
    kt_free(t.ids);
    html_el(h, "h2", web_word(w, "Clients gone quiet"), HTML_END);
    if (!q.n) html_el(h, "p", web_word(w, "Nothing found."), HTML_END);
    html_open(h, "ul", "class", "quiet", "id", "quiet", HTML_END);
    html_append(h, &part);
    html_close(h, "ul");
}

static int on_message(void *ud, const kt_outbox_msg *m)
{
    long *n = ud;
    n[strcmp(m->status, "failed") == 0]++;
    return 0;
}

static void outbox(web_req *w, html *h)
{
    long n[2] = {0, 0};
    kt_error err;
    if (kt_outbox_list(w->ws, "queued", on_message, n, &err) ||
        kt_outbox_list(w->ws, "failed", on_message, n, &err))
        srv_log_error(w->r, &err);
    char line[128];
    snprintf(line, sizeof line, "%ld queued, %ld failed (to be retried)", n[0], n[1]);
    html_el(h, "h2", web_word(w, "Outbox"), HTML_END);
    html_el(h, "p", line, "id", "outbox", HTML_END);
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
    gone_quiet(w, &h);
    outbox(w, &h);
    html_el(&h, "h2", web_word(w, "Import"), HTML_END);
    kt_error err;
    if (kt_import_list(w->ws, on_batch, &h, &err)) srv_log_error(w->r, &err);
    web_page_end(w, &h);
    return web_send(w, &h, MHD_HTTP_OK);
}
