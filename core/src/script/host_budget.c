/* The time budget without a permanent hook: a watchdog thread sleeps until the outermost call's
 * deadline and only then arms a hook on every instruction, so a healthy script pays nothing.
 * Once armed, the hook raises again on every line and count event until the outermost call
 * returns, so pcall and xpcall in the script cannot swallow the stop. */
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>

#include "script/host_int.h"

#define STOP_MASK (LUA_MASKCOUNT | LUA_MASKLINE)

/* Watchdog phases of one outermost call, guarded by mu. */
enum { PHASE_WAIT = 0, PHASE_FIRED = 1, PHASE_RUNAWAY = 2 };

static void ts_add_ms(struct timespec *t, unsigned long ms)
{
    t->tv_sec += (time_t)(ms / 1000);
    t->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t->tv_nsec >= 1000000000L) {
        t->tv_sec++;
        t->tv_nsec -= 1000000000L;
    }
}

static int ts_before(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

void host_format_mib(char *out, size_t n, size_t bytes)
{
    if (bytes % (1024 * 1024) == 0)
        snprintf(out, n, "%zu MiB", bytes / (1024 * 1024));
    else
        snprintf(out, n, "%zu bytes", bytes);
}

static void stop_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    kt_host *h = host_of(L);
    int why = atomic_load_explicit(&h->stop, memory_order_relaxed);
    if (why == STOP_NONE) {
        /* Left over on a coroutine from an earlier call that was stopped. */
        lua_sethook(L, NULL, 0, 0);
        return;
    }
    /* The boundary rewrites this into the final message; it only has to unwind. */
    luaL_error(L, why == STOP_TIME ? "time budget exhausted" : "memory budget exhausted");
}

static void arm(kt_host *h)
{
    lua_sethook(h->L, stop_hook, STOP_MASK, 1);
    if (h->running) lua_sethook(h->running, stop_hook, STOP_MASK, 1);
}

void host_stop_now(kt_host *h, enum host_stop why)
{
    int none = STOP_NONE;
    atomic_compare_exchange_strong(&h->stop, &none, (int)why);
    /* Same thread as Lua, and lua_sethook is safe even from a signal handler. */
    arm(h);
}

static void *watch(void *arg)
{
    kt_host *h = arg;
    pthread_mutex_lock(&h->mu);
    while (!h->quit) {
        if (!h->armed || h->phase == PHASE_RUNAWAY) {
            h->idle = 1;
            pthread_cond_wait(&h->cv, &h->mu);
            h->idle = 0;
            continue;
        }
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        struct timespec until = h->deadline;
        if (h->phase == PHASE_FIRED) ts_add_ms(&until, HOST_GRACE_MS);
        if (ts_before(&now, &until)) {
            h->wakes_at = until;
            pthread_cond_timedwait(&h->cv, &h->mu, &until);
            continue;
        }
        if (h->phase == PHASE_WAIT) {
            int none = STOP_NONE;
            atomic_compare_exchange_strong(&h->stop, &none, STOP_TIME);
            arm(h); /* under mu, so `running` cannot die under us */
            h->phase = PHASE_FIRED;
            continue;
        }
        /* Still inside the call after the grace: stuck in C code the hook cannot reach. */
        h->phase = PHASE_RUNAWAY;
        if (h->runaway) {
            char what[HOST_SCRIPT_MAX + 192];
            snprintf(what, sizeof what,
                     "script %s ran longer than %lu ms and did not stop (settings { %s = %lu } "
                     "in kartoteka.lua; raise it there)",
                     h->script, h->time_ms, h->time_setting, h->time_ms);
            kt_host_runaway_fn fn = h->runaway;
            void *ud = h->runaway_ud;
            pthread_mutex_unlock(&h->mu);
            fn(ud, what);
            pthread_mutex_lock(&h->mu);
        }
    }
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

kt_status host_watchdog_start(kt_host *h, kt_error *err)
{
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0)
        return kt_error_set(err, KT_NOMEM, "cannot create the script watchdog");
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    int rc = pthread_cond_init(&h->cv, &attr);
    pthread_condattr_destroy(&attr);
    if (rc != 0) return kt_error_set(err, KT_NOMEM, "cannot create the script watchdog");
    if (pthread_mutex_init(&h->mu, NULL) != 0) {
        pthread_cond_destroy(&h->cv);
        return kt_error_set(err, KT_NOMEM, "cannot create the script watchdog");
    }
    if (pthread_create(&h->watchdog, NULL, watch, h) != 0) {
        pthread_mutex_destroy(&h->mu);
        pthread_cond_destroy(&h->cv);
        return kt_error_set(err, KT_NOMEM, "cannot start the script watchdog thread");
    }
    h->watchdog_started = 1;
    return KT_OK;
}

void host_watchdog_stop(kt_host *h)
{
    if (!h->watchdog_started) return;
    pthread_mutex_lock(&h->mu);
    h->quit = 1;
    pthread_cond_signal(&h->cv);
    pthread_mutex_unlock(&h->mu);
    pthread_join(h->watchdog, NULL);
    pthread_mutex_destroy(&h->mu);
    pthread_cond_destroy(&h->cv);
    h->watchdog_started = 0;
}

void host_budget_enter(kt_host *h, const char *script)
{
    if (h->depth++ > 0) return;
    atomic_store(&h->stop, STOP_NONE);
    lua_sethook(h->L, NULL, 0, 0);
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    ts_add_ms(&deadline, h->time_ms);
    pthread_mutex_lock(&h->mu);
    snprintf(h->script, sizeof h->script, "%s", script ? script : "?");
    h->deadline = deadline;
    h->phase = PHASE_WAIT;
    h->running = NULL;
    h->armed = 1;
    /* A wake-up costs a futex call per call: the watchdog is woken only when it would
     * otherwise sleep past this deadline (idle, or waiting for a later one). Asleep until an
     * earlier deadline, it wakes by itself and sees this one. */
    if (h->idle || ts_before(&deadline, &h->wakes_at)) pthread_cond_signal(&h->cv);
    pthread_mutex_unlock(&h->mu);
}

void host_budget_leave(kt_host *h)
{
    if (--h->depth > 0) return;
    /* No signal: the watchdog wakes at the old deadline, sees nothing armed and sleeps. */
    pthread_mutex_lock(&h->mu);
    h->armed = 0;
    h->running = NULL;
    pthread_mutex_unlock(&h->mu);
    lua_sethook(h->L, NULL, 0, 0);
}

void host_track_enter(kt_host *h, lua_State *co, lua_State **prev)
{
    pthread_mutex_lock(&h->mu);
    *prev = h->running;
    h->running = co;
    pthread_mutex_unlock(&h->mu);
    if (h->depth > 0 && atomic_load(&h->stop) != STOP_NONE)
        lua_sethook(co, stop_hook, STOP_MASK, 1);
}

void host_track_leave(kt_host *h, lua_State *L, lua_State *prev)
{
    pthread_mutex_lock(&h->mu);
    h->running = prev;
    pthread_mutex_unlock(&h->mu);
    /* The watchdog armed the coroutine only; the resumer must stop too. */
    if (h->depth > 0 && atomic_load(&h->stop) != STOP_NONE) lua_sethook(L, stop_hook, STOP_MASK, 1);
}
