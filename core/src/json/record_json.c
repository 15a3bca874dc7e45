/* The one record -> JSON encoder: `kt get --json`, `kt list --json` and the JSON and NDJSON
 * exports all write a record through it, so a value has one JSON form everywhere. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/auth.h"
#include "kartoteka/json.h"
#include "kartoteka/json_add.h"

static cJSON *ref_json(const kt_value *v, const char *uid)
{
    if (!uid) return cJSON_CreateString(v->text);
    char key[80];
    snprintf(key, sizeof key, "%s:%s", uid, v->text);
    return cJSON_CreateString(key);
}

/* Is text an integer as the integer type stores it ("-12", never "+12" or "012") that a JSON
 * reader's double holds exactly (|n| <= 2^53)? Larger ones are written as strings, so that no
 * reader (ours, a spreadsheet's, JavaScript's) silently rounds them. */
static int exact_json_number(const char *t)
{
    const char *d = t + (*t == '-');
    size_t n = strspn(d, "0123456789");
    if (n == 0 || d[n] != '\0' || (*d == '0' && n > 1)) return 0;
    return n < 16 || (n == 16 && strcmp(d, "9007199254740992") <= 0);
}

static cJSON *value_json(const kt_field *f, const kt_value *v, const char *uid)
{
    if (kt_value_empty(v))
        return f && f->kind == KT_TYPE_SET ? cJSON_CreateArray() : cJSON_CreateNull();
    if (v->is_set) {
        cJSON *a = cJSON_CreateArray();
        int ok = a != NULL;
        for (size_t i = 0; ok && i < v->nitems; i++)
            ok = kt_json_add(a, NULL, cJSON_CreateString(v->items[i]));
        if (!ok) cJSON_Delete(a);
        return ok ? a : NULL;
    }
    switch (f ? f->kind : KT_TYPE_TEXT) {
    case KT_TYPE_INTEGER: /* the stored digits, never through a double */
        return exact_json_number(v->text) ? cJSON_CreateRaw(v->text) : cJSON_CreateString(v->text);
    case KT_TYPE_BOOL: /* anything else is a masked value: a string, never a false */
        if (strcmp(v->text, "true") && strcmp(v->text, "false")) return cJSON_CreateString(v->text);
        return cJSON_CreateBool(strcmp(v->text, "true") == 0);
    case KT_TYPE_REF:
        if (!kt_id_parse(v->text)) return cJSON_CreateString(v->text); /* masked */
        return ref_json(v, uid);
    default:
        return cJSON_CreateString(v->text);
    }
}

static int add_id(cJSON *o, const char *name, kt_id id, const char *uid)
{
    char text[80];
    if (uid)
        snprintf(text, sizeof text, "%s:%lld", uid, id);
    else
        snprintf(text, sizeof text, "%lld", id);
    return cJSON_AddStringToObject(o, name, text) != NULL;
}

cJSON *kt_json_record(kt_ws *ws, const kt_record *rec, const kt_json_record_opts *opts)
{
    kt_json_record_opts none = {0};
    const kt_json_record_opts *o = opts ? opts : &none;
    /* a member cJSON could not allocate is out of memory, never a record written without it */
    cJSON *j = cJSON_CreateObject();
    int ok = j && add_id(j, "id", rec->id, o->uid) &&
             (!rec->entity || cJSON_AddStringToObject(j, "entity", rec->entity)) &&
             cJSON_AddStringToObject(j, "state", rec->state) &&
             (!rec->merged_into || add_id(j, "merged_into", rec->merged_into, o->uid));
    const kt_registry *reg = kt_ws_registry(ws);
    int noting = kt_pii_access_on(ws);
    for (size_t i = 0; ok && i < rec->n; i++) {
        if (o->omit_empty && kt_value_empty(&rec->values[i])) continue;
        const kt_field *f = kt_registry_field(reg, rec->entity, rec->names[i]);
        if (noting && f && f->pii && !kt_value_empty(&rec->values[i]))
            kt_pii_access_note(ws, rec->entity, rec->id, f->name);
        ok = kt_json_add(j, rec->names[i], value_json(f, &rec->values[i], o->uid));
    }
    if (!ok) cJSON_Delete(j);
    return ok ? j : NULL;
}
