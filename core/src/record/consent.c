/* Consent with proof: giving and withdrawing, the state of a purpose, and marketing_consent as
 * the view of the rows. marketing_consent is "yes" while any of email, sms and phone is given,
 * "no" once all three are withdrawn or expired, and keeps no value in between; writing yes or
 * no to it (kt set, an import, kt.save) gives or withdraws all three, so older scripts work. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/auth.h"
#include "kartoteka/consent.h"
#include "kartoteka/date.h"
#include "kartoteka/query.h"
#include "kartoteka/registry.h"
#include "record/access.h"
#include "record/consent_table.h"

#define FIELD "marketing_consent"
#define SOURCE_MAX 64

/* The purposes every workspace has; the first three are the channels marketing_consent
 * speaks for. */
static const char *const builtin[] = {"email", "sms", "phone", "profiling", NULL};
static const char *const channels[] = {"email", "sms", "phone"};
#define NCHANNELS 3

const char *kt_consent_state_name(kt_consent_state s)
{
    switch (s) {
    case KT_CONSENT_GIVEN:
        return "given";
    case KT_CONSENT_WITHDRAWN:
        return "withdrawn";
    case KT_CONSENT_EXPIRED:
        return "expired";
    default:
        return "none";
    }
}

static int name_ok(const char *p)
{
    size_t n = p ? strlen(p) : 0;
    if (n == 0 || n > KT_CONSENT_PURPOSE_MAX || p[0] < 'a' || p[0] > 'z') return 0;
    return strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

/* Calls cb with each purpose declared in settings { consent_purposes = "a, b" }. */
static int each_declared(kt_ws *ws, int (*cb)(void *ud, const char *purpose), void *ud)
{
    const char *list = kt_ws_setting(ws, "consent_purposes");
    while (list && *list) {
        list += strspn(list, ", \t");
        size_t n = strcspn(list, ", \t");
        char one[KT_CONSENT_PURPOSE_MAX + 1];
        if (n > 0 && n <= KT_CONSENT_PURPOSE_MAX) {
            memcpy(one, list, n);
            one[n] = 0;
            if (name_ok(one) && cb(ud, one)) return 1;
        }
        list += n;
    }
    return 0;
}

static int same(void *ud, const char *purpose)
{
    return !strcmp(ud, purpose);
}

static kt_status check_purpose(kt_ws *ws, const char *purpose, kt_error *err)
{
    for (size_t i = 0; builtin[i]; i++)
        if (purpose && !strcmp(purpose, builtin[i])) return KT_OK;
    if (name_ok(purpose) && each_declared(ws, same, (void *)purpose)) return KT_OK;
    return kt_error_set(
        err, KT_USAGE,
        "unknown consent purpose '%s' (known: email, sms, phone, profiling%s%s; "
        "declare more with settings { consent_purposes = \"...\" })",
        purpose ? purpose : "", kt_ws_setting(ws, "consent_purposes") ? ", " : "",
        kt_ws_setting(ws, "consent_purposes") ? kt_ws_setting(ws, "consent_purposes") : "");
}

/* settings { consent_valid_months = N }: 0 when unset. */
static kt_status valid_months(kt_ws *ws, long *months, kt_error *err)
{
    const char *v = kt_ws_setting(ws, "consent_valid_months");
    *months = 0;
    if (!v || !*v) return KT_OK;
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || n < 1 || n > 1200)
        return kt_error_set(err, KT_INVALID,
                            "settings: consent_valid_months must be a whole number of months "
                            "from 1 to 1200, not '%s'",
                            v);
    *months = n;
    return KT_OK;
}

/* now ("YYYY-MM-DDTHH:MM:SSZ") plus months, the same time of day. */
static kt_status expiry(const char *now, long months, char out[32], kt_error *err)
{
    char day[KT_DATE_SIZE], ymd[KT_DATE_SIZE];
    snprintf(day, sizeof day, "%.10s", now);
    kt_status st = kt_date_add_months(day, months, ymd, err);
    if (!st) snprintf(out, 32, "%s%s", ymd, now + 10);
    return st;
}

kt_status kt_consent_state_of(kt_ws *ws, kt_id person, const char *purpose, kt_consent_state *out,
                              kt_error *err)
{
    int found, given;
    char expires[32], now[32];
    *out = KT_CONSENT_NONE;
    kt_status st =
        kt_consent_row_latest(kt_ws_store(ws), person, purpose, &found, &given, expires, err);
    if (st || !found) return st;
    kt_store_now(now);
    if (!given)
        *out = KT_CONSENT_WITHDRAWN;
    else
        *out = *expires && strcmp(expires, now) <= 0 ? KT_CONSENT_EXPIRED : KT_CONSENT_GIVEN;
    return KT_OK;
}

