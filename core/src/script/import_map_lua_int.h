/* Shared by the files of the mapping script's import map (script/import_map_lua*.c). */
#ifndef KT_SCRIPT_IMPORT_MAP_LUA_INT_H
#define KT_SCRIPT_IMPORT_MAP_LUA_INT_H

#include <lua.h>

#include "kartoteka/host.h"
#include "script/import_map_script.h"

typedef struct import_lua {
    kt_import_map base; /* first: the import holds a pointer to it */
    kt_ws *ws;
    kt_host *host;
    lua_State *L; /* borrowed from the workspace's host */
    int ref_map;  /* the script's map function */
    int ref_ctx;  /* the ctx table handed to every map call */
    int top;      /* the stack's top before the current row's list */
    int list;     /* the current row's list of record tables */
    char *entity; /* owned strings behind base */
    char *format, *encoding, *sheet;
    kt_import_lookup_fn lookup; /* ctx.lookup asks it */
    void *lookup_ud;
} import_lua;

/* Reads a match list from the Lua value at idx (nil = no keys). */
kt_status import_lua_keys(lua_State *L, int idx, kt_import_keys *out, kt_error *err);
/* The map's record method. */
kt_status import_lua_record(kt_import_map *m, size_t i, const kt_import_refs *refs,
                            kt_import_out *o, kt_failures *fails, int *ok, kt_error *err);
/* Pushes the ctx table: file, entity, translate and lookup. */
void import_lua_push_ctx(import_lua *m, const char *file);

#endif
