/* Records, history entries and fields as JSON: the one encoder behind --json and the API. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/json.h"

static cJSON *text_or_null(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

cJSON *kt_json_change(const kt_change *c)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "at", c->at);
    cJSON_AddStringToObject(o, "action", c->action);
    cJSON_AddItemToObject(o, "field", text_or_null(c->field));
    cJSON_AddItemToObject(o, "old", text_or_null(c->old));
    cJSON_AddItemToObject(o, "new", text_or_null(c->new_));
    cJSON_AddStringToObject(o, "source", c->source);
    if (c->batch) cJSON_AddNumberToObject(o, "batch", (double)c->batch);
    return o;
}

cJSON *kt_json_merge(kt_ws *ws, const kt_record *winner, const char *verb, const kt_id *ids,
                     size_t n)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", winner->id);
    cJSON_AddStringToObject(o, "winner", buf);
    cJSON_AddItemToObject(o, verb, kt_json_ids(ids, n));
    cJSON_AddItemToObject(o, "record", kt_json_record(ws, winner, NULL));
    return o;
}

cJSON *kt_json_ids(const kt_id *ids, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    char buf[32];
    for (size_t i = 0; a && i < n; i++) {
        snprintf(buf, sizeof buf, "%lld", ids[i]);
        cJSON_AddItemToArray(a, cJSON_CreateString(buf));
    }
    return a;
}

cJSON *kt_json_dupe_cluster(const kt_dupe_cluster *c)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddItemToObject(o, "ids", kt_json_ids(c->ids, c->n));
    cJSON_AddNumberToObject(o, "score", round(c->score * 1000.0) / 1000.0);
    return o;
}

static double round3(double x)
{
    return round(x * 1000.0) / 1000.0;
}

cJSON *kt_json_dupe_explain(const kt_dedupe_explain *e)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    kt_id ids[2] = {e->a, e->b};
    cJSON_AddItemToObject(o, "ids", kt_json_ids(ids, 2));
    cJSON_AddNumberToObject(o, "score", round3(e->score));
    cJSON *fields = cJSON_AddArrayToObject(o, "fields");
    for (size_t i = 0; i < e->n; i++) {
        const kt_dedupe_part *p = &e->parts[i];
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "field", p->field);
        cJSON_AddStringToObject(f, "method", p->method);
        cJSON_AddItemToObject(f, "a", p->a ? cJSON_CreateString(p->a) : cJSON_CreateNull());
        cJSON_AddItemToObject(f, "b", p->b ? cJSON_CreateString(p->b) : cJSON_CreateNull());
        cJSON_AddItemToObject(
            f, "score", p->score < 0 ? cJSON_CreateNull() : cJSON_CreateNumber(round3(p->score)));
        cJSON_AddNumberToObject(f, "weight", p->weight);
        cJSON_AddNumberToObject(f, "contribution", round3(p->contribution));
        if (e->trained && p->level >= 0)
            cJSON_AddStringToObject(f, "level",
                                    p->level == 2 ? "exact"
                                    : p->level    ? "close"
                                                  : "far");
        else if (e->trained)
            cJSON_AddNullToObject(f, "level");
        cJSON_AddItemToArray(fields, f);
    }
    return o;
}

cJSON *kt_json_dupe_review(const kt_dupe_review *r)
{
    cJSON *o = kt_json_dupe_explain(&r->why);
    if (!o) return NULL;
    cJSON_AddNumberToObject(o, "probability", round3(r->why.score));
    cJSON_AddBoolToObject(o, "trained", r->why.trained);
    cJSON_AddBoolToObject(o, "queued", r->queued);
    return o;
}

cJSON *kt_json_field(const kt_field *f)
{
    char *props = kt_field_props_json(f);
    cJSON *o = props ? cJSON_Parse(props) : cJSON_CreateObject();
    kt_free(props);
    if (!o) return NULL;
    cJSON_AddItemToObject(o, "entity", cJSON_CreateString(f->entity));
    cJSON_AddItemToObject(o, "name", cJSON_CreateString(f->name));
    cJSON_AddItemToObject(o, "type", cJSON_CreateString(f->type));
    static const char *const flags[] = {"required", "unique", "searchable", "pii", "indexed"};
    int values[] = {f->required, f->unique, f->searchable, f->pii, f->indexed};
    for (size_t i = 0; i < 5; i++) {
        cJSON_DeleteItemFromObject(o, flags[i]);
        cJSON_AddBoolToObject(o, flags[i], values[i]);
    }
    if (f->kind == KT_TYPE_TEXT) { /* trim is a text field's choice, true unless declared */
        cJSON_DeleteItemFromObject(o, "trim");
        cJSON_AddBoolToObject(o, "trim", !f->no_trim);
    }
    cJSON_AddStringToObject(o, "origin", f->origin ? f->origin : "");
    return o;
}

cJSON *kt_json_import_summary(const kt_import_summary *s)
{
    char id[32];
    snprintf(id, sizeof id, "%lld", s->batch);
    cJSON *j = cJSON_CreateObject();
    if (!j) return NULL;
    if (s->batch)
        cJSON_AddStringToObject(j, "batch", id);
    else
        cJSON_AddNullToObject(j, "batch");
    cJSON_AddNumberToObject(j, "rows", (double)s->rows);
    cJSON_AddNumberToObject(j, "created", (double)s->created);
    cJSON_AddNumberToObject(j, "updated", (double)s->updated);
    cJSON_AddNumberToObject(j, "merged", (double)s->merged);
    cJSON_AddNumberToObject(j, "skipped", (double)s->skipped);
    cJSON_AddNumberToObject(j, "rejected", (double)s->rejected);
    return j;
}
