#include "kartoteka/alloc.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

/* Fault injection state. Kartoteka is single-threaded per process except for the script
 * watchdog, which never allocates, so plain counters suffice. */
static unsigned long attempts;
static unsigned long fail_at;

static int should_fail(void)
{
    attempts++;
    return fail_at != 0 && attempts == fail_at;
}

unsigned long kt_alloc_fail_at(unsigned long n)
{
    unsigned long seen = attempts;
    attempts = 0;
    fail_at = n;
    return seen;
}

void *kt_malloc(size_t n)
{
    if (should_fail()) return NULL;
    return malloc(n ? n : 1);
}

void *kt_calloc(size_t count, size_t size)
{
    if (should_fail()) return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *kt_realloc(void *p, size_t n)
{
    if (should_fail()) return NULL;
    return realloc(p, n ? n : 1);
}

void kt_free(void *p)
{
    free(p);
}

char *kt_strndup(const char *s, size_t n)
{
    char *d = kt_malloc(n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *kt_strdup(const char *s)
{
    return s ? kt_strndup(s, strlen(s)) : NULL;
}

/* cJSON allocates through us too, so budgets count it and the fault walks reach its failures.
 * Run before main: cJSON has no context to carry the hooks, and every program that links the
 * core links this file. */
__attribute__((constructor)) static void json_hooks(void)
{
    cJSON_Hooks hooks = {kt_malloc, kt_free};
    cJSON_InitHooks(&hooks);
}
