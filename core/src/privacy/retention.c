/* Retention: `retention "person" { after = "36 months since last activity", action =
 * "anonymise" }`, applied by kt due. A record's last activity is the newest date on a record
 * about it (an activity's when, a sale's date, a deal's close date, a task's due) or, with none,
 * the day it was created; a record whose last activity is before today minus the period falls
 * due. Records erased or anonymised before are left alone. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/auth.h"
#include "kartoteka/config.h"
#include "kartoteka/date.h"
#include "kartoteka/store.h"
#include "privacy/privacy_int.h"
#include "record/history.h"

typedef struct candidate {
    kt_id id;
    char last[KT_DATE_SIZE];
} candidate;

typedef struct scan {
    kt_ws *ws;
    candidate *v;
    size_t n, cap;
    char last[KT_DATE_SIZE]; /* while walking one record's referrers */
    kt_status st;
    kt_error *err;
} scan;

/* The newest YYYY-MM-DD among rec's date and datetime values, into s->last. */
static int newest_date(void *ud, const kt_record *rec)
{
    scan *s = ud;
    const kt_entity *e = kt_registry_entity(kt_ws_registry(s->ws), rec->entity);
    for (size_t i = 0; e && i < e->nfields; i++) {
        const kt_field *f = &e->fields[i];
        if (f->kind != KT_TYPE_DATE && f->kind != KT_TYPE_DATETIME) continue;
        const char *t = kt_record_text(rec, f->name);
        if (t && strlen(t) >= 10 && strncmp(t, s->last, 10) > 0) {
            memcpy(s->last, t, 10);
            s->last[10] = '\0';
        }
    }
    return 0;
}

static int add_candidate(void *ud, const kt_record *rec)
{
    scan *s = ud;
    if (!strcmp(rec->state, "merged")) return 0; /* it goes with the record it went into */
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        candidate *v = kt_realloc(s->v, cap * sizeof *v);
        if (!v) {
            s->st = kt_error_set(s->err, KT_NOMEM, "out of memory");
            return 1;
        }
        s->v = v;
        s->cap = cap;
    }
    candidate *c = &s->v[s->n++];
    c->id = rec->id;
    snprintf(c->last, sizeof c->last, "%.10s", rec->created_at ? rec->created_at : "");
    return 0;
}

/* The day before which a last activity falls due: today minus the period. */
static kt_status cutoff_of(const kt_config_retention *r, const char *today, char out[KT_DATE_SIZE],
                           kt_error *err)
{
    if (r->unit == 'd') return kt_date_add_days(today, -(long)r->amount, out, err);
    return kt_date_add_months(today, -(long)r->amount * (r->unit == 'y' ? 12 : 1), out, err);
}

static kt_status apply_one(kt_ws *ws, const kt_config_retention *r, const char *today, int dry_run,
                           kt_retention_cb cb, void *ud, int *erased, kt_error *err)
{
    char cutoff[KT_DATE_SIZE];
    kt_status st = cutoff_of(r, today, cutoff, err);
    scan s = {ws, NULL, 0, 0, "", KT_OK, err};
    kt_list_opts all = {NULL, 0, 2, 0, 0};
    if (!st) st = kt_list(ws, r->entity, &all, add_candidate, &s, err);
    if (!st) st = s.st;
    kt_erase_mode mode = strcmp(r->action, "erase") ? KT_ERASE_ANONYMISE : KT_ERASE_ALL;
    char reason[256];
    snprintf(reason, sizeof reason, "retention: %s", r->after);
    int stop = 0;
    for (size_t i = 0; !st && !stop && i < s.n; i++) {
        candidate *c = &s.v[i];
        memcpy(s.last, c->last, sizeof s.last);
        if ((st = kt_privacy_referrers(ws, r->entity, &c->id, 1, newest_date, &s, err))) break;
        if (strcmp(s.last, cutoff) >= 0) continue;
        int done = 0, anonymised = 0;
        st = kt_history_has_action(ws, c->id, "erase", &done, err);
        if (!st && mode == KT_ERASE_ANONYMISE)
            st = kt_history_has_action(ws, c->id, "anonymise", &anonymised, err);
        if (st || done || anonymised) continue;
        kt_erase_result res;
        if (!dry_run) st = kt_erase_one(ws, c->id, mode, reason, 0, &res, err);
        if (!st && !dry_run) *erased = 1;
        kt_retention_hit h = {r->entity, c->id, r->action, s.last, !dry_run};
        if (!st && cb) stop = cb(ud, &h);
    }
    kt_free(s.v);
    return st;
}

kt_status kt_retention_run(kt_ws *ws, const char *now, int dry_run, kt_retention_cb cb, void *ud,
                           kt_error *err)
{
    kt_status st = dry_run ? kt_auth_allow(ws, KT_ACT_READ, NULL, err)
                           : kt_auth_allow(ws, KT_ACT_ERASE, NULL, err);
    char today[KT_DATE_SIZE];
    if (!st && now) {
        long days;
        snprintf(today, sizeof today, "%.10s", now);
        st = kt_date_days(today, &days, err);
    } else if (!st) {
        st = kt_date_today(kt_ws_setting(ws, "timezone"), today, err);
    }
    kt_config_retention *decls = NULL;
    size_t n = 0;
    if (!st) st = kt_config_retentions(ws, &decls, &n, err);
    int erased = 0;
    for (size_t i = 0; !st && i < n; i++)
        st = apply_one(ws, &decls[i], today, dry_run, cb, ud, &erased, err);
    kt_free(decls);
    int checkpointed;
    /* each erasure left the old index segments and its freed pages to these two, once */
    if (!st && erased) st = kt_search_purge(ws, err);
    if (!st && erased) st = kt_store_compact(kt_ws_store(ws), &checkpointed, err);
    return st;
}
