/* Campaigns: scripted actions on records (birthday offers, reminders, drips), each fired exactly
 * once per (campaign, record, key), a scheduler (`kt due`) that catches up missed days, and an
 * outbox whose messages are handed to registered delivery channels (file, smtp, plugins).
 * Campaigns are declared in kartoteka.lua: campaign "name" { entity, schedule, filter, audience,
 * key, action, marketing, catch_up_days }. Every function needs kt_config_apply to have run. */
#ifndef KARTOTEKA_CAMPAIGN_H
#define KARTOTEKA_CAMPAIGN_H

#include <stddef.h>

#include "kartoteka/error.h"
#include "kartoteka/record.h"
#include "kartoteka/workspace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A declared campaign, borrowed for the callback. */
typedef struct kt_campaign_info {
    const char *name;
    const char *entity;
    const char *schedule; /* as declared, or NULL for a campaign run only by hand */
    int marketing;        /* 1 unless declared marketing = false */
    const char *where;    /* "kartoteka.lua:12: " */
    const char *last_day; /* the last day a scheduled run finished, or NULL */
} kt_campaign_info;
typedef int (*kt_campaign_info_cb)(void *ud, const kt_campaign_info *c);

/* Lists the declared campaigns in declaration order. KT_INVALID names a malformed declaration. */
kt_status kt_campaign_list(kt_ws *ws, kt_campaign_info_cb cb, void *ud, kt_error *err);

/* What one record's action did (or, in a dry run, would do). Borrowed for the callback.
 * messages and tasks are JSON arrays as text: [{"channel","to","subject","body"}] and
 * [{"title","due","person",...}]. error is set when the action failed (nothing was kept). */
typedef struct kt_campaign_step {
    const char *campaign;
    const char *day;
    kt_id record;
    const char *key;
    const char *messages;
    const char *tasks;
    const char *error;
    const char *skipped; /* JSON array text: sends refused for consent [{"channel","to","person"}] */
} kt_campaign_step;
typedef void (*kt_campaign_step_cb)(void *ud, const kt_campaign_step *s);

typedef struct kt_campaign_run_opts {
    const char *day;             /* YYYY-MM-DD; NULL = today in the workspace's time zone */
    int dry_run;                 /* act inside a transaction that is rolled back */
    int scheduled;               /* 1 when `kt due` runs it (the run counts for catch-up) */
    kt_campaign_step_cb on_step; /* may be NULL */
    void *ud;
} kt_campaign_run_opts;

typedef struct kt_campaign_result {
    long candidates;  /* records the filter let through */
    long reached;     /* the audience said yes and the key had not acted yet */
    long acted;       /* committed (0 in a dry run) */
    long done_before; /* the audience said yes but the ledger already had the key */
    long failed;      /* actions that raised an error (retried by the next run) */
    long messages, tasks;
    long skipped_consent; /* kt.send calls of a marketing campaign refused: the addressee said no */
} kt_campaign_result;

/* Runs one campaign for one day. Each record acts in its own transaction holding its ledger
 * row, so a run killed anywhere and run again repeats nothing. KT_NOTFOUND for an unknown
 * campaign, KT_BUSY when another process is running it, KT_SCRIPT when an action failed (the
 * others still ran; result counts them). */
kt_status kt_campaign_run(kt_ws *ws, const char *name, const kt_campaign_run_opts *o,
                          kt_campaign_result *res, kt_error *err);

/* One scheduled run that `kt due` made. Borrowed for the callback. */
typedef struct kt_campaign_due_run {
    const char *campaign;
    const char *day;
    const kt_campaign_result *result;
    const char *error; /* NULL when the run finished */
} kt_campaign_due_run;
typedef void (*kt_campaign_due_cb)(void *ud, const kt_campaign_due_run *r);

/* Runs every campaign whose schedule fell due after its last scheduled run and up to `now`
 * (YYYY-MM-DDTHH:MM[:SS] wall-clock time in the workspace's zone; NULL = now), once per missed
 * day with that day as `day`. KT_BUSY when another `kt due` holds the lock (nothing was done). */
