/* A person's consents as JSON: the one shape behind kt consent show --json, the API's
 * GET /person/ID/consents and kt.consent.show in Lua. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/consent.h"
#include "kartoteka/json_add.h"
#include "kartoteka/query.h"

static cJSON *text_or_null(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* One row, or the nulls of "no row" (r NULL) with state. */
static cJSON *row_json(const char *purpose, const char *state, const kt_consent_row *r)
{
    cJSON *o = cJSON_CreateObject();
    int ok = o != NULL;
    ok &= kt_json_add(o, "id", r ? cJSON_CreateNumber((double)r->id) : cJSON_CreateNull());
    ok &= kt_json_add(o, "purpose", cJSON_CreateString(purpose));
    ok &= kt_json_add(o, "state", cJSON_CreateString(state));
    ok &= kt_json_add(o, "at", text_or_null(r ? r->at : NULL));
    ok &= kt_json_add(o, "source", text_or_null(r ? r->source : NULL));
    ok &= kt_json_add(o, "by", text_or_null(r ? r->by : NULL));
    ok &= kt_json_add(o, "wording", text_or_null(r ? r->wording : NULL));
    ok &= kt_json_add(o, "wording_text", text_or_null(r ? r->wording_text : NULL));
    ok &= kt_json_add(o, "note", text_or_null(r ? r->note : NULL));
    ok &= kt_json_add(o, "batch",
                      r && r->batch ? cJSON_CreateNumber((double)r->batch) : cJSON_CreateNull());
    ok &= kt_json_add(o, "expires", text_or_null(r ? r->expires_at : NULL));
    if (ok) return o;
    cJSON_Delete(o);
    return NULL;
}

typedef struct walk {
    kt_ws *ws;
    kt_id person;
    cJSON *history, *current;
    kt_status st;
    kt_error *err;
} walk;

static int on_row(void *ud, const kt_consent_row *r)
{
    walk *w = ud;
    cJSON *o = row_json(r->purpose, r->given ? "given" : "withdrawn", r);
    if (!kt_json_add(w->history, NULL, o)) {
        w->st = kt_error_set(w->err, KT_NOMEM, "out of memory");
        return 1;
    }
    return 0;
}

/* The newest row of purpose in the history built so far, or NULL. */
static const cJSON *newest(const cJSON *history, const char *purpose)
{
    const cJSON *found = NULL, *it;
    cJSON_ArrayForEach(it, history)
    {
        const char *p = cJSON_GetStringValue(cJSON_GetObjectItem(it, "purpose"));
        if (p && !strcmp(p, purpose)) found = it;
    }
    return found;
}

static int on_purpose(void *ud, const char *purpose)
{
    walk *w = ud;
    kt_consent_state s;
    if ((w->st = kt_consent_state_of(w->ws, w->person, purpose, &s, w->err))) return 1;
    const cJSON *last = newest(w->history, purpose);
    cJSON *o = last ? cJSON_Duplicate(last, 1) : row_json(purpose, "none", NULL);
    if (o) cJSON_ReplaceItemInObject(o, "state", cJSON_CreateString(kt_consent_state_name(s)));
    if (!kt_json_add(w->current, NULL, o)) {
        w->st = kt_error_set(w->err, KT_NOMEM, "out of memory");
        return 1;
    }
    return 0;
}

kt_status kt_consent_json(kt_ws *ws, kt_id person, cJSON **out, kt_error *err)
{
    *out = NULL;
    kt_record *rec = NULL;
    walk w = {ws, person, cJSON_CreateArray(), cJSON_CreateArray(), KT_OK, err};
    cJSON *o = cJSON_CreateObject();
    kt_status st =
        o && w.history && w.current ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
    if (!st) st = kt_consent_history(ws, person, NULL, on_row, &w, err);
    if (!st) st = w.st;
    if (!st) st = kt_get(ws, person, &rec, err);
    if (!st && strcmp(rec->entity, "person") != 0)
        st = kt_error_set(err, KT_NOTFOUND, "record %lld is a %s, not a person", person,
                          rec->entity);
    if (!st) st = kt_consent_purposes(ws, person, on_purpose, &w, err);
    if (!st) st = w.st;
    if (!st) {
        char id[32];
        snprintf(id, sizeof id, "%lld", person);
        int ok = kt_json_add(o, "person", cJSON_CreateString(id));
        ok &= kt_json_add(o, "marketing_consent",
                          text_or_null(kt_record_text(rec, "marketing_consent")));
        ok &= kt_json_add(o, "current", w.current);
        ok &= kt_json_add(o, "history", w.history);
        w.current = w.history = NULL;
        if (!ok) st = kt_error_set(err, KT_NOMEM, "out of memory");
    }
    kt_record_free(rec);
    cJSON_Delete(w.current);
    cJSON_Delete(w.history);
    if (st) {
        cJSON_Delete(o);
        return st;
    }
    *out = o;
    return KT_OK;
}
