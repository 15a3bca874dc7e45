/* Who a campaign reaches. Everything SQL can say — the declaration's `filter`, and the date
 * conditions of a declared audience (an anniversary N days ahead, inactivity since) — goes into
 * the one statement that streams the candidates in id order, in one read transaction; only its
 * survivors meet consent and the Lua audience, which is called in batches as they stream by. */
#include <stdio.h>
#include <string.h>

#include "campaign/campaign_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/consent.h"
#include "kartoteka/date.h"
#include "kartoteka/query.h"
#include "kartoteka/registry.h"
#include "kartoteka/store.h"

#define MAX_FILTERS 34 /* the declaration's 32 and two declared */
#define BATCH_MAX 256

void kt_ids_free(kt_ids *ids)
{
    kt_free(ids->v);
    memset(ids, 0, sizeof *ids);
}

kt_status kt_ids_add(kt_ids *ids, kt_id id, kt_error *err)
{
    if (ids->n == ids->cap) {
        size_t cap = ids->cap ? ids->cap * 2 : 64;
        kt_id *v = kt_realloc(ids->v, cap * sizeof *v);
        if (!v) return kt_error_set(err, KT_NOMEM, "out of memory");
        ids->v = v;
        ids->cap = cap;
    }
    ids->v[ids->n++] = id;
    return KT_OK;
}

int kt_audience_opted_out(const kt_record *rec)
{
    const char *c = kt_record_text(rec, "marketing_consent");
    return c && !strcmp(c, "no");
}

void kt_audience_free(kt_audience *a)
{
    for (size_t i = 0; i < a->n; i++)
        kt_free(a->v[i].error);
    kt_free(a->v);
    memset(a, 0, sizeof *a);
}

static kt_status add_entry(kt_audience *a, kt_id id, const char *error, kt_error *err)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 256;
        kt_audience_entry *v = kt_realloc(a->v, cap * sizeof *v);
        if (!v) return kt_error_set(err, KT_NOMEM, "out of memory");
        a->v = v;
        a->cap = cap;
    }
    char *e = error ? kt_strdup(error) : NULL;
    if (error && !e) return kt_error_set(err, KT_NOMEM, "out of memory");
    a->v[a->n++] = (kt_audience_entry){id, e};
    return KT_OK;
}

/* The listing frees its record when the callback returns; a batch keeps a copy. */
static kt_record *copy_record(const kt_record *r)
{
    kt_record *c = kt_record_new(r->entity);
    if (!c) return NULL;
    c->id = r->id;
    memcpy(c->state, r->state, sizeof c->state);
    c->merged_into = r->merged_into;
    c->created_at = r->created_at ? kt_strdup(r->created_at) : NULL;
    c->updated_at = r->updated_at ? kt_strdup(r->updated_at) : NULL;
    int bad = (r->created_at && !c->created_at) || (r->updated_at && !c->updated_at);
    for (size_t i = 0; !bad && i < r->n; i++) {
        const kt_value *v = &r->values[i];
        if (v->is_set)
            bad = v->nitems && kt_record_set_list(c, r->names[i], (const char *const *)v->items,
                                                  v->nitems, NULL);
        else
            bad = v->text && kt_record_set(c, r->names[i], v->text, NULL);
    }
    if (bad) {
        kt_record_free(c);
        return NULL;
    }
    return c;
}

typedef struct stream {
    kt_ws *ws;
    const kt_ext_campaign *c;
    const char *day;
    const kt_run_clock *clock;
    kt_audience *out;
    kt_record *batch[BATCH_MAX];
    int yes[BATCH_MAX];
    kt_error errs[BATCH_MAX];
    size_t n, size; /* the batch grows, so a slow audience meets the run's budget soon */
    long judged;
    kt_status st;
    kt_error *err;
} stream;

static kt_status judge_batch(stream *s)
{
    kt_status st = s->c->audience(s->c->ud, s->ws, (const kt_record *const *)s->batch, s->n, s->day,
                                  s->yes, s->errs);
    for (size_t i = 0; !st && i < s->n; i++)
        if (s->yes[i] || s->errs[i].code)
            st = add_entry(s->out, s->batch[i]->id, s->errs[i].code ? s->errs[i].message : NULL,
                           s->err);
    for (size_t i = 0; i < s->n; i++)
        kt_record_free(s->batch[i]);
    s->judged += (long)s->n;
    s->n = 0;
    if (s->size < BATCH_MAX) s->size *= 2;
    if (!st && kt_run_clock_over(s->clock))
        st = kt_error_set(s->err, KT_TIMEOUT,
                          "campaign \"%s\" ran longer than %lu ms in all while judging its "
                          "audience (%ld record(s) judged) and stopped before acting, all of it "
                          "left for the next run (setting campaign_time_ms)",
                          s->c->name, s->clock->budget_ms, s->judged);
    return st;
}