/* What the rows say marketing_consent is: "yes", "no", or NULL. */
static kt_status derived(kt_ws *ws, kt_id person, const char **out, kt_error *err)
{
    int given = 0, refused = 0;
    *out = NULL;
    for (size_t i = 0; i < NCHANNELS; i++) {
        kt_consent_state s;
        kt_status st = kt_consent_state_of(ws, person, channels[i], &s, err);
        if (st) return st;
        given += s == KT_CONSENT_GIVEN;
        refused += s == KT_CONSENT_WITHDRAWN || s == KT_CONSENT_EXPIRED;
    }
    if (given)
        *out = "yes";
    else if (refused == NCHANNELS)
        *out = "no";
    return KT_OK;
}

static int has_field(kt_ws *ws)
{
    return kt_registry_field(kt_ws_registry(ws), "person", FIELD) != NULL;
}

static kt_status check_text(const char *what, const char *v, size_t max, kt_error *err)
{
    if (v && strlen(v) > max)
        return kt_error_set(err, KT_INVALID, "consent: %s is longer than %zu bytes", what, max);
    return KT_OK;
}

/* Appends one row for person and purpose; by is the history source naming the actor. */
static kt_status add_row(kt_ws *ws, kt_id person, const char *purpose, int given,
                         const kt_consent_opts *o, const char *source, const char *by,
                         kt_error *err)
{
    char now[32], expires[32] = "";
    long months = 0;
    kt_store_now(now);
    kt_status st = given ? valid_months(ws, &months, err) : KT_OK;
    if (!st && months) st = expiry(now, months, expires, err);
    if (st) return st;
    kt_consent_row r = {0,
                        person,
                        purpose,
                        given,
                        now,
                        source,
                        by,
                        o->wording,
                        o->wording_text,
                        o->note,
                        *expires ? expires : NULL,
                        o->batch};
    return kt_consent_row_add(kt_ws_store(ws), &r, err);
}

/* Writes the rows' value into marketing_consent through the write door, when it differs. */
static kt_status sync_field(kt_ws *ws, const kt_record *person, const char *by, long long batch,
                            kt_error *err)
{
    const char *want;
    kt_status st = has_field(ws) ? derived(ws, person->id, &want, err) : KT_OK;
    if (st || !has_field(ws)) return st;
    const char *have = kt_record_text(person, FIELD);
    if (have && !*have) have = NULL;
    if ((!want && !have) || (want && have && !strcmp(want, have))) return KT_OK;
    kt_record *r = kt_record_new("person");
    if (!r) return kt_error_set(err, KT_NOMEM, "out of memory");
    r->id = person->id;
    st = kt_record_set(r, FIELD, want, err);
    kt_save_opts so = {.source = by, .batch = batch, .covered = 1, .allow_duplicate = 1};
    if (!st) st = kt_save(ws, r, &so, NULL, err);
    kt_record_free(r);
    return st;
}

kt_status kt_consent_set(kt_ws *ws, kt_id person, const char *purpose, int given,
                         const kt_consent_opts *opts, kt_error *err)
{
    kt_consent_opts o = opts ? *opts : (kt_consent_opts){0};
    if (!o.by) o.by = "api";
    kt_save_opts so = {.source = o.by};
    char by[KT_ACCESS_SOURCE_MAX];
    kt_status st = check_purpose(ws, purpose, err);
    if (!st) st = check_text("the source", o.source, SOURCE_MAX, err);
    if (!st) st = check_text("the wording", o.wording, SOURCE_MAX, err);
    if (!st) st = check_text("the wording's text", o.wording_text, KT_CONSENT_TEXT_MAX, err);
    if (!st) st = check_text("the note", o.note, KT_CONSENT_TEXT_MAX, err);
    if (!st && o.source && !*o.source)
        st = kt_error_set(err, KT_INVALID, "consent: the source is empty");
    if (!st) st = kt_access_write(ws, KT_ACT_WRITE, "person", &so, by, err);
    if (st) return st;
    kt_record *rec = NULL;
    kt_store *s = kt_ws_store(ws);
    if ((st = kt_get(ws, person, &rec, err))) return st;
    if (strcmp(rec->entity, "person") != 0) {
        st = kt_error_set(err, KT_NOTFOUND, "record %lld is a %s, not a person", person,
                          rec->entity);
        goto out;
    }
    if (!strcmp(rec->state, "merged")) {
        st = kt_error_set(err, KT_CONSTRAINT,
                          "person %lld was merged into %lld: record the consent there", person,
                          rec->merged_into);
        goto out;
    }
    if ((st = kt_access_change(ws, rec, err)) || (st = kt_store_begin(s, err))) goto out;
    st = add_row(ws, person, purpose, given, &o, o.source ? o.source : o.by, so.source, err);
    if (!st) st = sync_field(ws, rec, o.by, o.batch, err);
    if (st)
        kt_store_rollback(s);
    else
        st = kt_store_commit(s, err);
out:
    kt_record_free(rec);
    return st;
}

