/* kt.send, kt.task and kt.last_activity: what campaign actions (and scripts) use to reach
 * people. kt.send queues a rendered message in the outbox inside the action's transaction;
 * kt.task creates a task through the write door; kt.last_activity finds a person's latest
 * activity matching filters, which is what drips decide their next step by. */
#include <stdio.h>
#include <string.h>

#include "campaign/campaign_int.h"
#include "script/lua_adapters.h"
#include "kartoteka/alloc.h"
#include "kartoteka/query.h"
#include "script/kt_module_int.h"

void kt_campaign_push_day(lua_State *L, const char *ymd)
{
    kt_lua_push_date_lib(L);
    lua_getfield(L, -1, "of");
    lua_remove(L, -2);
    lua_pushstring(L, ymd);
    lua_call(L, 1, 1);
}

static kt_campaign_ctx *ctx_of(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, KT_LUA_CAMPAIGN_CTX);
    kt_campaign_ctx *c = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return c;
}

static const char *opt_string(lua_State *L, int t, const char *key)
{
    lua_getfield(L, t, key);
    const char *s = lua_isnil(L, -1) ? NULL : luaL_tolstring(L, -1, NULL);
    lua_replace(L, -2); /* keep it on the stack so the string stays alive */
    return s;
}

/* Saves the table at idx as a record of entity; raises with every failure on refusal. */
static kt_id save_or_raise(lua_State *L, int idx, const char *entity, const char *what)
{
    kt_ws *ws = kt_lua_ws(L);
    kt_record *r = NULL;
    kt_error err;
    if (kt_lua_to_record(L, idx, entity, &r, &err)) return kt_lua_raise(L, &err), 0;
    lua_getfield(L, LUA_REGISTRYINDEX, KT_LUA_SOURCE);
    char src[256];
    snprintf(src, sizeof src, "%s", lua_isstring(L, -1) ? lua_tostring(L, -1) : "script");
    lua_pop(L, 1);
    kt_failures f;
    kt_failures_init(&f);
    kt_save_opts o = {.source = src, .allow_duplicate = 1};
    kt_status st = kt_save(ws, r, &o, &f, &err);
    kt_id id = r->id;
    kt_record_free(r);
    if (st) {
        char msg[1024] = "";
        size_t n = 0;
        for (size_t i = 0; i < f.n && n < sizeof msg; i++)
            if (f.items[i].severity == KT_SEVERITY_ERROR)
                n += (size_t)snprintf(msg + n, sizeof msg - n, "%s%s%s%s", n ? "; " : "",
                                      f.items[i].field ? f.items[i].field : "",
                                      f.items[i].field ? ": " : "", f.items[i].message);
        kt_failures_free(&f);
        return luaL_error(L, "%s: %s", what, n ? msg : err.message), 0;
    }
    kt_failures_free(&f);
    return id;
}

/* A copy of the table at idx with date objects turned into their "YYYY-MM-DD" text. */
static void push_plain(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_istable(L, -1) && luaL_getmetafield(L, -1, "__tostring") != LUA_TNIL) {
            lua_pop(L, 1);
            luaL_tolstring(L, -1, NULL);
            lua_replace(L, -2);
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_settable(L, -4);
    }
}

static void note_json(cJSON *list, lua_State *L, int t)
{
    if (!list) return;
    cJSON *o = cJSON_CreateObject();
    lua_pushnil(L);
    while (lua_next(L, t)) {
        if (lua_type(L, -2) == LUA_TSTRING && (lua_isstring(L, -1) || lua_isboolean(L, -1))) {
            char buf[64];
            const char *k = lua_tostring(L, -2);
            cJSON_AddStringToObject(o, k, kt_lua_scalar_text(L, -1, buf, sizeof buf));
        }
        lua_pop(L, 1);
    }
    cJSON_AddItemToArray(list, o);
}

/* kt.task { title = ..., person = r.id, due = day + 5, ... }: returns the task's id. */
int kt_lua_task(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    push_plain(L, 1);
    int t = lua_gettop(L);
    lua_getfield(L, t, "title");
    if (!lua_isstring(L, -1)) return luaL_error(L, "kt.task: a task needs a title");
    lua_pop(L, 1);
    kt_id id = save_or_raise(L, t, "task", "kt.task");
    kt_campaign_ctx *c = ctx_of(L);
    if (c) note_json(c->tasks, L, t);
    lua_pushinteger(L, id);
    return 1;
}