static int take(void *ud, const kt_record *rec)
{
    stream *s = ud;
    s->out->candidates++;
    if (s->c->marketing && kt_audience_opted_out(rec)) return 0;
    if (s->c->purpose && !strcmp(rec->entity, "person")) {
        int ok = 1;
        if ((s->st = kt_consent_permits(s->ws, rec, s->c->purpose, &ok, s->err))) return 1;
        if (!ok) return 0; /* refused the campaign's purpose: never judged, never acted on */
    }
    if (!s->c->audience) return (s->st = add_entry(s->out, rec->id, NULL, s->err)) != KT_OK;
    if (!(s->batch[s->n] = copy_record(rec))) {
        s->st = kt_error_set(s->err, KT_NOMEM, "out of memory");
        return 1;
    }
    if (++s->n == s->size) s->st = judge_batch(s);
    return s->st != KT_OK;
}

void kt_audience_prepare(kt_ws *ws, const kt_ext_campaign *c)
{
    kt_store *store = kt_ws_store(ws);
    kt_error ignored;
    /* without it an anniversary reads every record */
    if (c->anniversary && c->entity)
        kt_store_put_month_day_index(store, c->entity, c->anniversary, &ignored);
    /* every message of a marketing campaign looks its address up in each e-mail and phone
     * field of every person (consent.c): without an index each lookup reads all of them */
    const kt_entity *e = kt_registry_entity(kt_ws_registry(ws), "person");
    for (size_t i = 0; c->marketing && e && i < e->nfields; i++) {
        const kt_field *f = &e->fields[i];
        if ((f->kind != KT_TYPE_EMAIL && f->kind != KT_TYPE_PHONE) || f->indexed || f->unique)
            continue;
        const char *name = f->name;
        kt_store_put_match_index(store, "person", &name, 1, &ignored);
    }
}

/* The declared audience as filters the listing compiles to SQL. */
static kt_status declared(kt_ws *ws, const kt_ext_campaign *c, const char *day, kt_filter *f,
                          size_t *n, char ahead[KT_DATE_SIZE], char since[KT_DATE_SIZE],
                          kt_error *err)
{
    long d;
    kt_status st = kt_date_days(day, &d, err);
    if (st) return st;
    if (c->anniversary) {
        kt_date_from_days(d + c->days_ahead, ahead);
        f[(*n)++] = (kt_filter){(char *)c->anniversary, KT_OP_ANNIVERSARY, ahead, NULL, 0};
    }
    if (c->inactive_since) {
        /* the latest activity `days` or more days before the day: before the day after */
        kt_date_from_days(d - c->inactive_days + 1, since);
        f[(*n)++] = (kt_filter){(char *)c->inactive_since, KT_OP_BEFORE_DAY, since, NULL, 0};
    }
    return KT_OK;
}

kt_status kt_audience_collect(kt_ws *ws, const kt_ext_campaign *c, const char *day,
                              const kt_run_clock *clock, kt_audience *out, kt_error *err)
{
    kt_filter f[MAX_FILTERS];
    char ahead[KT_DATE_SIZE], since[KT_DATE_SIZE];
    size_t n = 0;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < c->nfilters && n < MAX_FILTERS - 2; i++)
        f[n++] = c->filters[i];
    kt_status st = declared(ws, c, day, f, &n, ahead, since, err);
    if (st) return st;
    stream *s = kt_calloc(1, sizeof *s);
    if (!s) return kt_error_set(err, KT_NOMEM, "out of memory");
    *s = (stream){.ws = ws, .c = c, .day = day, .clock = clock, .out = out, .size = 8, .err = err};
    kt_list_opts o = {f, n, 0, 0, 0};
    st = kt_list(ws, c->entity, &o, take, s, err);
    if (!st) st = s->st;
    if (!st && s->n) st = judge_batch(s);
    for (size_t i = 0; i < s->n; i++)
        kt_record_free(s->batch[i]);
    kt_free(s);
    if (st) kt_audience_free(out);
    return st;
}
