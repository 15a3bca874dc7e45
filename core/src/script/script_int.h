/* Internal to the script layer: how the Lua side reaches the workspace, and record tables. */
#ifndef KT_SCRIPT_SCRIPT_INT_H
#define KT_SCRIPT_SCRIPT_INT_H

#include <lauxlib.h>
#include <lua.h>

#include "kartoteka/config.h"
#include "kartoteka/ext.h"
#include "kartoteka/host.h"
#include "kartoteka/record.h"
#include "kartoteka/save.h"

#define KT_LUA_WS "kartoteka.ws"         /* registry: light userdata, the kt_ws */
#define KT_LUA_DECLS "kartoteka.decls"   /* registry: array of declarations */
#define KT_LUA_PHASE "kartoteka.phase"   /* registry: "config" while declarations are allowed */
#define KT_LUA_SOURCE "kartoteka.source" /* registry: history source of script writes */
#define KT_LUA_NULL "kartoteka.null"     /* registry: the kt.null sentinel */

kt_ws *kt_lua_ws(lua_State *L);

/* Pushes a record as a table: id, entity, state, then every non-empty field typed as Lua
 * values (integers, booleans, strings; a set as an array; a ref as the id). */
void kt_lua_push_record(lua_State *L, kt_ws *ws, const kt_record *rec);
/* Builds a record from the table at idx: `entity` required unless given, `id` optional,
 * fields by name (kt.null clears a field). *out is freed with kt_record_free. */
kt_status kt_lua_to_record(lua_State *L, int idx, const char *entity, kt_record **out,
                           kt_error *err);
/* A Lua value (string, number, boolean) as the text the core takes; NULL for others.
 * Writes into buf (size >= 64) for numbers; strings are borrowed from the stack. */
const char *kt_lua_scalar_text(lua_State *L, int idx, char *buf, size_t size);

/* Pushes the failures of a save as an array of { field, value, rule, message, severity }. */
void kt_lua_push_failures(lua_State *L, const kt_failures *f);

/* Registers the DSL functions (entity, field, rule, plugin, settings, dedupe, campaign). */
kt_status kt_config_register_dsl(kt_host *h, kt_error *err);
/* Registers the runner of reports/NAME.lua files (report_lua_files.c); once per registry. */
kt_status kt_lua_register_report_files(kt_ext *x, kt_error *err);

/* Reads one declaration of kartoteka.lua into item (zeroed, of the size given to
 * kt_config_read_all): spec is the stack index of its table; name and where borrowed. */
typedef kt_status (*kt_config_item_fn)(const kt_ws *ws, lua_State *L, int spec, const char *name,
                                       const char *where, void *item, kt_error *err);
/* Every declaration of kind, in order, read by fn into a new array of n items of size bytes
 * (*out, caller frees with kt_free; NULL when there are none). On failure nothing is kept. */
kt_status kt_config_read_all(const kt_ws *ws, const char *kind, size_t size, kt_config_item_fn fn,
                             void **out, size_t *n, kt_error *err);
/* Applies the declarations collected since the last call (the schema's and kartoteka.lua's
 * together), in one transaction. registry_current: the registry already holds the entities and
 * fields declared (kt_config_is_current), so only their default functions are attached. */
kt_status kt_config_apply_decls(kt_ws *ws, kt_host *h, kt_plugins *p, const kt_config_opts *o,
                                int registry_current, kt_error *err);
/* config_hash.c: *current is 1 when nothing that shapes the registry changed since the last
 * configuration was declared (kt_config_remember), so declaring it again would change nothing. */
kt_status kt_config_is_current(kt_ws *ws, int *current, kt_error *err);
/* Records the configuration just declared: call inside its transaction, after the declarations.
 * Nothing is recorded on a read-only connection or when a plugin was refused. */
kt_status kt_config_remember(kt_ws *ws, kt_error *err);
/* Starts (on 1) or stops (0) collecting the paths of the files require reads. */
void kt_config_collect_required(kt_host *h, int on);
/* Pushes the built-in schema's declarations when this command did not run it (its registry was
 * current), running it now to collect them; else pushes nil. */
void kt_config_push_schema_declarations(const kt_ws *ws);

/* The kt module's opener, for kt_host_add_library. */
int kt_lua_open_kt(lua_State *L);
/* Sub-tables of the kt module, each pushing one table. */
void kt_lua_push_date_lib(lua_State *L);
void kt_lua_push_text_lib(lua_State *L);
/* Looks up kt.<ns> among plugin functions ("phone" -> a table with national, e164, ...).
 * Pushes the table, or nil when no function has that prefix. */
void kt_lua_push_ext_namespace(lua_State *L, const char *ns);

#endif