kt_status kt_consent_history(kt_ws *ws, kt_id person, const char *purpose, kt_consent_cb cb,
                             void *ud, kt_error *err)
{
    kt_record *rec = NULL;
    kt_status st = kt_auth_allow(ws, KT_ACT_READ, "person", err);
    if (!st) st = kt_get(ws, person, &rec, err); /* the access rules on reading it */
    kt_record_free(rec);
    return st ? st : kt_consent_rows(kt_ws_store(ws), person, purpose, cb, ud, err);
}

kt_status kt_consent_permits(kt_ws *ws, const kt_record *person, const char *purpose, int *ok,
                             kt_error *err)
{
    kt_consent_state s;
    kt_status st = kt_consent_state_of(ws, person->id, purpose, &s, err);
    if (st) return st;
    if (s == KT_CONSENT_NONE) {
        const char *c = kt_record_text(person, FIELD);
        *ok = !(c && !strcmp(c, "no"));
    } else {
        *ok = s == KT_CONSENT_GIVEN;
    }
    return KT_OK;
}

typedef struct purposes_walk {
    int (*cb)(void *ud, const char *purpose);
    void *ud;
    kt_ws *ws;
    int stopped;
} purposes_walk;

static int declared_new(void *ud, const char *purpose)
{
    purposes_walk *w = ud;
    for (size_t i = 0; builtin[i]; i++)
        if (!strcmp(builtin[i], purpose)) return 0;
    return (w->stopped = w->cb(w->ud, purpose));
}

static int listed_new(void *ud, const char *purpose)
{
    purposes_walk *w = ud;
    for (size_t i = 0; builtin[i]; i++)
        if (!strcmp(builtin[i], purpose)) return 0;
    if (each_declared(w->ws, same, (void *)purpose)) return 0;
    return (w->stopped = w->cb(w->ud, purpose));
}

kt_status kt_consent_purposes(kt_ws *ws, kt_id person, int (*cb)(void *ud, const char *purpose),
                              void *ud, kt_error *err)
{
    purposes_walk w = {cb, ud, ws, 0};
    for (size_t i = 0; builtin[i]; i++)
        if (cb(ud, builtin[i])) return KT_OK;
    each_declared(ws, declared_new, &w);
    if (w.stopped || !person) return KT_OK;
    /* a purpose the workspace no longer declares still has its proof */
    return kt_consent_row_purposes(kt_ws_store(ws), person, listed_new, &w, err);
}

kt_status kt_consent_door_judge(kt_ws *ws, const kt_record *old, kt_record *full, kt_error *err)
{
    if (!old || strcmp(full->entity, "person") != 0 || !has_field(ws)) return KT_OK;
    const kt_value *was = kt_record_get(old, FIELD), *now = kt_record_get(full, FIELD);
    if (kt_value_empty(was) || !kt_value_empty(now)) return KT_OK;
    const char *want;
    kt_status st = derived(ws, full->id, &want, err);
    return st || !want ? st : kt_record_set(full, FIELD, want, err);
}

kt_status kt_consent_door_written(kt_ws *ws, const kt_record *old, const kt_record *full,
                                  const kt_save_opts *o, kt_error *err)
{
    if (strcmp(full->entity, "person") != 0 || !has_field(ws)) return KT_OK;
    const char *v = kt_record_text(full, FIELD);
    if (!v || (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)) return KT_OK;
    if (old && kt_value_equal(kt_record_get(old, FIELD), kt_record_get(full, FIELD))) return KT_OK;
    /* A new record has no rows to read (ids are never reused): an import of people does
     * not look up what cannot be there. */
    const char *want = NULL;
    kt_status st = old ? derived(ws, full->id, &want, err) : KT_OK;
    if (st || (want && !strcmp(want, v))) return st;
    int give = v[0] == 'y';
    kt_consent_opts co = {.batch = o->batch};
    for (size_t i = 0; !st && i < NCHANNELS; i++) {
        kt_consent_state s = KT_CONSENT_NONE;
        if (old && (st = kt_consent_state_of(ws, full->id, channels[i], &s, err))) break;
        if (s == (give ? KT_CONSENT_GIVEN : KT_CONSENT_WITHDRAWN)) continue;
        st = add_row(ws, full->id, channels[i], give, &co, o->batch ? "import" : FIELD, o->source,
                     err);
    }
    return st;
}

