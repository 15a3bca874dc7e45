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
    unsigned long time_ms; /* per outermost call; 0 = default 1000 */
    size_t memory_bytes;   /* whole state; 0 = default 256 MiB */
} kt_host_limits;

/* What the host does when a script is stuck inside a C function that never returns to Lua
 * (a backtracking pattern the pattern guard let through): called from the watchdog thread
 * once the outermost call is still running time_ms plus a grace of 500 ms after it started.
 * It must be async-signal-safe in spirit (no locks, no allocation); the kt command passes one
 * that writes a message and ends the process, which leaves nothing committed. If it returns,
 * the host does nothing more for that call. `what` names the script and the budget:
 * "script x.lua ran longer than 1000 ms and did not stop". */
typedef void (*kt_host_runaway_fn)(void *ud, const char *what);

/* Creates a sandboxed state. Caller frees with kt_host_free. NULL with err on failure. */
kt_host *kt_host_new(const kt_host_limits *limits, kt_error *err);
void kt_host_free(kt_host *h); /* accepts NULL */

/* Changes the budget for later outermost calls (kartoteka.lua may set it); a call already
 * running keeps its deadline, the memory cap applies at once. */
void kt_host_set_limits(kt_host *h, const kt_host_limits *limits);
/* The budget in force (defaults filled in), e.g. to restore it after a temporary change. */
void kt_host_get_limits(kt_host *h, kt_host_limits *out);
void kt_host_set_runaway(kt_host *h, kt_host_runaway_fn fn, void *ud);
/* The setting a time-budget message names as the way to raise it ("script_time_ms", the
 * default; "batch_time_ms" while a kt run or a report runs). A static string, borrowed. */
void kt_host_set_time_setting(kt_host *h, const char *setting);
const char *kt_host_time_setting(kt_host *h);

/* The Lua state, borrowed for the host's life. Use it to push arguments and read results.
 * Lua API calls made outside kt_host_call/run_* are unprotected: a memory error there reaches
 * the panic handler, which prints it and aborts. */
lua_State *kt_host_lua(kt_host *h);

/* The host a state (or any of its coroutines) belongs to, for C functions called from Lua. */
kt_host *kt_host_of(lua_State *L);

/* Adds a folder where `require "name"` looks for name.lua (name may contain dots for
 * subfolders; ".." and absolute names are refused). The path is copied. */
kt_status kt_host_add_path(kt_host *h, const char *dir, kt_error *err);

/* Adds a global library visible to every script: `open` must push one table, which the host
 * makes read-only (a proxy; nested tables too) before exposing it under `name`; `require
 * "name"` returns it as well. Call before running scripts.
 * The standard libraries (string, table, math, utf8, coroutine, os) are not proxies: each
 * script gets its own copy, so a change stays in that script (a proxy costs a metatable hop
 * on every `string.format`). The string metatable, which all share, is read-only. */
kt_status kt_host_add_library(kt_host *h, const char *name, lua_CFunction open, kt_error *err);

/* Adds a plain global (a function or a value at the top of the stack, popped) to the shared
 * globals every script environment inherits. Used for the configuration DSL's `field`, `rule`,
 * and to replace `print`. The value is not copied or proxied: a table stays shared. */
kt_status kt_host_add_global(kt_host *h, const char *name, kt_error *err);

/* Loads the file as text and runs it in a fresh environment of its own, within the budget.
 * On success leaves nresults values on the stack (LUA_MULTRET allowed); on failure leaves
 * nothing and fills err, the message naming the file and line and err->where "file:line":
 *   KT_SCRIPT   a Lua error (message as Lua gives it: "x.lua:3: attempt to ...")
 *   KT_DENIED   a sandbox refusal ("x.lua:3: io is not available in Kartoteka scripts (sandbox)")
 *   KT_TIMEOUT  "script x.lua ran longer than 1000 ms (stopped at x.lua:7)"
 *   KT_LIMIT    "script x.lua used more than 256 MiB (stopped at x.lua:7)"
 *   KT_NOTFOUND / KT_IO  the file cannot be read; KT_NOMEM  malloc itself failed */
kt_status kt_host_run_file(kt_host *h, const char *path, int nresults, kt_error *err);

/* The same for a chunk held in memory; `name` is used in messages as Lua chunk names are
 * ("=schema/entities.lua", "@x.lua"); a name without '=' or '@' reads as a file name. */
kt_status kt_host_run_string(kt_host *h, const char *chunk, const char *name, int nresults,
                             kt_error *err);

/* Calls the function below nargs arguments on the stack, within the budget (nested calls share
 * the outermost call's budget). Like lua_pcall, but errors become err with script file and
 * line, and a message handler that cannot be defeated by xpcall or pcall. */
kt_status kt_host_call(kt_host *h, int nargs, int nresults, kt_error *err);
/* kt_host_call, with the name its messages give the call ("script NAME ran longer than ..."):
 * for a C function that runs scripts, such as an import's row. name borrowed for the call. */
kt_status kt_host_call_named(kt_host *h, int nargs, int nresults, const char *name, kt_error *err);
/* Runs fn(ud, err) as one such named call: the scripts it runs (an import row's map and the
 * write door's rules) nest in it, so the budget's watchdog is armed once, not per script.
 * Returns the host's failure (the budget ran out), else fn's status. */
kt_status kt_host_call_c(kt_host *h, const char *name, kt_status (*fn)(void *ud, kt_error *err),
                         void *ud, kt_error *err);

/* Bytes in use by the state right now (for reports and tests). */
size_t kt_host_memory(const kt_host *h);

#ifdef __cplusplus
}
#endif
#endif
