/* The Lua allocator: counts every byte of the state against the memory budget, so a script
 * that allocates without bound fails an allocation instead of taking the machine down. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kartoteka/alloc.h"
#include "script/host_int.h"

void *host_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    kt_host *h = ud;
    /* With ptr NULL, osize is the type of the object being made, not a size. */
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        kt_free(ptr);
        h->used -= old;
        return NULL;
    }
    if (nsize > old && nsize - old > h->cap - (h->used < h->cap ? h->used : h->cap)) {
        /* Lua turns NULL into "not enough memory"; the stop flag makes that error
         * uncatchable by the script and tells the boundary it was the budget, not malloc. */
        if (h->depth > 0) host_stop_now(h, STOP_MEMORY);
        return NULL;
    }
    void *p = kt_realloc(ptr, nsize);
    if (!p) {
        /* Lua assumes a shrink never fails; the old block is still good. */
        return nsize <= old ? ptr : NULL;
    }
    h->used = h->used - old + nsize;
    return p;
}

/* Only reached by a bug (a Lua call outside lua_pcall): say so loudly rather than let Lua
 * call abort() with nothing on the screen. */
int host_panic(lua_State *L)
{
    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(not a string)";
    char line[1024];
    int n = snprintf(line, sizeof line, "kartoteka: unprotected Lua error (a bug): %s\n", msg);
    if (n > 0) {
        size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
        ssize_t w = write(STDERR_FILENO, line, len);
        (void)w;
    }
    abort();
}
