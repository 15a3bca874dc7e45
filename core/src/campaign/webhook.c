/* Webhooks: the declarations, checked once at open, and the event hook that turns the write
 * door's events into outbox rows. The post itself is the webhook delivery channel's. */
#include <stdio.h>
#include <string.h>

#include "campaign/campaign_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/json.h"
#include "kartoteka/save.h"
#include "kartoteka/webhook.h"

typedef struct hooks {
    kt_config_webhook *v;
    size_t n;
} hooks;

static void hooks_free(void *p)
{
    hooks *h = p;
    if (h) kt_free(h->v);
    kt_free(h);
}

static const char *const actions[] = {"created", "updated", "archived", "restored", "merged", NULL};

static int is_action(const char *a)
{
    for (size_t i = 0; actions[i]; i++)
        if (!strcmp(a, actions[i])) return 1;
    return 0;
}

/* An enum field of e with option opt, or NULL. */
static const kt_field *enum_with(const kt_entity *e, const char *opt)
{
    for (size_t i = 0; i < e->nfields; i++) {
        const kt_field *f = &e->fields[i];
        for (size_t j = 0; f->kind == KT_TYPE_ENUM && j < f->noptions; j++)
            if (!strcmp(f->options[j], opt)) return f;
    }
    return NULL;
}

static kt_status check(kt_ws *ws, const kt_config_webhook *w, kt_error *err)
{
    const char *dot = strchr(w->event, '.');
    char entity[64];
    if (!dot || dot == w->event || (size_t)(dot - w->event) >= sizeof entity)
        return kt_error_set(err, KT_INVALID,
                            "%s webhook \"%s\": name it entity.event, e.g. deal.won or "
                            "person.created",
                            w->where, w->event);
    snprintf(entity, sizeof entity, "%.*s", (int)(dot - w->event), w->event);
    const char *what = dot + 1;
    if (strncmp(w->url, "http://", 7) && strncmp(w->url, "https://", 8))
        return kt_error_set(err, KT_INVALID, "%s webhook \"%s\": url is http:// or https://",
                            w->where, w->event);
    if (!strcmp(entity, "record")) {
        if (is_action(what)) return KT_OK;
        return kt_error_set(err, KT_INVALID,
                            "%s webhook \"%s\": record.EVENT is created, updated, archived, "
                            "restored or merged",
                            w->where, w->event);
    }
    const kt_entity *e = kt_registry_entity(kt_ws_registry(ws), entity);
    if (!e)
        return kt_error_set(err, KT_INVALID, "%s webhook \"%s\": there is no entity '%s'", w->where,
                            w->event, entity);
    if (is_action(what) || enum_with(e, what)) return KT_OK;
    return kt_error_set(err, KT_INVALID,
                        "%s webhook \"%s\": '%s' is neither created, updated, archived, "
                        "restored, merged nor an option of an enum field of %s",
                        w->where, w->event, what, entity);
}

static int value_is(const kt_record *r, const char *field, const char *text)
{
    const kt_value *v = r ? kt_record_get(r, field) : NULL;
    return v && !v->is_set && v->text && !strcmp(v->text, text);
}

/* Does ev fire the webhook declared for event? */
static int fires(kt_ws *ws, const char *event, const kt_event *ev)
{
    const char *dot = strchr(event, '.');
    size_t n = (size_t)(dot - event);
    int any = n == 6 && !strncmp(event, "record", 6);
    if (!any && (strlen(ev->entity) != n || strncmp(event, ev->entity, n))) return 0;
    const char *what = dot + 1;
    if (is_action(what)) return !strcmp(what, ev->action);
    if (any || !ev->after) return 0;
    /* deal.won: a save that makes an enum field "won" that was not */
    const kt_entity *e = kt_registry_entity(kt_ws_registry(ws), ev->entity);
    for (size_t i = 0; e && i < e->nfields; i++) {
        const kt_field *f = &e->fields[i];
        if (f->kind == KT_TYPE_ENUM && value_is(ev->after, f->name, what) &&
            !value_is(ev->before, f->name, what))
            return 1;
    }
    return 0;
}

/* Queues the post of the record as it is now. The record's version names the event: one row
 * per (webhook, record, version), whoever queues it again. */
static kt_status queue(kt_ws *ws, const kt_config_webhook *w, int seq, const kt_event *ev,
                       kt_error *err)
{
    kt_record *rec = NULL;
    long long version = 0;
    kt_status st = kt_get(ws, ev->id, &rec, err);
    if (!st) st = kt_record_version(ws, ev->id, &version, err);
    cJSON *j = st ? NULL : kt_json_record(ws, rec, NULL);
    char *body = j ? cJSON_PrintUnformatted(j) : NULL;
    if (!st && !body) st = kt_error_set(err, KT_NOMEM, "out of memory");
    if (!st) {
        char source[160], key[32];
        snprintf(source, sizeof source, "webhook:%s", w->event);
        snprintf(key, sizeof key, "v%lld", version);
        kt_outbox_row row = {source, ev->id, key, seq, "webhook", w->url, w->event, body, 0, 1};
        st = kt_outbox_put(ws, &row, err);
    }
    cJSON_free(body);
    cJSON_Delete(j);
    kt_record_free(rec);
    return st;
}

static kt_status on_event(void *ud, kt_ws *ws, const kt_event *ev, kt_error *err)
{
    const hooks *h = ud;
    kt_status st = KT_OK;
    for (size_t i = 0; !st && i < h->n; i++)
        if (fires(ws, h->v[i].event, ev)) st = queue(ws, &h->v[i], (int)i, ev, err);
    return st;
}

kt_status kt_webhooks_install(kt_ws *ws, kt_config_webhook *v, size_t n, kt_error *err)
{
    kt_status st = KT_OK;
    for (size_t i = 0; !st && i < n; i++)
        st = check(ws, &v[i], err);
    if (st || !n) {
        kt_free(v);
        return st;
    }
    hooks *h = kt_calloc(1, sizeof *h);
    if (!h) {
        kt_free(v);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    h->v = v;
    h->n = n;
    if ((st = kt_ws_attach(ws, "webhooks", h, hooks_free, err))) {
        hooks_free(h);
        return st;
    }
    return kt_ws_set_event_hook(ws, on_event, h, err);
}

char *kt_webhook_settings(kt_ws *ws, const char *channel, const char *event, const char *url)
{
    char *text = kt_channel_settings(ws, channel, channel);
    const hooks *h = kt_ws_attachment(ws, "webhooks");
    const char *env = NULL;
    for (size_t i = 0; h && i < h->n && !env; i++)
        if (event && !strcmp(h->v[i].event, event) && !strcmp(h->v[i].url, url))
            env = h->v[i].secret_env;
    if (!text || !env) return text;
    cJSON *o = cJSON_Parse(text);
    kt_free(text);
    if (!o || !cJSON_AddStringToObject(o, "secret_env", env)) {
        cJSON_Delete(o);
        return NULL;
    }
    char *out = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    char *copy = out ? kt_strdup(out) : NULL;
    cJSON_free(out);
    return copy;
}
