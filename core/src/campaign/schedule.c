/* Schedules: when a campaign falls due. Day-level: a campaign runs at most once per day, so
 * `kt due` can catch up missed days one by one. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/campaign_int.h"
#include "kartoteka/date.h"

static int parse_hhmm(const char *t, int *h, int *m)
{
    char extra;
    return sscanf(t, "%d:%d%c", h, m, &extra) == 2 && *h >= 0 && *h < 24 && *m >= 0 && *m < 60;
}

static int weekday_of(const char *name)
{
    static const char *const days[] = {"monday", "tuesday",  "wednesday", "thursday",
                                       "friday", "saturday", "sunday"};
    for (int i = 0; i < 7; i++)
        if (strlen(name) >= 3 && strncmp(days[i], name, strlen(name)) == 0) return i + 1;
    return 0;
}

/* One cron field: "*", "*\/n", "a", "a-b", "a-b/n", comma lists. */
static int cron_field(const char *f, unsigned char *set, int lo, int hi)
{
    char buf[128];
    if (strlen(f) >= sizeof buf) return 0;
    strcpy(buf, f);
    char *save = NULL;
    for (char *part = strtok_r(buf, ",", &save); part; part = strtok_r(NULL, ",", &save)) {
        int a = lo, b = hi, step = 1;
        char *slash = strchr(part, '/');
        if (slash) {
            *slash = '\0';
            char *end;
            step = (int)strtol(slash + 1, &end, 10);
            if (*end || step < 1) return 0;
        }
        if (strcmp(part, "*") != 0) {
            char *end;
            a = (int)strtol(part, &end, 10);
            if (end == part) return 0;
            b = slash ? hi : a;
            if (*end == '-') {
                char *e2;
                b = (int)strtol(end + 1, &e2, 10);
                if (e2 == end + 1 || *e2) return 0;
            } else if (*end) {
                return 0;
            }
        }
        if (a < lo || b > hi || a > b) return 0;
        for (int v = a; v <= b; v += step)
            set[v] = 1;
    }
    return 1;
}

static kt_status parse_cron(const char *text, kt_schedule *s, kt_error *err)
{
    char f[5][128];
    char extra[2];
    if (sscanf(text, "%127s %127s %127s %127s %127s %1s", f[0], f[1], f[2], f[3], f[4], extra) != 5)
        return kt_error_set(err, KT_INVALID, "schedule \"%s\": a cron line has five fields", text);
    unsigned char dow[8] = {0};
    if (!cron_field(f[0], s->minute, 0, 59) || !cron_field(f[1], s->hour, 0, 23) ||
        !cron_field(f[2], s->dom, 1, 31) || !cron_field(f[3], s->month, 1, 12) ||
        !cron_field(f[4], dow, 0, 7))
        return kt_error_set(err, KT_INVALID, "schedule \"%s\": not a cron line I understand", text);
    /* cron's 0 and 7 are both Sunday; ours is ISO 7 */
    for (int i = 1; i <= 6; i++)
        s->dow[i] = dow[i];
    s->dow[7] = dow[0] || dow[7];
    s->dom_any = f[2][0] == '*';
    s->dow_any = f[4][0] == '*';
    return KT_OK;
}

kt_status kt_schedule_parse(const char *text, kt_schedule *s, kt_error *err)
{
    memset(s, 0, sizeof *s);
    char w1[32], w2[32], w3[32], w4[32], extra[2];
    int h, m;
    int n = sscanf(text, "%31s %31s %31s %31s %1s", w1, w2, w3, w4, extra);
    if (n == 2 && !strcmp(w1, "daily") && parse_hhmm(w2, &h, &m)) {
        memset(s->dom, 1, sizeof s->dom);
        memset(s->dow, 1, sizeof s->dow);
    } else if (n == 4 && !strcmp(w1, "weekly") && !strcmp(w2, "on") && weekday_of(w3) &&
               parse_hhmm(w4, &h, &m)) {
        memset(s->dom, 1, sizeof s->dom);
        s->dow[weekday_of(w3)] = 1;
    } else if (n == 4 && !strcmp(w1, "monthly") && !strcmp(w2, "on") && parse_hhmm(w4, &h, &m)) {
        char *end;
        long d = strtol(w3, &end, 10);
        if (*end || d < 1 || d > 31)
            return kt_error_set(err, KT_INVALID, "schedule \"%s\": the day of the month is 1..31",
                                text);
        s->monthly_day = (int)d;
        memset(s->dow, 1, sizeof s->dow);
    } else if (n >= 4 && (isdigit((unsigned char)w1[0]) || w1[0] == '*')) {
        kt_status st = parse_cron(text, s, err);
        if (st) return st;
        return KT_OK;
    } else {
        return kt_error_set(err, KT_INVALID,
                            "schedule \"%s\": use \"daily HH:MM\", \"weekly on DAY HH:MM\", "
                            "\"monthly on N HH:MM\" or a cron line \"M H DOM MON DOW\"",
                            text);
    }
    s->minute[m] = 1;
    s->hour[h] = 1;
    memset(s->month, 1, sizeof s->month);
    s->dom_any = 1;
    s->dow_any = strcmp(w1, "weekly") != 0;
    return KT_OK;
}

static int day_matches(const kt_schedule *s, long day)
{
    int y, mo, d;
    kt_date_to_civil(day, &y, &mo, &d);
    if (!s->month[mo]) return 0;
    if (s->monthly_day) {
        int last = kt_date_days_in_month(y, mo);
        return d == (s->monthly_day > last ? last : s->monthly_day);
    }
    int dom = s->dom[d], dow = s->dow[kt_date_weekday(day)];
    if (s->dom_any && s->dow_any) return 1;
    if (s->dom_any) return dow;
    if (s->dow_any) return dom;
    return dom || dow; /* cron: both restricted means either */
}

int kt_schedule_time_on(const kt_schedule *s, long day)
{
    if (!day_matches(s, day)) return -1;
    for (int h = 0; h < 24; h++)
        for (int m = 0; h < 24 && s->hour[h] && m < 60; m++)
            if (s->minute[m]) return h * 60 + m;
    return -1;
}
