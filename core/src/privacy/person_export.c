/* `kt person export ID`: everything the workspace holds about one person, as one JSON
 * document (README, "Access and portability") or the same as an HTML page. Each part is a
 * section writer in one table, reading through the stores' own readers (kt_get, kt_history,
 * kt_list, the outbox, the merge log, the aliases), so the document shows what those show. */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "kartoteka/alloc.h"
#include "kartoteka/auth.h"
#include "kartoteka/campaign.h"
#include "kartoteka/consent.h"
#include "kartoteka/dedupe.h"
#include "kartoteka/json.h"
#include "kartoteka/store.h"
#include "privacy/privacy_int.h"
#include "record/alias.h"

#define FORMAT_VERSION 1

/* What a section writer collects through a callback: where to add, and how it went. */
typedef struct gather {
    kt_ws *ws;
    cJSON *into;
    kt_id person;
    kt_id *ids; /* the merge log: records merged into the person */
    size_t nids, cap;
    int nomem;
} gather;

static int add_item(gather *g, cJSON *item)
{
    if (!item || !cJSON_AddItemToArray(g->into, item)) {
        cJSON_Delete(item);
        g->nomem = 1;
    }
    return g->nomem;
}

/* Adds j when it was built whole (ok), else drops it and records the failure. */
static int add_built(gather *g, cJSON *j, int ok)
{
    if (!ok) cJSON_Delete(j);
    return add_item(g, ok ? j : NULL);
}

static kt_status nomem(kt_error *err)
{
    return kt_error_set(err, KT_NOMEM, "out of memory");
}

static cJSON *array_in(cJSON *doc, const char *key)
{
    cJSON *a = cJSON_CreateArray();
    if (a && !cJSON_AddItemToObject(doc, key, a)) {
        cJSON_Delete(a);
        a = NULL;
    }
    return a;
}

static kt_status sec_record(kt_ws *ws, kt_id id, cJSON *doc, kt_error *err)
{
    kt_record *rec = NULL;
    kt_status st = kt_get(ws, id, &rec, err);
    if (st) return st;
    cJSON *j = kt_json_record(ws, rec, NULL);
    kt_record_free(rec);
    if (!j || !cJSON_AddItemToObject(doc, "record", j)) {
        cJSON_Delete(j);
        return nomem(err);
    }
    return KT_OK;
}

static int history_item(void *ud, const kt_change *c)
{
    return add_item(ud, kt_json_change(c));
}

static kt_status history_of(kt_ws *ws, kt_id id, cJSON *into, kt_error *err)
{
    gather g = {ws, into, id, NULL, 0, 0, 0};
    kt_status st = kt_history(ws, id, history_item, &g, err);
    return st ? st : g.nomem ? nomem(err) : KT_OK;
}

static kt_status sec_history(kt_ws *ws, kt_id id, cJSON *doc, kt_error *err)
{
    cJSON *a = array_in(doc, "history");
    return a ? history_of(ws, id, a, err) : nomem(err);
}

static int related_item(void *ud, const kt_record *rec)
{
    gather *g = ud;
    cJSON *list = cJSON_GetObjectItemCaseSensitive(g->into, rec->entity);
    if (!list && !(list = array_in(g->into, rec->entity))) return g->nomem = 1;
    /* a record naming the person in two fields is listed once */
    char id[32];
    snprintf(id, sizeof id, "%lld", rec->id);
    const cJSON *it;
    cJSON_ArrayForEach(it, list)
    {
        const char *have = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "id"));
        if (have && !strcmp(have, id)) return 0;
    }
    cJSON *j = kt_json_record(g->ws, rec, NULL);
    if (!j || !cJSON_AddItemToArray(list, j)) {
        cJSON_Delete(j);
        g->nomem = 1;
    }
    return g->nomem;
}

static kt_status sec_related(kt_ws *ws, kt_id id, cJSON *doc, kt_error *err)
{
    char entity[64];
    kt_status st = kt_ws_entity_of(ws, id, entity, sizeof entity, err);
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToObject(doc, "related", o)) {
        cJSON_Delete(o);
        return nomem(err);
    }
    gather g = {ws, o, id, NULL, 0, 0, 0};
    if (!st) st = kt_privacy_referrers(ws, entity, &id, 1, related_item, &g, err);
    return st ? st : g.nomem ? nomem(err) : KT_OK;
}