kt_status kt_consent_migrate(kt_ws *ws, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    int pending;
    kt_status st = kt_consent_rows_pending(s, &pending, err);
    if (st || !pending || (st = kt_store_begin(s, err))) return st;
    /* another process may have done it while this one waited for the lock */
    char now[32];
    kt_store_now(now);
    st = kt_consent_rows_pending(s, &pending, err);
    if (!st && pending) st = kt_consent_rows_migrate(s, channels, NCHANNELS, now, err);
    if (st)
        kt_store_rollback(s);
    else
        st = kt_store_commit(s, err);
    return st;
}

kt_status kt_consent_scrub(kt_ws *ws, kt_id person, const char *value, const char *with,
                           kt_error *err)
{
    return kt_consent_rows_scrub(kt_ws_store(ws), person, value, with, err);
}

/* A merge's part: each purpose's newest row of the winner and of the loser. */
#define CARRY_MAX 64
typedef struct newest {
    kt_consent_row row[CARRY_MAX]; /* strings owned (kt_strdup) */
    size_t n;
    int nomem;
} newest;

static char *dup_or_null(const char *s, int *nomem)
{
    char *d = s ? kt_strdup(s) : NULL;
    if (s && !d) *nomem = 1;
    return d;
}

static void row_free(kt_consent_row *r)
{
    kt_free((char *)r->purpose);
    kt_free((char *)r->at);
    kt_free((char *)r->source);
    kt_free((char *)r->by);
    kt_free((char *)r->wording);
    kt_free((char *)r->wording_text);
    kt_free((char *)r->note);
    kt_free((char *)r->expires_at);
}

static int keep_newest(void *ud, const kt_consent_row *row)
{
    newest *n = ud;
    size_t i = 0;
    while (i < n->n && strcmp(n->row[i].purpose, row->purpose) != 0)
        i++;
    if (i == CARRY_MAX) return 0; /* more purposes than any workspace declares */
    if (i < n->n)
        row_free(&n->row[i]);
    else
        n->n++;
    kt_consent_row *c = &n->row[i];
    *c = *row; /* rows come oldest first: the last one of a purpose is its newest */
    c->purpose = dup_or_null(row->purpose, &n->nomem);
    c->at = dup_or_null(row->at, &n->nomem);
    c->source = dup_or_null(row->source, &n->nomem);
    c->by = dup_or_null(row->by, &n->nomem);
    c->wording = dup_or_null(row->wording, &n->nomem);
    c->wording_text = dup_or_null(row->wording_text, &n->nomem);
    c->note = dup_or_null(row->note, &n->nomem);
    c->expires_at = dup_or_null(row->expires_at, &n->nomem);
    return n->nomem;
}

static void newest_free(newest *n)
{
    for (size_t i = 0; i < n->n; i++)
        row_free(&n->row[i]);
    n->n = 0;
}

kt_status kt_consent_carry(kt_ws *ws, kt_id winner, kt_id loser, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    newest *w = kt_calloc(2, sizeof *w), *l = w ? w + 1 : NULL;
    if (!w) return kt_error_set(err, KT_NOMEM, "out of memory");
    kt_status st = kt_consent_rows(s, winner, NULL, keep_newest, w, err);
    if (!st) st = kt_consent_rows(s, loser, NULL, keep_newest, l, err);
    if (!st && (w->nomem || l->nomem)) st = kt_error_set(err, KT_NOMEM, "out of memory");
    int carried = 0;
    for (size_t i = 0; !st && i < l->n; i++) {
        kt_consent_row r = l->row[i];
        size_t k = 0;
        while (k < w->n && strcmp(w->row[k].purpose, r.purpose) != 0)
            k++;
        /* the newer decision wins; on a tie the winner's own stands */
        if (k < w->n && strcmp(r.at, w->row[k].at) <= 0) continue;
        char note[KT_CONSENT_TEXT_MAX + 64];
        snprintf(note, sizeof note, "carried over from record %lld at merge%s%.*s", loser,
                 r.note ? ": " : "", KT_CONSENT_TEXT_MAX, r.note ? r.note : "");
        r.person = winner;
        r.note = note;
        st = kt_consent_row_add(s, &r, err);
        carried++;
    }
    kt_record *rec = NULL;
    if (!st && carried && has_field(ws) && !(st = kt_get(ws, winner, &rec, err)))
        st = sync_field(ws, rec, "merge", 0, err);
    kt_record_free(rec);
    newest_free(w);
    newest_free(l);
    kt_free(w);
    return st;
}
