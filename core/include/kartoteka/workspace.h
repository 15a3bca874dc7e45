/* A workspace: a business's CRM as a folder (kartoteka.lua, kartoteka.db, imports/, ...).
 * The handle ties together the store, the field registry, the extension registry (types,
 * functions, readers, channels), the rules the write door runs and the workspace settings. */
#ifndef KARTOTEKA_WORKSPACE_H
#define KARTOTEKA_WORKSPACE_H

#include "kartoteka/error.h"
#include "kartoteka/ext.h"
#include "kartoteka/registry.h"
#include "kartoteka/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kt_ws kt_ws;

#define KT_WS_CONFIG "kartoteka.lua"
#define KT_WS_DATABASE "kartoteka.db"
/* Beside the database: the locks of single-runner work (kt_ws_lock). */
#define KT_WS_LOCKFILE "kartoteka.db.lock"

/* Beside kartoteka.lua when the workspace's data lives in PostgreSQL: the store's URL (never a
 * password), one line, mode 0600. Without it the store is kartoteka.db. */
#define KT_WS_STORE "kartoteka.store"

/* Finds the workspace holding `start` (a folder): start itself or the nearest parent with a
 * kartoteka.lua or kartoteka.db. *dir is allocated (caller frees with kt_free). */
kt_status kt_ws_find(const char *start, char **dir, kt_error *err);

/* Makes a new workspace folder: copies example_dir when given (a folder with kartoteka.lua),
 * else writes the commented starter kartoteka.lua; then creates kartoteka.db. KT_EXISTS when
 * dir already holds a workspace. */
kt_status kt_ws_create(const char *dir, const char *example_dir, kt_error *err);
/* kt_ws_create with the data in the store that store names (a postgresql:// URL, written to
 * kartoteka.store); NULL: kartoteka.db. */
kt_status kt_ws_create_in(const char *dir, const char *example_dir, const char *store,
                          kt_error *err);
/* Where dir's store is: the URL kartoteka.store holds, else dir/kartoteka.db. *out allocated
 * (caller frees with kt_free). */
kt_status kt_ws_store_where(const char *dir, char **out, kt_error *err);

/* Copies a workspace's files (configuration, scripts, data files) from the folder `from` into
 * the existing folder `to`, as kt_ws_create copies an example: regular files and folders only,
 * never a database, its -wal/-shm/-journal or lock file (any name with ".db"), never a dot
 * file. skip (may be NULL) names one entry of `from` itself left out. */
kt_status kt_ws_copy_files(const char *from, const char *to, const char *skip, kt_error *err);

/* Opens the workspace in dir: the database (migrated) and the registry it holds. Built-in
 * types and readers are registered; configuration (kartoteka.lua) is applied by the script
 * layer (kt_config_apply). *out is closed with kt_ws_close. */
kt_status kt_ws_open(const char *dir, kt_ws **out, kt_error *err);
void kt_ws_close(kt_ws *ws); /* accepts NULL; releases attachments in reverse order */

/* Borrowed for the workspace's life. */
const char *kt_ws_dir(const kt_ws *ws);
kt_store *kt_ws_store(kt_ws *ws);
kt_registry *kt_ws_registry(kt_ws *ws);
kt_ext *kt_ws_ext(kt_ws *ws);

/* Something a higher layer keeps alive as long as the workspace (the Lua host, the plugins).
 * free_fn(ptr) runs at kt_ws_close, last attached first. Looked up by its tag. */
kt_status kt_ws_attach(kt_ws *ws, const char *tag, void *ptr, void (*free_fn)(void *),
                       kt_error *err);
void *kt_ws_attachment(const kt_ws *ws, const char *tag); /* borrowed, or NULL */
/* The attachment tagged tag, made first when there is none: size zeroed bytes (kt_calloc) that
 * free_fn releases, itself included. *out borrowed, as kt_ws_attachment's. */
kt_status kt_ws_attachment_make(kt_ws *ws, const char *tag, size_t size, void (*free_fn)(void *),
                                void **out, kt_error *err);

/* Settings: workspace-wide values from kartoteka.lua's settings { ... } (country, timezone,
 * language, ...). Strings are copied; get returns borrowed text or NULL. */