kt_status kt_campaign_due(kt_ws *ws, const char *now, kt_campaign_due_cb cb, void *ud,
                          kt_error *err);

/* The outbox. Strings borrowed for the callback. */
typedef struct kt_outbox_msg {
    kt_id id;
    const char *campaign;
    kt_id record;
    const char *key;
    const char *channel;
    const char *to;
    const char *subject;
    const char *body;
    const char *status; /* queued, failed (retried at next_attempt), sent, cancelled */
    long attempts;
    const char *last_error, *next_attempt, *created_at, *sent_at;
} kt_outbox_msg;
typedef int (*kt_outbox_cb)(void *ud, const kt_outbox_msg *m);

/* Lists messages in id order; status NULL = all. */
kt_status kt_outbox_list(kt_ws *ws, const char *status, kt_outbox_cb cb, void *ud, kt_error *err);

/* Makes failed messages due at once, so the next delivery tries them without waiting for their
 * back-off: message id (0 = every failed one), of campaign (NULL = any; also a campaign no
 * longer declared). *n counts them. KT_NOTFOUND when id is no message, KT_INVALID when it
 * did not fail (a queued one goes anyway, a sent one never again). */
kt_status kt_outbox_retry(kt_ws *ws, kt_id id, const char *campaign, long *n, kt_error *err);

/* One row of a campaign's ledger: (campaign, record, key) acted, on the run's day. Borrowed for
 * the callback. */
typedef struct kt_ledger_row {
    const char *campaign;
    kt_id record;
    const char *key;
    const char *day; /* YYYY-MM-DD, the run's day in the workspace's time zone */
    long long run;   /* the run's id, 0 when none was recorded */
    const char *at;  /* UTC ISO datetime of the commit */
} kt_ledger_row;
typedef int (*kt_ledger_cb)(void *ud, const kt_ledger_row *r);

/* The ledger of one campaign, oldest first (also of a campaign no longer declared: its rows
 * stay). KT_NOTFOUND when the campaign is neither in kartoteka.lua nor in the ledger. */
kt_status kt_campaign_ledger(kt_ws *ws, const char *campaign, kt_ledger_cb cb, void *ud,
                             kt_error *err);

/* Cancels queued and failed messages: message id (0 = every one), of campaign (NULL = any; also
 * a campaign no longer declared). A cancelled message is never delivered; its activity becomes
 * cancelled. *n counts them. KT_NOTFOUND when id is no message, KT_INVALID when it was sent or
 * cancelled already, KT_BUSY while a delivery runs. dry_run: count only. */
kt_status kt_outbox_cancel(kt_ws *ws, kt_id id, const char *campaign, int dry_run, long *n,
                           kt_error *err);

/* Erasure: record's messages keep no address, subject or body; those not sent are cancelled.
 * *n (may be NULL) counts them. */
kt_status kt_outbox_erase_record(kt_ws *ws, kt_id record, long *n, kt_error *err);
/* Erasure: value inside the keys of record's messages and ledger rows becomes with (a digest,
 * so distinct keys stay distinct and an action done is not done again). */
kt_status kt_outbox_rekey(kt_ws *ws, kt_id record, const char *value, const char *with,
                          kt_error *err);
kt_status kt_ledger_rekey(kt_ws *ws, kt_id record, const char *value, const char *with,
                          kt_error *err);

typedef struct kt_outbox_result {
    long sent, failed, waiting; /* waiting: failed earlier, not yet due for another attempt */
} kt_outbox_result;

/* Hands every queued message (and every failed one whose next attempt is due) to its channel.
 * A message is marked sent only after the channel accepted it; a failure records the error and
 * the next attempt (backing off up to a day) and is never dropped. KT_BUSY when another
 * process is delivering. */
kt_status kt_outbox_deliver(kt_ws *ws, kt_outbox_result *res, kt_error *err);

/* Registers the built-in delivery channel (file) in the workspace's extension registry (smtp
 * and sms_http are the net plugin's, loaded when a message first needs them).
 * Idempotent; the campaign functions call it themselves. */
kt_status kt_channels_register(kt_ws *ws, kt_error *err);

#ifdef __cplusplus
}
#endif
#endif