static int message_item(void *ud, const kt_outbox_msg *m)
{
    gather *g = ud;
    if (m->record != g->person) return 0;
    cJSON *j = cJSON_CreateObject();
    char id[32];
    snprintf(id, sizeof id, "%lld", m->id);
    int ok = j && cJSON_AddStringToObject(j, "id", id) &&
             cJSON_AddStringToObject(j, "campaign", m->campaign) &&
             cJSON_AddStringToObject(j, "channel", m->channel) &&
             cJSON_AddStringToObject(j, "to", m->to) &&
             (m->subject ? cJSON_AddStringToObject(j, "subject", m->subject)
                         : cJSON_AddNullToObject(j, "subject")) &&
             cJSON_AddStringToObject(j, "body", m->body) &&
             cJSON_AddStringToObject(j, "status", m->status) &&
             cJSON_AddStringToObject(j, "created_at", m->created_at) &&
             (m->sent_at ? cJSON_AddStringToObject(j, "sent_at", m->sent_at)
                         : cJSON_AddNullToObject(j, "sent_at"));
    return add_built(g, j, ok);
}

static kt_status sec_messages(kt_ws *ws, kt_id id, cJSON *doc, kt_error *err)
{
    gather g = {ws, array_in(doc, "messages"), id, NULL, 0, 0, 0};
    if (!g.into) return nomem(err);
    kt_status st = kt_outbox_list(ws, NULL, message_item, &g, err);
    return st ? st : g.nomem ? nomem(err) : KT_OK;
}

static int merge_item(void *ud, const kt_merge_row *m)
{
    gather *g = ud;
    cJSON *j = cJSON_CreateObject();
    char w[32], l[32];
    snprintf(w, sizeof w, "%lld", m->winner);
    snprintf(l, sizeof l, "%lld", m->loser);
    int ok = j && cJSON_AddStringToObject(j, "winner", w) &&
             cJSON_AddStringToObject(j, "loser", l) && cJSON_AddStringToObject(j, "at", m->at) &&
             cJSON_AddStringToObject(j, "source", m->source) &&
             (m->undone_at ? cJSON_AddStringToObject(j, "undone_at", m->undone_at)
                           : cJSON_AddNullToObject(j, "undone_at"));
    if (!ok) {
        cJSON_Delete(j);
        return g->nomem = 1;
    }
    if (m->winner == g->person && !m->undone_at) {
        if (g->nids == g->cap) {
            size_t cap = g->cap ? g->cap * 2 : 8;
            kt_id *v = kt_realloc(g->ids, cap * sizeof *v);
            if (!v) {
                cJSON_Delete(j);
                return g->nomem = 1;
            }
            g->ids = v;
            g->cap = cap;
        }
        g->ids[g->nids++] = m->loser;
    }
    return add_item(g, j);
}

static kt_status sec_consents(kt_ws *ws, kt_id id, cJSON *doc, kt_error *err);
static kt_status sec_access_log(kt_ws *ws, kt_id id, cJSON *doc, kt_error *err);

/* The merges the person took part in, and each record merged into them with its history, its
 * consents and its access log. */
static kt_status sec_merges(kt_ws *ws, kt_id id, cJSON *doc, kt_error *err)
{
    gather g = {ws, array_in(doc, "merges"), id, NULL, 0, 0, 0};
    cJSON *losers = array_in(doc, "merged_records");
    if (!g.into || !losers) return nomem(err);
    kt_status st = kt_merge_each(ws, id, merge_item, &g, err);
    if (!st && g.nomem) st = nomem(err);
    for (size_t i = 0; !st && i < g.nids; i++) {
        kt_record *rec = NULL;
        cJSON *j = NULL, *h = NULL;
        if (!(st = kt_get(ws, g.ids[i], &rec, err))) {
            j = kt_json_record(ws, rec, NULL);
            if (!j || !cJSON_AddItemToArray(losers, j)) {
                cJSON_Delete(j);
                st = nomem(err);
            } else if (!(h = array_in(j, "history"))) {
                st = nomem(err);
            }
        }
        if (!st) st = history_of(ws, g.ids[i], h, err);
        /* what the loser's own rows say: their consents and the reads of them before the merge */
        if (!st) st = sec_consents(ws, g.ids[i], j, err);
        if (!st) st = sec_access_log(ws, g.ids[i], j, err);
        kt_record_free(rec);
    }
    kt_free(g.ids);
    return st;
}