kt_status kt_ws_set_setting(kt_ws *ws, const char *key, const char *value, kt_error *err);
const char *kt_ws_setting(const kt_ws *ws, const char *key);

/* Declares an entity / a field: updates the registry and the database (new columns are added
 * to populated tables; a type change is refused). One transaction each. */
kt_status kt_ws_declare_entity(kt_ws *ws, const char *name, const char *label_json,
                               const char *origin, kt_error *err);
kt_status kt_ws_declare_field(kt_ws *ws, const kt_field_decl *decl, kt_error *err);

/* kt field remove: retires entity.name — it leaves the registry (lists, forms, exports, checks
 * and saves no longer see it) while its column keeps the values and history keeps their
 * changes. KT_DENIED for a built-in field or one a rule or a field hook (a dedupe rule) names.
 * *values counts the records holding a value. dry_run: check and count only. */
kt_status kt_ws_field_remove(kt_ws *ws, const char *entity, const char *name, int dry_run,
                             long long *values, kt_error *err);
/* kt field restore: a retired field back in the registry, with the values it kept. */
kt_status kt_ws_field_restore(kt_ws *ws, const char *entity, const char *name, kt_error *err);
/* kt field rename: values (the column), history, the registry row and what hooks follow (the
 * merge log) move to new_name in one transaction. KT_EXISTS when new_name is taken (by a
 * retired field too), KT_DENIED for a built-in field. */
kt_status kt_ws_field_rename(kt_ws *ws, const char *entity, const char *name, const char *new_name,
                             int dry_run, long long *values, kt_error *err);
/* Who names field f: rules listing it and field hooks' users, joined into out ("rule
 * \"person.x\", dedupe \"person\""), empty when none. */
kt_status kt_ws_field_users(kt_ws *ws, const kt_field *f, char *out, size_t size, kt_error *err);
/* KT_NOTFOUND for a field the registry does not hold, saying why: removed (and how to
 * restore it), renamed (and to what), or never there. */
kt_status kt_ws_field_missing(kt_ws *ws, const char *entity, const char *name, kt_error *err);
/* For a declaration of a field the registry does not hold: KT_DENIED when the name is a retired
 * field, or (from kartoteka.lua, not kt field add) one renamed away. */
kt_status kt_ws_field_fresh(kt_ws *ws, const kt_field_decl *d, kt_error *err);

/* Called by kt_ws_field_remove's check with new_name NULL (return KT_DENIED with a message
 * naming the user, e.g. dedupe "person", when f must stay), and inside kt_ws_field_rename's
 * transaction with new_name set (make what names f follow). ud borrowed. */
typedef kt_status (*kt_field_hook_fn)(void *ud, kt_ws *ws, const kt_field *f, const char *new_name,
                                      kt_error *err);
kt_status kt_ws_add_field_hook(kt_ws *ws, kt_field_hook_fn fn, void *ud, kt_error *err);

/* Long work says how far it got: what it counts ("records", "pairs"), done so far, of total
 * (0: not known). The core never prints; whoever set the callback decides whether and how to
 * show it (the command line draws a line on a terminal). fn NULL: nobody listens. ud borrowed. */
typedef void (*kt_progress_fn)(void *ud, const char *what, long done, long total);
void kt_ws_set_progress(kt_ws *ws, kt_progress_fn fn, void *ud);
void kt_ws_progress(kt_ws *ws, const char *what, long done, long total);

/* Locks for work only one process may do at a time (a campaign's run, kt due, the outbox's
 * delivery, an import's batch), held on the lock file beside the database (KT_WS_LOCKFILE) and
 * released by the kernel when the process ends, however it ends. KT_BUSY when another process
 * or another open workspace holds name; taking a lock this handle holds succeeds. */
kt_status kt_ws_lock(kt_ws *ws, const char *name, kt_error *err);
void kt_ws_unlock(kt_ws *ws, const char *name); /* a lock not held: nothing happens */
/* *held = 1 when another process or open workspace holds name now. */
kt_status kt_ws_lock_held(kt_ws *ws, const char *name, int *held, kt_error *err);

#ifdef __cplusplus
}
#endif
#endif
