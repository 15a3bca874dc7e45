/* Consent with proof: what a person agreed to, per purpose (email, sms, phone, profiling and
 * the purposes a workspace declares in settings { consent_purposes = "loyalty, survey" }),
 * kept as append-only rows: given or withdrawn, when, how, by whom, the wording shown and, when
 * settings { consent_valid_months = N } is set, when it expires. The newest row of a purpose is
 * the person's state; person.marketing_consent is derived from the email, sms and phone ones. */
#ifndef KARTOTEKA_CONSENT_H
#define KARTOTEKA_CONSENT_H

#include <cjson/cJSON.h>

#include "kartoteka/error.h"
#include "kartoteka/record.h"
#include "kartoteka/save.h"
#include "kartoteka/workspace.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KT_CONSENT_PURPOSE_MAX 32 /* [a-z0-9_-], a letter first */
#define KT_CONSENT_TEXT_MAX 4000  /* the wording's text and a note, in bytes */

/* A purpose's state for one person. */
typedef enum kt_consent_state {
    KT_CONSENT_NONE = 0,      /* no row: the person never said */
    KT_CONSENT_GIVEN = 1,     /* the newest row gives it, not expired */
    KT_CONSENT_WITHDRAWN = 2, /* the newest row withdraws it */
    KT_CONSENT_EXPIRED = 3,   /* the newest row gave it and its expiry has passed */
} kt_consent_state;

const char *kt_consent_state_name(kt_consent_state s); /* "given"; a static string */

/* One row. All strings borrowed from the reader, valid during the callback; NULL when absent. */
typedef struct kt_consent_row {
    long long id;
    kt_id person;
    const char *purpose;
    int given;
    const char *at, *source, *by, *wording, *wording_text, *note, *expires_at;
    long long batch; /* 0: none */
} kt_consent_row;
typedef int (*kt_consent_cb)(void *ud, const kt_consent_row *row); /* non-zero stops */

/* How a decision was made; every member may be NULL. */
typedef struct kt_consent_opts {
    const char *source;       /* how: "form", "call", "campaign reply"... (default: by) */
    const char *by;           /* the caller's own source: "cli", "script x.lua"; the actor's
                                 (api:anna) goes first, as in history */
    const char *wording;      /* the version id of the text shown ("v3") */
    const char *wording_text; /* that text */
    const char *note;
    long long batch; /* the import batch, or 0 */
} kt_consent_opts;

/* Records that person gave (given = 1) or withdrew (0) consent to purpose, with its proof, and
 * brings person.marketing_consent in line (a change in its history). The actor needs the right
 * to change the person. KT_INVALID for an unknown purpose or a malformed option, KT_NOTFOUND
 * when person is not a person. */
kt_status kt_consent_set(kt_ws *ws, kt_id person, const char *purpose, int given,
                         const kt_consent_opts *opts, kt_error *err);

/* Every row of person, oldest first (purpose NULL: every purpose). Needs the right to read. */
kt_status kt_consent_history(kt_ws *ws, kt_id person, const char *purpose, kt_consent_cb cb,
                             void *ud, kt_error *err);

/* person's state for purpose now (KT_NOW honoured). */
kt_status kt_consent_state_of(kt_ws *ws, kt_id person, const char *purpose, kt_consent_state *out,
                              kt_error *err);

/* May a marketing message for purpose reach this person? Given: yes; withdrawn or expired: no;
 * no row: as before consent records, no only when marketing_consent is "no". */
kt_status kt_consent_permits(kt_ws *ws, const kt_record *person, const char *purpose, int *ok,
                             kt_error *err);

/* The purposes of the workspace in order: the built-in ones, then the declared ones, then any
 * other a row names for person (0: none). Calls cb with each; non-zero stops. */
kt_status kt_consent_purposes(kt_ws *ws, kt_id person, int (*cb)(void *ud, const char *purpose),
                              void *ud, kt_error *err);

/* Erasure: value, wherever the free text of person's consents holds it, becomes with. */
kt_status kt_consent_scrub(kt_ws *ws, kt_id person, const char *value, const char *with,
                           kt_error *err);

/* A merge of loser into winner (inside its transaction): for each purpose, the loser's newest
 * row is appended to the winner's (the note saying so; when, how, by whom and the wording
 * kept as they were) when it is newer than the winner's newest or the winner has none, so the
 * newer decision wins; then winner's marketing_consent follows the rows. */
kt_status kt_consent_carry(kt_ws *ws, kt_id winner, kt_id loser, kt_error *err);

/* kt consent show --json, GET /person/ID/consents: {"person", "marketing_consent", "current":
 * [{purpose, state, ...row}], "history": [row...]}. Caller deletes. */
kt_status kt_consent_json(kt_ws *ws, kt_id person, cJSON **out, kt_error *err);

/* The write door's part: after person rec (old: its stored values, NULL when new) was judged,
 * a cleared marketing_consent keeps the records' value (consent is withdrawn, not forgotten). */
kt_status kt_consent_door_judge(kt_ws *ws, const kt_record *old, kt_record *full, kt_error *err);
/* After it was written: a marketing_consent of yes or no the records do not already say
 * becomes rows for email, sms and phone (source "marketing_consent", or "import" with the
 * batch), unless it did not change (old: the stored values, NULL when new). */
kt_status kt_consent_door_written(kt_ws *ws, const kt_record *old, const kt_record *full,
                                  const kt_save_opts *o, kt_error *err);

/* Turns the marketing_consent values of a workspace made before consent records into rows
 * (source "migrated"), once; kt_open calls it. */
kt_status kt_consent_migrate(kt_ws *ws, kt_error *err);

#ifdef __cplusplus
}
#endif

#endif
