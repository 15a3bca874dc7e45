/* A plugin's rule becomes a rule of the write door like one from kartoteka.lua: the same
 * object in the registry, with a check that shows the plugin the record as text. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/save.h"
#include "plugin/plugin_internal.h"

static kt_status check(void *ud, kt_ws *ws, const kt_record *rec, int *failed, char **message,
                       kt_error *err)
{
    (void)ws;
    const kt_plugin_rule *r = ud;
    kt_plugin_view v;
    kt_status st = kt_plugin_view_make(rec, &v, err);
    if (st) return st;
    char msg[512] = "";
    int rc = r->check(r->ud, &v.view, msg, sizeof msg);
    kt_plugin_view_clear(&v);
    msg[sizeof msg - 1] = '\0';
    if (rc == KT_PLUGIN_RULE_PASS) return KT_OK;
    if (rc == KT_PLUGIN_RULE_BROKEN) {
        *failed = 1;
        if (msg[0] && !(*message = kt_strdup(msg)))
            return kt_error_set(err, KT_NOMEM, "out of memory");
        return KT_OK;
    }
    return kt_error_set(err, KT_SCRIPT, "rule %s failed: %s", r->name,
                        msg[0] ? msg : "the plugin's check gave no reason");
}

kt_status kt_plugin_rule_add(kt_ext *ext, const kt_plugin_rule *r, const char *origin,
                             kt_error *err)
{
    const char *fields[1] = {r->field};
    kt_rule rule = {r->name,
                    r->entity,
                    r->message,
                    r->warning ? KT_SEVERITY_WARNING : KT_SEVERITY_ERROR,
                    r->field ? fields : NULL,
                    r->field ? 1 : 0,
                    check,
                    (void *)r};
    return kt_rule_register(ext, &rule, origin, err);
}
