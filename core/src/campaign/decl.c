/* Campaign declarations: the objects kartoteka.lua's `campaign "name" { entity, schedule,
 * filter, audience, key, action, marketing, catch_up_days, purpose }` became
 * (script/campaign_lua.c), checked against the workspace when a command uses them. */
#include <stdio.h>
#include <string.h>

#include "campaign/campaign_int.h"
#include "kartoteka/consent.h"
#include "kartoteka/registry.h"

/* A declared audience's date field: a date or datetime of the entity (or "activities"). */
static kt_status check_date_field(kt_ws *ws, const kt_ext_campaign *c, const char *key,
                                  const char *field, kt_error *err)
{
    if (!field || (!strcmp(key, "inactive_since") && !strcmp(field, "activities"))) return KT_OK;
    const kt_field *f = kt_registry_field(kt_ws_registry(ws), c->entity, field);
    if (f && (f->kind == KT_TYPE_DATE || f->kind == KT_TYPE_DATETIME)) return KT_OK;
    return kt_error_set(err, KT_INVALID, "%scampaign \"%s\": audience: %s: %s.%s is %s", c->where,
                        c->name, key, c->entity, field,
                        f ? "not a date or datetime field" : "no field");
}

typedef struct purpose_hunt {
    const char *name;
    int found;
} purpose_hunt;

static int is_purpose(void *ud, const char *purpose)
{
    purpose_hunt *h = ud;
    h->found = !strcmp(h->name, purpose);
    return h->found;
}

static kt_status check(kt_ws *ws, const kt_ext_campaign *c, kt_error *err)
{
    if (c->invalid) return kt_error_set(err, KT_INVALID, "%s", c->invalid);
    if (!kt_registry_entity(kt_ws_registry(ws), c->entity))
        return kt_error_set(err, KT_INVALID, "%scampaign \"%s\": no entity \"%s\"", c->where,
                            c->name, c->entity);
    if (c->catch_up_days < 1 || c->catch_up_days > 3660)
        return kt_error_set(err, KT_INVALID, "%scampaign \"%s\": catch_up_days is 1..3660",
                            c->where, c->name);
    kt_schedule sch;
    if (c->schedule && kt_schedule_parse(c->schedule, &sch, err)) {
        kt_error_prefix(err, "%scampaign \"%s\": ", c->where, c->name);
        return err ? err->code : KT_INVALID;
    }
    kt_status st = check_date_field(ws, c, "anniversary", c->anniversary, err);
    if (!st) st = check_date_field(ws, c, "inactive_since", c->inactive_since, err);
    purpose_hunt h = {c->purpose, 0};
    if (!st && c->purpose) st = kt_consent_purposes(ws, 0, is_purpose, &h, err);
    if (!st && c->purpose && !h.found)
        st = kt_error_set(err, KT_INVALID,
                          "%scampaign \"%s\": purpose \"%s\" is not a consent purpose (email, "
                          "sms, phone, profiling or one of settings consent_purposes)",
                          c->where, c->name, c->purpose);
    return st;
}

kt_status kt_campaign_each(kt_ws *ws, kt_campaign_each_fn fn, void *ud, kt_error *err)
{
    const kt_ext *x = kt_ws_ext(ws);
    kt_status st = KT_OK;
    for (size_t i = 0; !st && i < kt_ext_count(x); i++) {
        const kt_ext_entry *e = kt_ext_at(x, i);
        if (e->kind != KT_EXT_CAMPAIGN) continue;
        const kt_ext_campaign *c = e->item;
        if (!(st = check(ws, c, err))) st = fn(ud, c, err);
    }
    return st;
}

kt_status kt_campaign_find(kt_ws *ws, const char *name, const kt_ext_campaign **out, kt_error *err)
{
    const kt_ext_campaign *c = kt_ext_find(kt_ws_ext(ws), KT_EXT_CAMPAIGN, name);
    *out = NULL;
    if (!c) return kt_error_set(err, KT_NOTFOUND, "no campaign \"%s\" in kartoteka.lua", name);
    kt_status st = check(ws, c, err);
    if (!st) *out = c;
    return st;
}

typedef struct list_state {
    kt_ws *ws;
    kt_campaign_info_cb cb;
    void *ud;
    int stopped; /* the callback asked to stop: not an error */
} list_state;

static kt_status list_one(void *ud, const kt_ext_campaign *c, kt_error *err)
{
    list_state *s = ud;
    char last[16];
    kt_status st = kt_run_last_day(s->ws, c->name, last, err);
    if (st) return st;
    kt_campaign_info info = {c->name,      c->entity, c->schedule,
                             c->marketing, c->where,  last[0] ? last : NULL};
    s->stopped = s->cb(s->ud, &info) != 0;
    return s->stopped ? KT_EXISTS : KT_OK;
}

kt_status kt_campaign_list(kt_ws *ws, kt_campaign_info_cb cb, void *ud, kt_error *err)
{
    list_state s = {ws, cb, ud, 0};
    kt_status st = kt_campaign_each(ws, list_one, &s, err);
    return s.stopped ? KT_OK : st;
}
