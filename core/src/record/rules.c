/* The rules the write door runs, whoever registered them (kartoteka.lua or a plugin). */
#include <string.h>

#include "kartoteka/alloc.h"
#include "workspace/ws_internal.h"

void kt_ws_rule_clear(kt_rule *r)
{
    kt_free((char *)r->name);
    kt_free((char *)r->entity);
    kt_free((char *)r->message);
    for (size_t i = 0; i < r->nfields; i++)
        kt_free((char *)r->fields[i]);
    kt_free((char **)r->fields);
    memset(r, 0, sizeof *r);
}

kt_status kt_ws_add_rule(kt_ws *ws, const kt_rule *rule, kt_error *err)
{
    for (size_t i = 0; i < ws->nrules; i++)
        if (strcmp(ws->rules[i].name, rule->name) == 0)
            return kt_error_set(err, KT_EXISTS, "rule \"%s\" is declared twice", rule->name);
    kt_rule *rs = kt_realloc(ws->rules, (ws->nrules + 1) * sizeof *rs);
    if (!rs) return kt_error_set(err, KT_NOMEM, "out of memory");
    ws->rules = rs;
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
        kt_ws_rule_clear(&c);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    ws->rules[ws->nrules++] = c;
    return KT_OK;
}

unsigned long kt_ws_rule_run(const kt_ws *ws)
{
    return ws->rule_run;
}

size_t kt_ws_rule_count(const kt_ws *ws)
{
    return ws->nrules;
}

const kt_rule *kt_ws_rule_at(const kt_ws *ws, size_t i)
{
    return i < ws->nrules ? &ws->rules[i] : NULL;
}

void kt_ws_set_dupe_check(kt_ws *ws, kt_dupe_fn fn, void *ud)
{
    ws->dupe_fn = fn;
    ws->dupe_ud = ud;
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
