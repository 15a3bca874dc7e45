#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "kartoteka/read.h"
#include "workspace/ws_internal.h"

const char *kt_ws_dir(const kt_ws *ws)
{
    return ws->dir;
}
kt_store *kt_ws_store(kt_ws *ws)
{
    return ws->store;
}
kt_registry *kt_ws_registry(kt_ws *ws)
{
    return ws->reg;
}
kt_ext *kt_ws_ext(kt_ws *ws)
{
    return ws->ext;
}

kt_status kt_ws_open(const char *dir, kt_ws **out, kt_error *err)
{
    *out = NULL;
    kt_ws *ws = kt_calloc(1, sizeof *ws);
    char *where = NULL;
    kt_status st = KT_NOMEM;
    if (!ws || !(ws->dir = kt_strdup(dir)) || !(ws->reg = kt_registry_new()) ||
        !(ws->ext = kt_ext_new())) {
        kt_error_set(err, KT_NOMEM, "out of memory");
        goto out;
    }
    if ((st = kt_ws_store_where(dir, &where, err))) goto out;
    kt_store_opts so = {1, 0};
    if ((st = kt_store_open(where, &so, &ws->store, err))) goto out;
    if ((st = kt_store_load_registry(ws->store, ws->reg, err))) goto out;
    if ((st = kt_read_register_builtin(ws->ext, err))) goto out;
out:
    kt_free(where);
    if (st) {
        kt_ws_close(ws);
        return st;
    }
    *out = ws;
    return KT_OK;
}

void kt_ws_close(kt_ws *ws)
{
    if (!ws) return;
    for (size_t i = ws->nattach; i-- > 0;) {
        if (ws->attach[i].free_fn) ws->attach[i].free_fn(ws->attach[i].ptr);
        kt_free(ws->attach[i].tag);
    }
    kt_free(ws->attach);
    for (size_t i = 0; i < ws->nsettings; i++) {
        kt_free(ws->settings[i].key);
        kt_free(ws->settings[i].value);
    }
    kt_free(ws->settings);
    kt_free(ws->field_hooks);
    kt_store_close(ws->store);
    kt_registry_free(ws->reg);
    kt_ext_free(ws->ext);
    kt_free(ws->dir);
    kt_free(ws);
}

kt_status kt_ws_attach(kt_ws *ws, const char *tag, void *ptr, void (*free_fn)(void *),
                       kt_error *err)
{
    kt_ws_attachment_slot *a = kt_realloc(ws->attach, (ws->nattach + 1) * sizeof *a);
    if (!a) return kt_error_set(err, KT_NOMEM, "out of memory");
    ws->attach = a;
    if (!(a[ws->nattach].tag = kt_strdup(tag))) return kt_error_set(err, KT_NOMEM, "out of memory");
    a[ws->nattach].ptr = ptr;
    a[ws->nattach].free_fn = free_fn;
    ws->nattach++;
    return KT_OK;
}

void *kt_ws_attachment(const kt_ws *ws, const char *tag)
{
    for (size_t i = ws->nattach; i-- > 0;)
        if (strcmp(ws->attach[i].tag, tag) == 0) return ws->attach[i].ptr;
    return NULL;
}

kt_status kt_ws_attachment_make(kt_ws *ws, const char *tag, size_t size, void (*free_fn)(void *),
                                void **out, kt_error *err)
{
    if ((*out = kt_ws_attachment(ws, tag))) return KT_OK;
    void *p = kt_calloc(1, size);
    if (!p) return kt_error_set(err, KT_NOMEM, "out of memory");
    kt_status st = kt_ws_attach(ws, tag, p, free_fn, err);
    if (st)
        kt_free(p);
    else
        *out = p;
    return st;
}

kt_status kt_ws_set_setting(kt_ws *ws, const char *key, const char *value, kt_error *err)
{
    char *v = value ? kt_strdup(value) : NULL;
    if (value && !v) return kt_error_set(err, KT_NOMEM, "out of memory");
    for (size_t i = 0; i < ws->nsettings; i++) {
        if (strcmp(ws->settings[i].key, key) == 0) {
            kt_free(ws->settings[i].value);
            ws->settings[i].value = v;
            return KT_OK;
        }
    }
    kt_ws_setting_slot *s = kt_realloc(ws->settings, (ws->nsettings + 1) * sizeof *s);
    if (!s || !(s[ws->nsettings].key = kt_strdup(key))) {
        if (s) ws->settings = s;
        kt_free(v);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    ws->settings = s;
    s[ws->nsettings++].value = v;
    return KT_OK;
}

const char *kt_ws_setting(const kt_ws *ws, const char *key)
{
    for (size_t i = 0; i < ws->nsettings; i++)
        if (strcmp(ws->settings[i].key, key) == 0) return ws->settings[i].value;
    return NULL;
}

void kt_ws_set_progress(kt_ws *ws, kt_progress_fn fn, void *ud)
{
    ws->progress = fn;
    ws->progress_ud = ud;
}

void kt_ws_progress(kt_ws *ws, const char *what, long done, long total)
{
    if (ws->progress) ws->progress(ws->progress_ud, what, done, total);
}
