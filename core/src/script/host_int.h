/* What the host's files share and nobody else sees: the host itself and the hand-offs between
 * the allocator, the budget (watchdog + hooks), the sandbox and require. */
#ifndef KARTOTEKA_SCRIPT_HOST_INT_H
#define KARTOTEKA_SCRIPT_HOST_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "kartoteka/host.h"

#define HOST_DEFAULT_TIME_MS 1000UL
#define HOST_DEFAULT_MEMORY ((size_t)256 * 1024 * 1024)
/* How long past the deadline the watchdog waits for the hook before calling the runaway
 * callback: long enough for a hook to unwind a deep stack, short next to the budget. */
#define HOST_GRACE_MS 500UL
#define HOST_SCRIPT_MAX 256

/* Why the current outermost call must stop; set once, checked by the hook. */
enum host_stop { STOP_NONE = 0, STOP_TIME = 1, STOP_MEMORY = 2 };

struct kt_host {
    lua_State *L;

    /* Allocator: touched only by the thread running Lua. */
    size_t used;
    size_t cap;

    /* Budget. `mu` guards armed, deadline, running and quit against the watchdog. */
    unsigned long time_ms;
    const char *time_setting; /* static; named by the "ran longer" messages */
    int depth; /* nesting of budgeted calls; 0 = idle */
    atomic_int stop;
    pthread_t watchdog;
    int watchdog_started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int armed;
    int phase;
    int quit;
    struct timespec deadline;
    int idle;                 /* the watchdog waits without a deadline */
    struct timespec wakes_at; /* when a waiting watchdog wakes by itself */
    lua_State *running;       /* the coroutine now running, or NULL for the main thread */
    kt_host_runaway_fn runaway;
    void *runaway_ud;

    /* Names for messages: the outermost script, and where the last error happened. */
    char script[HOST_SCRIPT_MAX];
    char where[KT_ERROR_WHERE_MAX];

    char **paths;
    size_t npaths;
};

static inline kt_host *host_of(lua_State *L)
{
    return *(kt_host **)lua_getextraspace(L);
}

/* host_alloc.c */
void *host_alloc(void *ud, void *ptr, size_t osize, size_t nsize);
int host_panic(lua_State *L);

/* host_budget.c */
kt_status host_watchdog_start(kt_host *h, kt_error *err);
void host_watchdog_stop(kt_host *h);
void host_budget_enter(kt_host *h, const char *script);
void host_budget_leave(kt_host *h);
void host_stop_now(kt_host *h, enum host_stop why); /* from the Lua thread itself */
void host_track_enter(kt_host *h, lua_State *co, lua_State **prev);
void host_track_leave(kt_host *h, lua_State *L, lua_State *prev);
void host_format_mib(char *out, size_t n, size_t bytes);

/* host_coro.c: coroutine.resume and wrap that keep the watchdog pointed at the running one. */
void host_open_coroutine(lua_State *L);

/* host_proxy.c: run inside a protected call (they allocate). */
void host_open_shared(lua_State *L);            /* leaves the shared globals table on top */
void host_make_readonly(lua_State *L, int idx); /* name on top, popped */
int host_is_readonly(lua_State *L, int idx);
void host_push_env(lua_State *L);

/* host_sandbox.c: a lua_CFunction that opens the libraries into the shared globals. */
int host_open_sandbox(lua_State *L);

/* host_pattern.c: string.find/match/gmatch/gsub refusing patterns that would backtrack
 * for minutes. */
void host_guard_patterns(lua_State *L, int strlib);

/* host_require.c */
int host_require(lua_State *L);

/* Registry keys (addresses are unique, so no string collisions with other code). */
extern const char host_key_shared;
extern const char host_key_envmt;
extern const char host_key_readonly;
extern const char host_key_loaded;
/* Registry key of a list that, when present, collects the path of every file require reads. */
#define HOST_REQUIRED_FILES "kartoteka.required"
/* Base `load`, kept out of every table a script can reach: it accepts binary chunks. */
extern const char host_key_baseload;
/* name -> the real standard library table each environment gets a copy of */
extern const char host_key_stdlibs;

#endif
