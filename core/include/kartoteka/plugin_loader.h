/* Loading C plugins (kartoteka/plugin.h) into the extension registry (kartoteka/ext.h).
 *
 * dlopen runs a library's constructors before anything can be checked, so the file and the
 * folder holding it are checked first: a regular file, owned by the current user or root, not
 * writable by group or others. Only then dlopen(RTLD_NOW | RTLD_LOCAL), one dlsym of
 * "kt_plugin", the ABI number (exact match), the descriptor's size and name, and finally init.
 * An ABI number is not a security check: callers pass only folders the workspace owner
 * controls.
 *
 * Lifetime: the registry keeps pointers into each loaded library (the plugin's static structs),
 * so stop using the registry before kt_plugins_free, which dlcloses them all. kt_plugins_free
 * never touches the registry, so kt_ext_free may run before or after it:
 *
 *     kt_ext *ext = kt_ext_new();
 *     kt_plugins *p = kt_plugins_new(ext);
 *     kt_plugins_load(p, "ids_pl", dirs, ndirs, NULL, NULL, &err);
 *     ... use ext ...
 *     kt_ext_free(ext);
 *     kt_plugins_free(p);
 */
#ifndef KARTOTEKA_PLUGIN_LOADER_H
#define KARTOTEKA_PLUGIN_LOADER_H

#include <stddef.h>

#include "kartoteka/error.h"
#include "kartoteka/ext.h"
#include "kartoteka/plugin.h"
#include "kartoteka/record.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kt_plugins kt_plugins;

/* Answers a plugin's host->setting(key) during its init: `plugin "name" { key = "value" }`.
 * Returns NULL when unset; the string is borrowed and must stay valid until kt_plugins_load
 * returns. */
typedef const char *(*kt_plugin_setting_fn)(void *ud, const char *key);

/* What `kt plugin list` shows about one loaded plugin. Every pointer is borrowed, valid until
 * kt_plugins_free. */
typedef struct kt_plugin_info {
    const char *name;    /* "ids_pl" */
    const char *version; /* "1.0.0"; "" when the plugin gave none */
    const char *license; /* "MIT"; "" when none */
    const char *summary; /* one line; "" when none */
    const char *path;    /* the file actually loaded, symlinks resolved */
    size_t registered;   /* how many things it registered; see kt_plugins_registered */
} kt_plugin_info;

/* ext is borrowed and must outlive every kt_plugins_load call. Caller frees with
 * kt_plugins_free. NULL when out of memory. */
kt_plugins *kt_plugins_new(kt_ext *ext);

/* dlcloses every loaded plugin, newest first. Accepts NULL. The registry must no longer be used
 * afterwards (it would point into unloaded code); see the lifetime note above. */
void kt_plugins_free(kt_plugins *p);

/* Loads plugin `name` (a plain identifier [a-z0-9_]+, never a path) from the first of dirs[0 ..
 * ndirs-1] holding <dir>/<name>.so, and registers what it provides into the registry.
 * dirs and their strings are borrowed for the call. setting may be NULL (every setting unset).
 * Loading a name that is already loaded is a no-op returning KT_OK.
 * Refusals, each with a message naming the file and the reason:
 *   KT_USAGE    name is not a plain identifier;
 *   KT_NOTFOUND no <name>.so in any of the folders (the message lists them);
 *   KT_DENIED   the file or its folder is not a regular file/folder, not owned by the current
 *               user or root, or writable by group or others;
 *   KT_ABI      not a loadable shared object, no "kt_plugin" symbol, another ABI number, a
 *               descriptor too small, or a name that differs from the file's;
 *   KT_INVALID  the plugin's init failed (its message is included); whatever it registered
 *               is removed again and the library is dlclosed;
 *   KT_NOMEM.
 * A refused plugin leaves the registry and the other plugins as they were. */
kt_status kt_plugins_load(kt_plugins *p, const char *name, const char *const *dirs, size_t ndirs,
                          kt_plugin_setting_fn setting, void *setting_ud, kt_error *err);

/* Loaded plugins in load order: 0 .. kt_plugins_count()-1. */
size_t kt_plugins_count(const kt_plugins *p);

/* Borrowed until kt_plugins_free; NULL when i is out of range. */
const kt_plugin_info *kt_plugins_info(const kt_plugins *p, size_t i);

/* The j-th thing plugin i registered (kind, name, origin), borrowed from the registry until it
 * next changes; NULL when out of range. */
const kt_ext_entry *kt_plugins_registered(const kt_plugins *p, size_t i, size_t j);

/* The loaded plugin called name, or NULL. Borrowed until kt_plugins_free. */
const kt_plugin_info *kt_plugins_find(const kt_plugins *p, const char *name);

/* A record shown to a plugin (kt_plugin_record) and what the showing allocated. */
typedef struct kt_plugin_view {
    kt_plugin_record view; /* borrows rec's names and texts, and the members below */
    const char **names;
    const char **values;
    char **joined; /* sets as "a,b" */
    size_t njoined;
} kt_plugin_view;
/* rec must outlive v; clear v with kt_plugin_view_clear (also after a failure: then zeroed). */
kt_status kt_plugin_view_make(const kt_record *rec, kt_plugin_view *v, kt_error *err);
void kt_plugin_view_clear(kt_plugin_view *v);

#ifdef __cplusplus
}
#endif
#endif
