/* The one Lua host every script runs in: configuration, rules, import scripts, campaigns and
 * reports. Sandboxed (no io, os.execute, debug, binary chunks; require only from allowed
 * folders), with a budget of time and memory per call. Modelled on Redis's scripting engine. */
#ifndef KARTOTEKA_HOST_H
#define KARTOTEKA_HOST_H

#include <stddef.h>

#include <lua.h>

#include "kartoteka/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kt_host kt_host;

typedef struct kt_host_limits {
    unsigned long time_ms;  /* per outermost call; 0 = default 1000 */
    size_t memory_bytes;    /* whole state; 0 = default 256 MiB */
} kt_host_limits;

/* What the host does when a script is stuck inside a C function that never returns to Lua
 * (a backtracking pattern): called from the watchdog thread once time_ms plus a grace period
 * has passed. It must be async-signal-safe in spirit (no locks, no allocation); the kt command
 * passes one that writes a message and ends the process, which leaves nothing committed.
 * `what` names the script and the budget. */
typedef void (*kt_host_runaway_fn)(void *ud, const char *what);

/* Creates a sandboxed state. Caller frees with kt_host_free. NULL with err on failure. */
kt_host *kt_host_new(const kt_host_limits *limits, kt_error *err);
void kt_host_free(kt_host *h); /* accepts NULL */

/* Changes the budget for later calls (kartoteka.lua may set it). */
void kt_host_set_limits(kt_host *h, const kt_host_limits *limits);
void kt_host_set_runaway(kt_host *h, kt_host_runaway_fn fn, void *ud);

/* The Lua state, borrowed for the host's life. Use it to push arguments and read results. */
lua_State *kt_host_lua(kt_host *h);

/* Adds a folder where `require "name"` looks for name.lua (name may contain dots for
 * subfolders; ".." and absolute names are refused). The path is copied. */
kt_status kt_host_add_path(kt_host *h, const char *dir, kt_error *err);

/* Adds a global library visible to every script: `open` must push one table, which the host
 * makes read-only (a proxy) before exposing it under `name`. Call before running scripts. */
kt_status kt_host_add_library(kt_host *h, const char *name, lua_CFunction open, kt_error *err);

/* Adds a plain global (a function or a value at the top of the stack, popped) to the shared
 * globals every script environment inherits. Used for the configuration DSL's `field`, `rule`. */
kt_status kt_host_add_global(kt_host *h, const char *name, kt_error *err);

/* Loads the file as text and runs it in a fresh environment of its own, within the budget.
 * On success leaves nresults values on the stack (LUA_MULTRET allowed); on failure leaves
 * nothing and fills err with KT_SCRIPT / KT_TIMEOUT / KT_LIMIT, the message naming the file
 * and line. */
kt_status kt_host_run_file(kt_host *h, const char *path, int nresults, kt_error *err);

/* The same for a chunk held in memory; `name` is used in messages ("=schema/entities.lua"). */
kt_status kt_host_run_string(kt_host *h, const char *chunk, const char *name, int nresults,
                             kt_error *err);

/* Calls the function below nargs arguments on the stack, within the budget (nested calls share
 * the outermost call's budget). Like lua_pcall, but errors become err with script file and
 * line, and a message handler that cannot be defeated by xpcall or pcall. */
kt_status kt_host_call(kt_host *h, int nargs, int nresults, kt_error *err);

/* Bytes in use by the state right now (for reports and tests). */
size_t kt_host_memory(const kt_host *h);

#ifdef __cplusplus
}
#endif
#endif
