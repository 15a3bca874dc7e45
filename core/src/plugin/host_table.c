#include "plugin/plugin_internal.h"

#include <stdio.h>

/* Every register_* funnels through here so the rules (only during init, callbacks present,
 * names unique per kind) are the same for all kinds. */
static int add(kt_plugin_session *s, kt_ext_kind kind, const void *item, const char *call,
               const char *name, const char *missing)
{
    if (!s || !s->open) return KT_PLUGIN_FAIL;
    const char *shown = name ? name : "(null)";
    if (missing) {
        if (!s->failure[0])
            snprintf(s->failure, sizeof s->failure, "%s('%.64s'): %s is missing", call, shown,
                     missing);
        return KT_PLUGIN_FAIL;
    }
    kt_error err;
    kt_error_clear(&err);
    kt_status rc = kind == KT_EXT_RULE ? kt_plugin_rule_add(s->ext, item, s->name, &err)
                   : kind == KT_EXT_IMPORT_MAP
                       ? kt_plugin_import_map_add(s->ext, item, s->name, &err)
                       : kt_ext_add(s->ext, kind, item, s->name, &err);
    if (rc != KT_OK) {
        if (!s->failure_code) s->failure_code = rc;
        if (!s->failure[0])
            snprintf(s->failure, sizeof s->failure, "%s('%.64s'): %.400s", call, shown,
                     err.message);
        return KT_PLUGIN_FAIL;
    }
    return KT_PLUGIN_OK;
}

static int register_type(void *handle, const kt_plugin_type *t)
{
    const char *missing = !t              ? "the type"
                          : !t->normalise ? "normalise"
                          : (t->storage != KT_STORE_TEXT && t->storage != KT_STORE_INTEGER)
                              ? "a known storage"
                              : NULL;
    return add(handle, KT_EXT_TYPE, t, "register_type", t ? t->name : NULL, missing);
}

static int register_function(void *handle, const kt_plugin_function *f)
{
    const char *missing = !f ? "the function" : !f->fn ? "fn" : NULL;
    return add(handle, KT_EXT_FUNCTION, f, "register_function", f ? f->name : NULL, missing);
}

static int register_reader(void *handle, const kt_plugin_reader *r)
{
    const char *missing = !r          ? "the reader"
                          : !r->open  ? "open"
                          : !r->next  ? "next"
                          : !r->close ? "close"
                                      : NULL;
    return add(handle, KT_EXT_READER, r, "register_reader", r ? r->name : NULL, missing);
}

static int register_channel(void *handle, const kt_plugin_channel *c)
{
    const char *missing = !c ? "the channel" : !c->deliver ? "deliver" : NULL;
    return add(handle, KT_EXT_CHANNEL, c, "register_channel", c ? c->name : NULL, missing);
}

static int register_rule(void *handle, const kt_plugin_rule *r)
{
    const char *missing = !r                            ? "the rule"
                          : !r->check                   ? "check"
                          : !r->entity || !r->entity[0] ? "entity"
                                                        : NULL;
    return add(handle, KT_EXT_RULE, r, "register_rule", r ? r->name : NULL, missing);
}

/* `kt report NAME` and `kt import --map NAME` take letters, digits and '_'; a report or map no one
 * can name is a mistake. */
static int report_name_ok(const char *name)
{
    size_t n = 0;
    for (; name[n]; n++)
        if (!((name[n] >= 'a' && name[n] <= 'z') || (name[n] >= '0' && name[n] <= '9') ||
              name[n] == '_'))
            return 0;
    return n > 0 && n <= 64;
}

/* A report or an import map: a callback (fn, present or not) and a name people type. */
static int add_named(void *handle, kt_ext_kind kind, const void *item, const char *what,
                     const char *call, const char *name, int has_fn, const char *fn)
{
    const char *missing = !item                            ? what
                          : !has_fn                        ? fn
                          : !name || !report_name_ok(name) ? "a name of a-z, 0-9 and '_'"
                                                           : NULL;
    return add(handle, kind, item, call, name, missing);
}

static int register_report(void *handle, const kt_plugin_report *r)
{
    return add_named(handle, KT_EXT_REPORT, r, "the report", "register_report", r ? r->name : NULL,
                     r && r->run, "run");
}

static int register_import_map(void *handle, const kt_plugin_import_map *m)
{
    return add_named(handle, KT_EXT_IMPORT_MAP, m, "the import map", "register_import_map",
                     m ? m->name : NULL, m && m->map, "map");
}

static const char *setting(void *handle, const char *key)
{
    kt_plugin_session *s = handle;
    if (!s || !s->open || !key || !s->setting) return NULL;
    return s->setting(s->setting_ud, key);
}

void kt_plugin_host_make(kt_plugin_host *host, kt_plugin_session *s)
{
    host->abi = KT_PLUGIN_ABI_VERSION;
    host->size = sizeof *host;
    host->handle = s;
    host->register_type = register_type;
    host->register_function = register_function;
    host->register_reader = register_reader;
    host->register_channel = register_channel;
    host->setting = setting;
    host->register_rule = register_rule;
    host->register_report = register_report;
    host->register_import_map = register_import_map;
}