static int alias_item(void *ud, const char *entity, const char *value, long long batch)
{
    gather *g = ud;
    cJSON *j = cJSON_CreateObject();
    int ok = j && cJSON_AddStringToObject(j, "entity", entity) &&
             cJSON_AddStringToObject(j, "value", value) &&
             (batch ? cJSON_AddNumberToObject(j, "batch", (double)batch)
                    : cJSON_AddNullToObject(j, "batch"));
    return add_built(g, j, ok);
}

static kt_status sec_aliases(kt_ws *ws, kt_id id, cJSON *doc, kt_error *err)
{
    gather g = {ws, array_in(doc, "aliases"), id, NULL, 0, 0, 0};
    if (!g.into) return nomem(err);
    kt_status st = kt_auth_sees_pii(ws) ? kt_alias_each(ws, id, alias_item, &g, err) : KT_OK;
    return st ? st : g.nomem ? nomem(err) : KT_OK;
}

/* The consent records with their proof: kt consent show's document without the person. */
static kt_status sec_consents(kt_ws *ws, kt_id id, cJSON *doc, kt_error *err)
{
    cJSON *c = NULL;
    kt_status st = kt_consent_json(ws, id, &c, err);
    if (st) return st;
    cJSON_DeleteItemFromObjectCaseSensitive(c, "person");
    if (!cJSON_AddItemToObject(doc, "consents", c)) {
        cJSON_Delete(c);
        return nomem(err);
    }
    return KT_OK;
}

static int access_item(void *ud, const kt_pii_access_info *a)
{
    gather *g = ud;
    return add_item(g, kt_json_pii_access(a));
}

/* Who was shown the person's pii fields through the server (names of fields, never values). */
static kt_status sec_access_log(kt_ws *ws, kt_id id, cJSON *doc, kt_error *err)
{
    gather g = {ws, array_in(doc, "access_log"), id, NULL, 0, 0, 0};
    if (!g.into) return nomem(err);
    kt_status st = kt_pii_access_each(ws, id, access_item, &g, err);
    return st ? st : g.nomem ? nomem(err) : KT_OK;
}

/* The document, in this order; a new store of personal data joins with one line here. */
static const struct {
    const char *name;
    kt_person_section_fn fn;
} sections[] = {
    {"record", sec_record},     {"history", sec_history},       {"related", sec_related},
    {"messages", sec_messages}, {"merges", sec_merges},         {"aliases", sec_aliases},
    {"consents", sec_consents}, {"access_log", sec_access_log},
};

static kt_status build(kt_ws *ws, kt_id id, cJSON **out, kt_error *err)
{
    char now[32];
    kt_store_now(now);
    cJSON *doc = cJSON_CreateObject();
    if (!doc || !cJSON_AddNumberToObject(doc, "kartoteka_person_export", FORMAT_VERSION) ||
        !cJSON_AddStringToObject(doc, "generated_at", now)) {
        cJSON_Delete(doc);
        return nomem(err);
    }
    kt_status st = KT_OK;
    for (size_t i = 0; !st && i < sizeof sections / sizeof sections[0]; i++)
        st = sections[i].fn(ws, id, doc, err);
    if (st)
        cJSON_Delete(doc);
    else
        *out = doc;
    return st;
}

kt_status kt_person_export(kt_ws *ws, kt_id id, kt_person_format format, kt_buf *out, kt_error *err)
{
    kt_status st = kt_auth_allow(ws, KT_ACT_READ, NULL, err);
    int began = 0;
    if (!st) st = kt_store_read_begin(kt_ws_store(ws), &began, err); /* one snapshot */
    cJSON *doc = NULL;
    if (!st) st = build(ws, id, &doc, err);
    kt_store_read_end(kt_ws_store(ws), began);
    if (st) return st;
    if (format == KT_PERSON_HTML) {
        st = kt_person_html(doc, out, err);
    } else {
        char *text = cJSON_Print(doc);
        st = text ? kt_buf_puts(out, text, err) : nomem(err);
        if (!st) st = kt_buf_putc(out, '\n', err);
        cJSON_free(text);
    }
    cJSON_Delete(doc);
    return st;
}
