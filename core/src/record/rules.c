/* The rules the write door runs, whoever registered them (kartoteka.lua or a plugin): rule
 * objects in the workspace's extension registry, each a copy owned there. */
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/ext.h"
#include "kartoteka/workspace.h"
#include "record/door.h"
#include "workspace/ws_internal.h"

#define DOOR_TAG "kt.write-door"

static void rule_free(void *item)
{
    kt_rule *r = item;
    kt_free((char *)r->name);
    kt_free((char *)r->entity);
    kt_free((char *)r->message);
    for (size_t i = 0; i < r->nfields; i++)
        kt_free((char *)r->fields[i]);
    kt_free((char **)r->fields);
    kt_free(r);
}

kt_status kt_rule_register(kt_ext *ext, const kt_rule *rule, const char *origin, kt_error *err)
{
    if (kt_ext_find(ext, KT_EXT_RULE, rule->name))
        return kt_error_set(err, KT_EXISTS, "rule \"%s\" is declared twice", rule->name);
    kt_rule *c = kt_calloc(1, sizeof *c);
    if (!c) return kt_error_set(err, KT_NOMEM, "out of memory");
    *c = *rule;
    c->name = kt_strdup(rule->name);
    c->entity = kt_strdup(rule->entity);
    c->message = rule->message ? kt_strdup(rule->message) : NULL;
    c->fields = NULL;
    c->nfields = 0;
    int bad = !c->name || !c->entity || (rule->message && !c->message);
    if (!bad && rule->nfields) {
        char **fs = kt_calloc(rule->nfields, sizeof *fs);
        c->fields = (const char *const *)fs;
        bad = !fs;
        for (size_t i = 0; !bad && i < rule->nfields; i++, c->nfields++)
            bad = !(fs[i] = kt_strdup(rule->fields[i]));
    }
    if (bad) {
        rule_free(c);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    return kt_ext_add_owned(ext, KT_EXT_RULE, c, origin, rule_free, err);
}

static void door_free(void *p)
{
    kt_door *d = p;
    kt_failures_free(&d->scratch);
    kt_free(d->observers);
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
    return kt_rule_register(ws->ext, rule, "kartoteka.lua", err);
}

unsigned long kt_ws_rule_run(const kt_ws *ws)
{
    const kt_door *door = kt_door_peek(ws);
    return door ? door->rule_run : 0;
}

size_t kt_ws_rule_count(const kt_ws *ws)
{
    size_t n = 0;
    for (size_t i = 0; i < kt_ext_count(ws->ext); i++)
        n += kt_ext_at(ws->ext, i)->kind == KT_EXT_RULE;
    return n;
}

const kt_rule *kt_ws_rule_at(const kt_ws *ws, size_t i)
{
    for (size_t j = 0; j < kt_ext_count(ws->ext); j++) {
        const kt_ext_entry *e = kt_ext_at(ws->ext, j);
        if (e->kind == KT_EXT_RULE && i-- == 0) return e->item;
    }
    return NULL;
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

typedef struct event_hook {
    kt_event_fn fn;
    void *ud;
} event_hook;

kt_status kt_ws_set_event_hook(kt_ws *ws, kt_event_fn fn, void *ud, kt_error *err)
{
    void *p;
    kt_status st = kt_ws_attachment_make(ws, "events", sizeof(event_hook), kt_free, &p, err);
    if (st) return st;
    *(event_hook *)p = (event_hook){fn, ud};
    return KT_OK;
}

kt_status kt_ws_event(kt_ws *ws, const kt_event *ev, kt_error *err)
{
    const event_hook *h = kt_ws_attachment(ws, "events");
    return h && h->fn ? h->fn(h->ud, ws, ev, err) : KT_OK;
}
