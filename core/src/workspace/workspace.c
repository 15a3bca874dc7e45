#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "kartoteka/alloc.h"
#include "kartoteka/auth.h"
#include "kartoteka/buf.h"
#include "kartoteka/query.h"
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
    kt_buf path = KT_BUF_INIT;
    kt_status st = KT_NOMEM;
    if (!ws || !(ws->dir = kt_strdup(dir)) || !(ws->reg = kt_registry_new()) ||
        !(ws->ext = kt_ext_new())) {
        kt_error_set(err, KT_NOMEM, "out of memory");
        goto out;
    }
    kt_failures_init(&ws->scratch);
    if ((st = kt_buf_printf(&path, err, "%s/%s", dir, KT_WS_DATABASE))) goto out;
    kt_store_opts so = {1, 0};
    if ((st = kt_store_open(kt_buf_str(&path), &so, &ws->store, err))) goto out;
    if ((st = kt_search_install(ws, err))) goto out;
    if ((st = kt_store_load_registry(ws->store, ws->reg, err))) goto out;
    if ((st = kt_read_register_builtin(ws->ext, err))) goto out;
out:
    kt_buf_free(&path);
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
    for (size_t i = 0; i < ws->nrules; i++)
        kt_ws_rule_clear(&ws->rules[i]);
    kt_free(ws->rules);
    for (size_t i = 0; i < ws->nsettings; i++) {
        kt_free(ws->settings[i].key);
        kt_free(ws->settings[i].value);
    }
    kt_free(ws->settings);
    kt_failures_free(&ws->scratch);
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

kt_status kt_ws_declare_entity(kt_ws *ws, const char *name, const char *label_json,
                               const char *origin, kt_error *err)
{
    int builtin = origin && strcmp(origin, "schema") == 0;
    kt_status denied = kt_auth_allow(ws, KT_ACT_FIELDS, NULL, err);
    if (denied) return denied;
    const kt_entity *known = kt_registry_entity(ws->reg, name);
    if (known && known->label && label_json && strcmp(known->label, label_json) == 0)
        return KT_OK; /* as stored: nothing to write */
    kt_status st = kt_registry_put_entity(ws->reg, name, label_json, builtin, err);
    if (st) return st;
    if ((st = kt_store_begin(ws->store, err))) return st;
    st = kt_store_put_entity(ws->store, kt_registry_entity(ws->reg, name), origin, err);
    if (st) {
        kt_store_rollback(ws->store);
        return st;
    }
    return kt_store_commit(ws->store, err);
}

kt_status kt_ws_declare_field(kt_ws *ws, const kt_field_decl *decl, kt_error *err)
{
    const char *type = decl->type;
    kt_status denied = kt_auth_allow(ws, KT_ACT_FIELDS, NULL, err);
    if (denied) return denied;
    const kt_field *old = kt_registry_field(ws->reg, decl->entity, decl->name);
    /* a field that exists keeps its type when the plugin behind it could not be loaded */
    if (type && kt_type_kind_of(type) == KT_TYPE_EXTERNAL && !kt_ext_type(ws->ext, type) &&
        !(old && strcmp(old->type, type) == 0))
        return kt_error_set(err, KT_NOTFOUND,
                            "field %s.%s: unknown type '%s' (built-in types: text, integer, "
                            "decimal, date, datetime, bool, enum, set, email, phone, url, ref; "
                            "other types come from plugins, e.g. plugin \"ids_pl\" for pl.nip)",
                            decl->entity, decl->name, type);
    if (old && old->builtin && decl->origin && strcmp(decl->origin, "schema") != 0 && type &&
        strcmp(type, old->type) != 0)
        return kt_error_set(err, KT_DENIED,
                            "field %s.%s is built in with type %s; it cannot become %s",
                            decl->entity, decl->name, old->type, type);
    int builtin = decl->origin && strcmp(decl->origin, "schema") == 0;
    int changed = 0;
    kt_status st = kt_registry_put_field(ws->reg, decl, builtin, &changed, err);
    if (st || !changed) return st;
    if ((st = kt_store_begin(ws->store, err))) return st;
    st = kt_store_put_field(ws->store, kt_registry_field(ws->reg, decl->entity, decl->name),
                            decl->origin ? decl->origin : "cli", err);
    if (st) {
        kt_store_rollback(ws->store);
        return st;
    }
    return kt_store_commit(ws->store, err);
}

kt_status kt_ws_entity_of(kt_ws *ws, kt_id id, char *out, size_t size, kt_error *err)
{
    sqlite3_stmt *st;
    kt_status rc =
        kt_store_prepare(ws->store, "SELECT entity FROM kt_record WHERE id = ?1", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
    else if (step == SQLITE_DONE)
        rc = kt_error_set(err, KT_NOTFOUND, "no record with id %lld", id);
    else
        rc = kt_store_fail(ws->store, err, "reading a record");
    sqlite3_reset(st); /* a statement left on its row keeps a read transaction open */
    return rc;
}
