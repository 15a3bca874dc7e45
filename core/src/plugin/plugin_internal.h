/* Shared between the loader's files; nothing outside core/src/plugin uses this. */
#ifndef KT_PLUGIN_INTERNAL_H
#define KT_PLUGIN_INTERNAL_H

#include <stddef.h>

#include "kartoteka/error.h"
#include "kartoteka/ext.h"
#include "kartoteka/plugin.h"
#include "kartoteka/plugin_loader.h"

/* What host->handle points at while one plugin's init runs. It lives in the kt_plugins object,
 * not on the stack, so a plugin that keeps the host table and calls it after init gets a
 * refusal instead of a write through a dangling pointer. */
typedef struct kt_plugin_session {
    kt_ext *ext;
    const char *name; /* the plugin being initialised: the origin of what it registers */
    kt_plugin_setting_fn setting;
    void *setting_ud;
    int open;               /* 1 only while init runs */
    char failure[512];      /* the first registration refused, for the load error */
    kt_status failure_code; /* and why: KT_NOMEM is reported as such, not as a bad plugin */
} kt_plugin_session;

/* Fills the table a plugin's init receives; host->handle = s. */
void kt_plugin_host_make(kt_plugin_host *host, kt_plugin_session *s);

/* Checks that `path` (symlinks already resolved) may be dlopened: a regular file in a folder,
 * both owned by the current euid or root and writable by neither group nor others.
 * KT_DENIED or KT_IO with a message naming `name` and the file. */
kt_status kt_plugin_file_check(const char *name, const char *path, kt_error *err);

/* Registers the plugin's rule r (borrowed: the plugin's static) as a write-door rule. */
kt_status kt_plugin_rule_add(kt_ext *ext, const kt_plugin_rule *r, const char *origin,
                             kt_error *err);

/* Registers the plugin's import map m (borrowed: the plugin's static) as an import map object
 * that `kt import --map NAME` opens. */
kt_status kt_plugin_import_map_add(kt_ext *ext, const kt_plugin_import_map *m, const char *origin,
                                   kt_error *err);

#endif
