/* Internal to campaigns: schedules, the per-action context kt.send / kt.task write through,
 * the ledger, locks and runs, templates and the outbox. */
#ifndef KT_CAMPAIGN_INT_H
#define KT_CAMPAIGN_INT_H

#include <cjson/cJSON.h>
#include <time.h>

#include "kartoteka/buf.h"
#include "kartoteka/campaign.h"
#include "kartoteka/ext.h"
#include "kartoteka/query.h"
#include "channel/channel.h"

/* The action being run: what kt.send and kt.task write through (the object's act gets it). */
typedef struct kt_campaign_ctx {
    kt_ws *ws;
    const char *campaign;
    const char *entity;
    const char *day;
    kt_id record;
    const char *key;
    int marketing;
    int seq;         /* kt.send calls so far in this action */
    cJSON *messages; /* what was queued, for the report */
    cJSON *tasks;
    cJSON *skipped; /* sends refused for consent: [{channel, to, person}] */
    const char *purpose; /* the declared purpose, or NULL */
} kt_campaign_ctx;

/* The campaign declared as `name` (borrowed from the registry), checked against the
 * workspace: KT_NOTFOUND when there is none, KT_INVALID naming what is wrong. */
kt_status kt_campaign_find(kt_ws *ws, const char *name, const kt_ext_campaign **out, kt_error *err);
/* The declared campaigns in order, each checked; stops at the first non-OK. */
typedef kt_status (*kt_campaign_each_fn)(void *ud, const kt_ext_campaign *c, kt_error *err);
kt_status kt_campaign_each(kt_ws *ws, kt_campaign_each_fn fn, void *ud, kt_error *err);

/* A run's budget for all its work: setting campaign_time_ms. */
typedef struct kt_run_clock {
    struct timespec started;
    unsigned long budget_ms;
} kt_run_clock;
int kt_run_clock_over(const kt_run_clock *clock);

/* A growing list of ids. */
typedef struct kt_ids {
    kt_id *v;
    size_t n, cap;
} kt_ids;
void kt_ids_free(kt_ids *ids);
kt_status kt_ids_add(kt_ids *ids, kt_id id, kt_error *err); /* grows ids */

/* Who a campaign reaches on a day, in id order: the active records of its entity that pass
 * its filter and declared audience (both in SQL, in one statement), marketing consent and its
 * Lua audience (called in batches as the records stream by). A record whose Lua audience
 * failed is in the list with its error (owned), to be reported in its place. */
typedef struct kt_audience_entry {
    kt_id id;
    char *error; /* NULL: reached */
} kt_audience_entry;
typedef struct kt_audience {
    kt_audience_entry *v;
    size_t n, cap;
    long candidates; /* the records SQL gave */
} kt_audience;
/* Makes the indexes c's audience and consent checks read through (the month and day of an
 * anniversary field, the e-mail and phone fields of people), once per workspace: called when
 * kartoteka.lua declares c, inside the configuration's transaction, so no command that
 * uses c changes the schema. A workspace that cannot take them is answered all the same. */
void kt_audience_prepare(kt_ws *ws, const kt_ext_campaign *c);
kt_status kt_audience_collect(kt_ws *ws, const kt_ext_campaign *c, const char *day,
                              const kt_run_clock *clock, kt_audience *out, kt_error *err);
void kt_audience_free(kt_audience *a);
/* 1 when a marketing campaign may not contact the record (marketing_consent = "no"). */
int kt_audience_opted_out(const kt_record *rec);
/* Whether a marketing message for purpose (the channel's kind: "email", "sms") may go to its
 * addressee (consent.c): *refused_by is the id of the person who refused, 0 when none did. The
 * addressee is the person `person` (0 = none) and every person, archived too, whose e-mail or
 * phone fields hold the address `to`. */
kt_status kt_consent_refused(kt_ws *ws, kt_id person, const char *purpose, const char *to,
                             kt_id *refused_by, kt_error *err);

/* Schedules. A campaign runs at most once per day: `daily HH:MM`, `weekly on DAY HH:MM`,
 * `monthly on N HH:MM` (N past the month's end = its last day), or a five-field cron line
 * (minute hour day-of-month month day-of-week) whose first matching time of a day counts. */
typedef struct kt_schedule {
    unsigned char minute[60], hour[24], dom[32], month[13], dow[8];
    int dom_any, dow_any; /* cron: both restricted = either matches */
    int last_dom;         /* monthly on N with N past the end: the last day */
    int monthly_day;      /* 0 unless `monthly on N` */
} kt_schedule;
kt_status kt_schedule_parse(const char *text, kt_schedule *s, kt_error *err);
/* Minutes after midnight of the first run time on that day (a day number), or -1 when none. */
int kt_schedule_time_on(const kt_schedule *s, long day);