/* The activity every campaign message is: planned when queued, done once delivered. */
static kt_id log_activity(lua_State *L, kt_campaign_ctx *c, const char *kind, const char *subject)
{
    if (strcmp(c->entity, "person") != 0 && strcmp(c->entity, "company") != 0) return 0;
    char now[32], outcome[700];
    kt_store_now(now);
    now[19] = '\0';
    snprintf(outcome, sizeof outcome, "%s:%s", c->campaign, c->key);
    lua_createtable(L, 0, 7);
    lua_pushstring(L, kind);
    lua_setfield(L, -2, "kind");
    lua_pushliteral(L, "campaign");
    lua_setfield(L, -2, "class");
    lua_pushinteger(L, c->record);
    lua_setfield(L, -2, c->entity);
    lua_pushstring(L, now);
    lua_setfield(L, -2, "at");
    lua_pushliteral(L, "planned");
    lua_setfield(L, -2, "status");
    lua_pushstring(L, outcome);
    lua_setfield(L, -2, "outcome");
    if (subject) lua_pushstring(L, subject), lua_setfield(L, -2, "note");
    kt_id id = save_or_raise(L, lua_gettop(L), "activity", "kt.send (activity)");
    lua_pop(L, 1);
    return id;
}

/* The person a send names: person = id (or a record); 0 when none. The record acted on was
 * checked before its action ran. */
static kt_id send_person(lua_State *L)
{
    lua_getfield(L, 1, "person");
    if (lua_istable(L, -1)) lua_getfield(L, -1, "id"), lua_replace(L, -2);
    kt_id id = lua_isinteger(L, -1) ? (kt_id)lua_tointeger(L, -1) : 0;
    lua_pop(L, 1);
    return id;
}

/* A send the addressee did not consent to: not queued, noted for the run's report. Returns
 * false and the reason to the action. */
static int skip_send(lua_State *L, kt_campaign_ctx *c, const char *channel, const char *to,
                     kt_id person)
{
    cJSON *o = c->skipped ? cJSON_CreateObject() : NULL;
    if (o) {
        cJSON_AddStringToObject(o, "channel", channel);
        cJSON_AddStringToObject(o, "to", to);
        cJSON_AddNumberToObject(o, "person", (double)person);
        cJSON_AddItemToArray(c->skipped, o);
    }
    lua_pushboolean(L, 0);
    lua_pushfstring(L, "no marketing consent: person %I said no", (lua_Integer)person);
    return 2;
}

/* An SMS goes to the number in E.164, read as the addressee's record reads its phone; pushes it
 * (a Lua string) and returns it, or raises naming the number. */
static const char *sms_number(lua_State *L, kt_ws *ws, const kt_campaign_ctx *c, const char *to)
{
    kt_id who = send_person(L);
    kt_record *rec = NULL;
    kt_error err;
    kt_status st = kt_get(ws, who > 0 ? who : c->record, &rec, &err);
    char *e164 = NULL;
    if (!st || st == KT_NOTFOUND) st = kt_sms_recipient(ws, rec, to, &e164, &err);
    kt_record_free(rec);
    if (st) return kt_lua_raise(L, &err), NULL;
    lua_pushstring(L, e164);
    kt_free(e164);
    return lua_tostring(L, -1);
}

/* kt.send { channel, to, template | text, subject, data, person }: true when queued; false and
 * the reason when a marketing campaign's addressee has not consented. */
