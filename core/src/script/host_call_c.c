/* A C function run as one budgeted call of the host (kt_host_call_c). */
#include "kartoteka/host.h"

typedef struct c_call {
    kt_status (*fn)(void *ud, kt_error *err);
    void *ud;
    kt_error *err;
    kt_status st;
} c_call;

static int trampoline(lua_State *L)
{
    c_call *c = lua_touserdata(L, 1);
    c->st = c->fn(c->ud, c->err);
    return 0;
}

kt_status kt_host_call_c(kt_host *h, const char *name, kt_status (*fn)(void *ud, kt_error *err),
                         void *ud, kt_error *err)
{
    lua_State *L = kt_host_lua(h);
    c_call c = {fn, ud, err, KT_OK};
    lua_pushcfunction(L, trampoline);
    lua_pushlightuserdata(L, &c);
    /* named for messages: the trampoline itself would be "[C]" */
    kt_status st = kt_host_call_named(h, 1, 0, name, err);
    return st ? st : c.st;
}
