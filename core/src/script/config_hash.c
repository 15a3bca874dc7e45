/* Whether kartoteka.lua must be declared to the registry again: the owner of kt_config_applied
 * (schema/017_sale_rollup.sql). Declaring every entity and field on every command is most of
 * what a command spends besides loading libraries, and it only matters when something that
 * shapes the registry changed: the kt build, the built-in schema, kartoteka.lua, a file it
 * requires, a plugin it loads, or the registry itself (kt field add, remove, rename, by any
 * process: the registry's version). A hash of all of them is kept with the files it read;
 * while it stays the same, the registry loaded from the database is already what declaring
 * would make. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "kartoteka/alloc.h"
#include "kartoteka/plugin_loader.h"
#include "kartoteka/store.h"
#include "script/config_applied_table.h"
#include "script/host_int.h"
#include "script/script_int.h"
#include "store/schema_files.h"

#define FILES_MAX 16384

/* Two FNV-1a hashes from different offsets: 128 bits, so a change is never taken for none. */
typedef struct fnv {
    uint64_t a, b;
} fnv;

static void mix(fnv *h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) {
        h->a = (h->a ^ c[i]) * 0x100000001b3ULL;
        h->b = (h->b ^ c[i]) * 0x100000001b3ULL;
    }
}

static void mix_text(fnv *h, const char *s)
{
    mix(h, s, strlen(s) + 1);
}

/* A library is known by its size, time and inode (reading megabytes would cost more than the
 * declaring it saves); a missing file is a state of its own. */
static void mix_stat(fnv *h, const char *path)
{
    struct stat sb;
    long long v[4] = {-1, 0, 0, 0};
    if (stat(path, &sb) == 0) {
        v[0] = (long long)sb.st_size;
        v[1] = (long long)sb.st_mtim.tv_sec;
        v[2] = (long long)sb.st_mtim.tv_nsec;
        v[3] = (long long)sb.st_ino;
    }
    mix(h, v, sizeof v);
}

static void mix_file(fnv *h, const char *path)
{
    FILE *f = fopen(path, "rb");
    char buf[8192];
    size_t n;
    if (!f) {
        mix_text(h, "(missing)");
        return;
    }
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        mix(h, buf, n);
    fclose(f);
}

static int ends_with(const char *s, size_t len, const char *tail)
{
    size_t t = strlen(tail);
    return len >= t && memcmp(s + len - t, tail, t) == 0;
}

/* The hash of this build, the embedded schema, the registry's version and files (one path a
 * line: Lua files by content, libraries by stat). */
static kt_status hash_of(kt_ws *ws, const char *files, char out[33], kt_error *err)
{
    fnv h = {0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL};
    long long version = 0;
    kt_status st = kt_store_registry_version(kt_ws_store(ws), &version, err);
    if (st) return st;
    mix_text(&h, KT_VERSION);
    mix_stat(&h, "/proc/self/exe"); /* a rebuilt kt of the same version */
    for (const kt_schema_file *f = kt_schema_files; f->name; f++) {
        mix_text(&h, f->name);
        mix_text(&h, f->text);
    }
    mix(&h, &version, sizeof version);
    for (const char *p = files; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char path[4096];
        if (len < sizeof path) {
            memcpy(path, p, len);
            path[len] = '\0';
            mix_text(&h, path);
            if (ends_with(path, len, ".so"))
                mix_stat(&h, path);
            else
                mix_file(&h, path);
        }
        p += len + (nl != NULL);
    }
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.a, (unsigned long long)h.b);
    return KT_OK;
}

kt_status kt_config_is_current(kt_ws *ws, int *current, kt_error *err)
{
    char stored[33], now[33];
    char *files = NULL;
    int found;
    *current = 0;
    kt_status st = kt_config_applied_get(kt_ws_store(ws), stored, &files, &found, err);
    if (!st && files) {
        st = hash_of(ws, files, now, err);
        *current = !st && strcmp(now, stored) == 0;
    }
    kt_free(files);
    return st;
}

void kt_config_collect_required(kt_host *h, int on)
{
    lua_State *L = kt_host_lua(h);
    if (on)
        lua_newtable(L);
    else
        lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, HOST_REQUIRED_FILES);
}

/* files: kartoteka.lua, what it required, the plugins loaded; 0 when they do not fit. */
static int list_files(kt_ws *ws, char *files, size_t size)
{
    lua_State *L = kt_host_lua(kt_config_host(ws));
    const kt_plugins *p = kt_config_plugins(ws);
    size_t n = (size_t)snprintf(files, size, "%s/%s\n", kt_ws_dir(ws), KT_WS_CONFIG);
    lua_getfield(L, LUA_REGISTRYINDEX, HOST_REQUIRED_FILES);
    for (lua_Integer i = 1; n < size && lua_istable(L, -1) && i <= (lua_Integer)lua_rawlen(L, -1);
         i++) {
        lua_rawgeti(L, -1, i);
        n += (size_t)snprintf(files + n, size - n, "%s\n", lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    for (size_t i = 0; n < size && p && i < kt_plugins_count(p); i++)
        n += (size_t)snprintf(files + n, size - n, "%s\n", kt_plugins_info(p, i)->path);
    return n < size;
}

kt_status kt_config_remember(kt_ws *ws, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    long long query_only = 0;
    kt_status st =
        kt_store_int(s, "PRAGMA query_only", "reading the connection's mode", &query_only, err);
    /* a refused plugin may be installed later: such a configuration is declared every time */
    if (st || query_only || kt_config_warning(ws, 0)) return st;
    char hash[33], *files = kt_malloc(FILES_MAX);
    if (!files) return kt_error_set(err, KT_NOMEM, "out of memory");
    if (!list_files(ws, files, FILES_MAX) || (st = hash_of(ws, files, hash, err)) ||
        (st = kt_store_begin(s, err))) {
        kt_free(files);
        return st;
    }
    st = kt_config_applied_put(s, hash, files, err);
    kt_free(files);
    if (st) {
        kt_store_rollback(s);
        return st;
    }
    return kt_store_commit(s, err);
}
