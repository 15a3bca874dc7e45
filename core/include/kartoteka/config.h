/* Configuration: applies the built-in schema (schema/entities.lua) and a workspace's
 * kartoteka.lua to an open workspace. Both are Lua in the declaration language:
 *   entity "name" { label = ... }          field "entity.name" { type = ..., ... }
 *   rule "entity.name" { check = function(r) ... end, message = ..., severity = ... }
 *   plugin "name" { setting = "value" }    settings { country = "PL", timezone = "..." }
 *   dedupe "entity" { ... }                campaign "name" { ... }
 * Declarations are collected first and applied in a fixed order (plugins, settings, entities,
 * fields, rules), so a field may use a plugin's type wherever `plugin` stands in the file. */
#ifndef KARTOTEKA_CONFIG_H
#define KARTOTEKA_CONFIG_H

#include "kartoteka/plugin_loader.h"
#include "kartoteka/webhook.h"
#include "kartoteka/workspace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The Lua host (kartoteka/host.h) by name only: an embedder applies a configuration without
 * seeing Lua's headers. C11 allows these typedefs again where host.h is included too. */
typedef struct kt_host kt_host;
typedef struct kt_host_limits kt_host_limits;
typedef void (*kt_host_runaway_fn)(void *ud, const char *what);

typedef struct kt_config_opts {
    const char *const *plugin_dirs; /* where `plugin "x"` looks, in order (the workspace's
                                       plugins/ folder is always searched first) */
    size_t nplugin_dirs;
    const char *const *script_dirs; /* Kartoteka's own scripts/ folders for require */
    size_t nscript_dirs;
    kt_host_runaway_fn runaway;     /* last resort for a script stuck in C; may be NULL */
    void *runaway_ud;
    int skip_workspace;             /* apply only the built-in schema (tests, `kt init`) */
} kt_config_opts;

/* Creates the workspace's Lua host and plugin set (both attached to ws, released by
 * kt_ws_close), runs the schema and kartoteka.lua, and applies what they declare. */
kt_status kt_config_apply(kt_ws *ws, const kt_config_opts *opts, kt_error *err);

/* The i-th warning of kt_config_apply (a plugin that was refused and skipped), or NULL past the
 * last. Borrowed for the workspace's life. */
const char *kt_config_warning(const kt_ws *ws, size_t i);

/* Loads plugin `name` when it is not loaded yet, from the folders kt_config_apply was given
 * (the workspace's plugins/ first), without settings: for what the workspace needs only when it
 * is used (the net plugin's delivery channels). */
kt_status kt_config_load_plugin(kt_ws *ws, const char *name, kt_error *err);
/* The plugin folders in search order into dirs (wsdir holds the first, the workspace's
 * plugins/); returns how many. */
size_t kt_config_plugin_dirs(const kt_ws *ws, const char *dirs[16], char wsdir[4096]);

/* Borrowed for the workspace's life; NULL before kt_config_apply. */
kt_host *kt_config_host(const kt_ws *ws);
kt_plugins *kt_config_plugins(const kt_ws *ws);

/* Pushes onto the host's stack the list of declarations of one kind ("campaign", "dedupe"), a
 * Lua array of { name = ..., where = "file:line", spec = { ... } }. Always pushes a table. */
void kt_config_push_declarations(const kt_ws *ws, const char *kind);

/* Where kartoteka.lua (or a file it requires, or the built-in schema) declares the field
 * entity.name: "kartoteka.lua:12:"-style text borrowed for the workspace's life, or NULL when
 * no declaration names it (a field only `kt field add` made). */
const char *kt_config_field_where(const kt_ws *ws, const char *entity, const char *name);

/* The webhook declarations in order, in a new array (*out, caller frees with kt_free; NULL when
 * there are none). KT_INVALID naming the declaration when url or secret_env is missing or too
 * long. */
kt_status kt_config_webhooks(const kt_ws *ws, kt_config_webhook **out, size_t *n, kt_error *err);

/* A retention declaration, `retention "person" { after = "36 months since last activity",
 * action = "anonymise" }`: records of entity nobody dealt with for that long are anonymised or
 * erased by kt due (kartoteka/privacy.h). */
typedef struct kt_config_retention {
    char entity[64];
    int amount;      /* 36 */
    char unit;       /* 'd' days, 'm' months, 'y' years */
    char action[16]; /* "anonymise" or "erase" */
    char after[128]; /* as written, for messages and listings */
    char where[256]; /* "kartoteka.lua:12:" */
} kt_config_retention;
/* The retention declarations in order, in a new array (*out, caller frees with kt_free; NULL
 * when there are none). KT_INVALID naming the declaration when after or action is not one the
 * README lists, or the entity is unknown. */
kt_status kt_config_retentions(const kt_ws *ws, kt_config_retention **out, size_t *n,
                               kt_error *err);

/* Where kt.print and print write (the kt command passes stdout). */
typedef void (*kt_output_fn)(void *ud, const char *text, size_t len);
void kt_config_set_output(const kt_ws *ws, kt_output_fn fn, void *ud);
/* kt.args for `kt run script.lua a b`: copied. */
void kt_config_set_args(const kt_ws *ws, const char *const *args, size_t n);

/* Budgets fit the kind of script: each call into a rule, a default or an import map has
 * settings.script_time_ms (1 s by default); a whole `kt run` script or a report has
 * settings.batch_time_ms (10 minutes by default), set between begin and end (which restores
 * the budget saved in *saved). */
#define KT_CONFIG_BATCH_TIME_MS 600000UL
void kt_config_begin_batch(kt_ws *ws, kt_host_limits *saved);
void kt_config_end_batch(kt_ws *ws, const kt_host_limits *saved);

/* The source label writes from scripts carry into history ("script imports/x.lua"). */
void kt_config_set_source(const kt_ws *ws, const char *source);
/* The label set last, as a copy (caller frees with kt_free); NULL when none is set. */
char *kt_config_source(const kt_ws *ws);

#ifdef __cplusplus
}
#endif
#endif
