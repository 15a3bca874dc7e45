/* The rules the write door runs, whoever registered them (kartoteka.lua or a plugin). */
#include <string.h>

#include "kartoteka/alloc.h"
#include "record/door.h"
#include "kartoteka/workspace.h"
#include "workspace/ws_internal.h"

#define DOOR_TAG "kt.write-door"

static void rule_clear(kt_rule *r)
{
    kt_free((char *)r->name);
    kt_free((char *)r->entity);
    kt_free((char *)r->message);
    for (size_t i = 0; i < r->nfields; i++)
        kt_free((char *)r->fields[i]);
    kt_free((char **)r->fields);
    memset(r, 0, sizeof *r);
}

static void door_free(void *p)
{
    kt_door *d = p;
    for (size_t i = 0; i < d->nrules; i++)
        rule_clear(&d->rules[i]);
    kt_free(d->rules);
    kt_failures_free(&d->scratch);
    kt_free(d);
}

kt_status kt_door_of(kt_ws *ws, kt_door **out, kt_error *err)
{
    void *d;
    kt_status st = kt_ws_attachment_make(ws, DOOR_TAG, sizeof(kt_door), door_free, &d, err);
    *out = st ? NULL : d;
    return st;
}

kt_door *kt_door_peek(const kt_ws *ws)
{
    return kt_ws_attachment(ws, DOOR_TAG);
}

kt_status kt_ws_add_rule(kt_ws *ws, const kt_rule *rule, kt_error *err)
{
    kt_door *door;
    kt_status made = kt_door_of(ws, &door, err);
    if (made) return made;
    for (size_t i = 0; i < door->nrules; i++)
        if (strcmp(door->rules[i].name, rule->name) == 0)
            return kt_error_set(err, KT_EXISTS, "rule \"%s\" is declared twice", rule->name);
    kt_rule *rs = kt_realloc(door->rules, (door->nrules + 1) * sizeof *rs);
    if (!rs) return kt_error_set(err, KT_NOMEM, "out of memory");
    door->rules = rs;
    kt_rule c = *rule;
    c.name = kt_strdup(rule->name);
    c.entity = kt_strdup(rule->entity);
    c.message = rule->message ? kt_strdup(rule->message) : NULL;
    c.fields = NULL;
    c.nfields = 0;
    int bad = !c.name || !c.entity || (rule->message && !c.message);
    if (!bad && rule->nfields) {
        char **fs = kt_calloc(rule->nfields, sizeof *fs);
        c.fields = (const char *const *)fs;
        bad = !fs;
        for (size_t i = 0; !bad && i < rule->nfields; i++, c.nfields++)
            bad = !(fs[i] = kt_strdup(rule->fields[i]));
    }
    if (bad) {
        rule_clear(&c);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    door->rules[door->nrules++] = c;
    return KT_OK;
}

unsigned long kt_ws_rule_run(const kt_ws *ws)
{
    const kt_door *door = kt_door_peek(ws);
    return door ? door->rule_run : 0;
}

size_t kt_ws_rule_count(const kt_ws *ws)
{
    const kt_door *door = kt_door_peek(ws);
    return door ? door->nrules : 0;
}

const kt_rule *kt_ws_rule_at(const kt_ws *ws, size_t i)
{
    const kt_door *door = kt_door_peek(ws);
    return door && i < door->nrules ? &door->rules[i] : NULL;
}

kt_status kt_ws_set_dupe_check(kt_ws *ws, kt_dupe_fn fn, void *ud, kt_error *err)
{
    kt_door *door;
    kt_status st = kt_door_of(ws, &door, err);
    if (st) return st;
    door->dupe_fn = fn;
    door->dupe_ud = ud;
    return KT_OK;
}
