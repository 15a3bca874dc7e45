/* `kt due`: every campaign whose schedule fell due since its last scheduled run, once per
 * missed day (each run gets that day as `day`), oldest first, under one lock so that two
 * `kt due` started together do not both act. */
#include <stdio.h>
#include <string.h>

#include "campaign/campaign_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/date.h"

typedef struct due_item {
    char name[128];
    char schedule[256];
    int catch_up_days;
} due_item;

/* "YYYY-MM-DD[T ]HH:MM[:SS]" into a day number and minutes after midnight. */
static kt_status parse_now(const char *now, long *day, int *minute, kt_error *err)
{
    char ymd[11];
    int h = 0, m = 0;
    if (strlen(now) < 16 || (now[10] != 'T' && now[10] != ' ') ||
        sscanf(now + 11, "%2d:%2d", &h, &m) != 2 || h > 23 || m > 59)
        return kt_error_set(err, KT_USAGE, "--now: \"%s\" is not YYYY-MM-DDTHH:MM", now);
    memcpy(ymd, now, 10);
    ymd[10] = '\0';
    *minute = h * 60 + m;
    return kt_date_days(ymd, day, err);
}

typedef struct due_list {
    due_item *items;
    size_t n, cap;
} due_list;

static kt_status add_due(void *ud, const kt_ext_campaign *c, kt_error *err)
{
    due_list *l = ud;
    if (!c->schedule) return KT_OK;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        due_item *v = kt_realloc(l->items, cap * sizeof *v);
        if (!v) return kt_error_set(err, KT_NOMEM, "out of memory");
        l->items = v;
        l->cap = cap;
    }
    due_item *it = &l->items[l->n++];
    snprintf(it->name, sizeof it->name, "%s", c->name);
    snprintf(it->schedule, sizeof it->schedule, "%s", c->schedule);
    it->catch_up_days = c->catch_up_days;
    return KT_OK;
}

static kt_status due_one(kt_ws *ws, const due_item *it, long today, int minute,
                         kt_campaign_due_cb cb, void *ud, kt_error *err)
{
    kt_schedule sch;
    char last[16];
    long start = today;
    kt_status st = kt_schedule_parse(it->schedule, &sch, err);
    if (!st) st = kt_run_last_day(ws, it->name, last, err);
    if (st) return st;
    if (last[0]) {
        long l;
        if (!kt_date_days(last, &l, NULL)) start = l + 1;
    }
    if (start < today - (it->catch_up_days - 1)) start = today - (it->catch_up_days - 1);
    for (long d = start; d <= today; d++) {
        int t = kt_schedule_time_on(&sch, d);
        if (t < 0 || (d == today && t > minute)) continue;
        char day[KT_DATE_SIZE];
        kt_date_from_days(d, day);
        kt_campaign_run_opts o = {day, 0, 1, NULL, NULL};
        kt_campaign_result res;
        kt_error e;
        kt_error_clear(&e);
        st = kt_campaign_run(ws, it->name, &o, &res, &e);
        kt_campaign_due_run r = {it->name, day, &res, st ? e.message : NULL};
        if (cb) cb(ud, &r);
        /* being run by hand elsewhere: that process acts; the next kt due catches up */
        if (st == KT_BUSY) return KT_OK;
        /* an action's own failure is the run's; the store failing stops everything */
        if (st && st != KT_SCRIPT) {
            *err = e;
            return st;
        }
    }
    return KT_OK;
}

kt_status kt_campaign_due(kt_ws *ws, const char *now, kt_campaign_due_cb cb, void *ud,
                          kt_error *err)
{
    char buf[KT_DATETIME_SIZE];
    long today = 0;
    int minute = 0;
    kt_status st = kt_channels_register(ws, err);
    if (!st && !now) {
        st = kt_date_now(kt_ws_setting(ws, "timezone"), buf, err);
        now = buf;
    }
    if (!st) st = parse_now(now, &today, &minute, err);
    if (st) return st;
    due_list l = {NULL, 0, 0};
    if ((st = kt_campaign_each(ws, add_due, &l, err))) {
        kt_free(l.items);
        return st;
    }
    due_item *items = l.items;
    size_t n = l.n;
    if (!(st = kt_lock_take(ws, "due", err))) {
        for (size_t i = 0; !st && i < n; i++)
            st = due_one(ws, &items[i], today, minute, cb, ud, err);
        kt_lock_release(ws, "due");
    }
    kt_free(items);
    return st;
}