/* Locks: kt_ws_lock, released by the kernel with the process; the kt_campaign_lock row written
 * in its own transaction only names the holder in the busy message. */
kt_status kt_lock_take(kt_ws *ws, const char *name, kt_error *err);
void kt_lock_release(kt_ws *ws, const char *name);

/* Runs. */
kt_status kt_run_start(kt_ws *ws, const char *campaign, const char *day, int scheduled,
                       long long *run_id, kt_error *err);
kt_status kt_run_finish(kt_ws *ws, long long run_id, const kt_campaign_result *r, const char *error,
                        kt_error *err);
/* The last day (YYYY-MM-DD) whose scheduled run finished, or "" when none. */
kt_status kt_run_last_day(kt_ws *ws, const char *campaign, char out[16], kt_error *err);

/* The ledger: 1 when (campaign, record, key) has acted. */
kt_status kt_ledger_has(kt_ws *ws, const char *campaign, kt_id record, const char *key, int *has,
                        kt_error *err);
kt_status kt_ledger_add(kt_ws *ws, const kt_campaign_ctx *c, long long run_id, kt_error *err);

/* Templates: workspace/campaigns/templates/NAME.txt (a first line "Subject: ..." sets the
 * subject) or inline text; {{name}} placeholders from data, lists joined with ", ". */
kt_status kt_template_load(kt_ws *ws, const char *name, char **text, kt_error *err);
/* Appends the text of the placeholder name (len bytes, not NUL-terminated) to out; nothing
 * for one without a value. */
typedef kt_status (*kt_template_value_fn)(void *ud, const char *name, size_t len, kt_buf *out,
                                          kt_error *err);
/* Renders text with the values value() gives (NULL: none); subject_out gets a "Subject:"
 * line's text (or NULL). Both allocated. */
kt_status kt_template_fill(const char *text, kt_template_value_fn value, void *ud, char **body,
                           char **subject_out, kt_error *err);

/* Sets the status ("done", "cancelled") and time of a message's activity through the write
 * door; an activity removed by hand is left alone. */
kt_status kt_outbox_activity(kt_ws *ws, kt_id activity, const char *status, const char *now,
                             kt_error *err);

/* One outbox row. (source, record, key, seq) names the event: a second row for it is refused,
 * or skipped when once is set. */
typedef struct kt_outbox_row {
    const char *source; /* the campaign, or "webhook:deal.won" */
    kt_id record;
    const char *key;
    int seq;
    const char *channel, *to, *subject, *body;
    kt_id activity; /* 0: none */
    int once;
} kt_outbox_row;
kt_status kt_outbox_put(kt_ws *ws, const kt_outbox_row *row, kt_error *err);

/* A message waiting for delivery (queued, or failed and to be tried again). */
typedef struct kt_outbox_pending {
    kt_id id;
    char *channel, *to, *subject, *body, *next; /* owned; next: when to try again, or NULL */
    long attempts;
    kt_id activity;
} kt_outbox_pending;
void kt_outbox_pending_free(kt_outbox_pending *p);
/* The ids of the messages waiting, oldest first (*ids freed with kt_ids_free). */
kt_status kt_outbox_pending_ids(kt_store *s, kt_ids *ids, kt_error *err);
/* Message id when it still waits (*found 0 otherwise); *p freed with kt_outbox_pending_free
 * either way. */
kt_status kt_outbox_pending_get(kt_store *s, kt_id id, kt_outbox_pending *p, int *found,
                                kt_error *err);
/* A delivery's outcome: sent (ok, at now), or failed with error, to be tried again at next. */
kt_status kt_outbox_mark(kt_store *s, kt_id id, int ok, const char *error, const char *next,
                         const char *now, kt_error *err);

/* A webhook message's channel settings: the channel's own plus the secret_env of the webhook
 * declared for event and url (caller frees with kt_free; NULL when out of memory). */
char *kt_webhook_settings(kt_ws *ws, const char *channel, const char *event, const char *url);

/* The history source of script writes, "campaign NAME" while a campaign runs: the script layer
 * keeps it and registers how to read and set it when it applies the configuration. */
typedef struct campaign_source {
    char *(*get)(const kt_ws *ws); /* a copy (kt_free) or NULL */
    void (*set)(const kt_ws *ws, const char *source);
} campaign_source;
/* Registers s (borrowed: static, outlives the workspace). */
kt_status campaign_source_set(kt_ws *ws, const campaign_source *s, kt_error *err);

/* The outbox row of one kt.send (inside the action's transaction). */
kt_status kt_outbox_add(kt_ws *ws, kt_campaign_ctx *c, const char *channel, const char *to,
                        const char *subject, const char *body, kt_id activity, kt_error *err);

#endif