int kt_lua_send(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    kt_campaign_ctx *c = ctx_of(L);
    if (!c) return luaL_error(L, "kt.send works inside a campaign's action");
    kt_ws *ws = kt_lua_ws(L);
    const char *channel = opt_string(L, 1, "channel"), *to = opt_string(L, 1, "to");
    const char *tname = opt_string(L, 1, "template"), *inline_text = opt_string(L, 1, "text");
    const char *subject = opt_string(L, 1, "subject");
    lua_getfield(L, 1, "data");
    int data = lua_istable(L, -1) ? lua_gettop(L) : 0;
    if (!channel) return luaL_error(L, "kt.send: channel is required (\"email\", \"smtp\", ...)");
    if (!to || !*to)
        return luaL_error(L, "kt.send: no recipient (to) for record %I", (lua_Integer)c->record);
    kt_error err;
    if (!kt_channel_find(ws, kt_channel_resolve(ws, channel), &err))
        return luaL_error(L, "kt.send: %s", err.message);
    if (!tname == !inline_text)
        return luaL_error(L, "kt.send: give template = NAME or text = \"...\"");
    if (!strcmp(kt_channel_kind(ws, channel), "sms")) {
        to = sms_number(L, ws, c, to);
        lua_replace(L, 3); /* the slot opt_string gave "to": keeps the number alive */
    }
    if (c->marketing) {
        kt_id refused_by = 0;
        if (kt_consent_refused(ws, send_person(L), kt_channel_kind(ws, channel), to, &refused_by,
                               &err))
            return kt_lua_raise(L, &err);
        if (refused_by) return skip_send(L, c, channel, to, refused_by);
    }
    if (c->purpose) { /* the campaign's own purpose, for whoever the message reaches */
        kt_id refused_by = 0;
        if (kt_consent_refused(ws, send_person(L), c->purpose, to, &refused_by, &err))
            return kt_lua_raise(L, &err);
        if (refused_by) return skip_send(L, c, channel, to, refused_by);
    }
    char *text = NULL, *body = NULL, *tsubject = NULL, *rsubject = NULL;
    /* a template "name" holding {{ or a line break is inline text */
    if (inline_text || strstr(tname, "{{") || strchr(tname, '\n'))
        text = kt_strdup(inline_text ? inline_text : tname);
    else if (kt_template_load(ws, tname, &text, &err))
        return kt_lua_raise(L, &err);
    kt_status st = text ? kt_template_render(L, text, data, &body, &tsubject, &err)
                        : kt_error_set(&err, KT_NOMEM, "out of memory");
    if (!st && subject) st = kt_template_render(L, subject, data, &rsubject, NULL, &err);
    kt_free(text);
    if (st) {
        kt_free(body);
        kt_free(tsubject);
        return kt_lua_raise(L, &err);
    }
    const char *subj = rsubject ? rsubject : tsubject;
    c->seq++;
    /* Lua errors below would leak the rendered texts: keep them in Lua strings instead */
    lua_pushstring(L, body);
    lua_pushstring(L, subj ? subj : "");
    kt_free(body);
    kt_free(tsubject);
    kt_free(rsubject);
    body = (char *)lua_tostring(L, -2);
    subj = *lua_tostring(L, -1) ? lua_tostring(L, -1) : NULL;
    kt_id activity = log_activity(L, c, kt_channel_kind(ws, channel), subj);
    if (kt_outbox_add(ws, c, channel, to, subj, body, activity, &err)) return kt_lua_raise(L, &err);
    cJSON *m = c->messages ? cJSON_CreateObject() : NULL;
    if (m) {
        cJSON_AddStringToObject(m, "channel", channel);
        cJSON_AddStringToObject(m, "to", to);
        if (subj) cJSON_AddStringToObject(m, "subject", subj);
        cJSON_AddStringToObject(m, "body", body);
        cJSON_AddItemToArray(c->messages, m);
    }
    lua_pushboolean(L, 1);
    return 1;
}

typedef struct latest {
    kt_id id;
    char at[40];
} latest;

static int keep_latest(void *ud, const kt_record *rec)
{
    latest *l = ud;
    const char *at = kt_record_text(rec, "at");
    if (!at) at = "";
    if (!l->id || strcmp(at, l->at) >= 0) {
        l->id = rec->id;
        snprintf(l->at, sizeof l->at, "%s", at);
    }
    return 0;
}

/* kt.last_activity(person_id, { class = "campaign", outcome = "welcome:step-1" }): the latest
 * (by `at`, then id) activity of that person matching the filters, or nil. */
int kt_lua_last_activity(lua_State *L)
{
    kt_ws *ws = kt_lua_ws(L);
    kt_id person = (kt_id)luaL_checkinteger(L, 1);
    kt_filter f[33];
    size_t n = 0;
    kt_error err;
    if (kt_lua_filters(L, 2, f, 32, &n, &err)) return kt_lua_raise(L, &err);
    char text[64];
    snprintf(text, sizeof text, "person=%lld", person);
    kt_status st = kt_filter_parse(text, &f[n], &err);
    if (!st) n++;
    latest l = {0, ""};
    kt_list_opts o = {f, n, 0, 0, 0};
    if (!st) st = kt_list(ws, "activity", &o, keep_latest, &l, &err);
    for (size_t i = 0; i < n; i++)
        kt_filter_clear(&f[i]);
    if (st) return kt_lua_raise(L, &err);
    if (!l.id) return lua_pushnil(L), 1;
    kt_record *r = NULL;
    if (kt_get(ws, l.id, &r, &err)) return kt_lua_raise(L, &err);
    kt_lua_push_record(L, ws, r);
    kt_record_free(r);
    return 1;
}
