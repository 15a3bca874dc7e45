/* A field's life after its declaration: kt field remove retires it (out of the registry, its
 * column and history kept), kt field restore brings it back, kt field rename moves its values,
 * history and registry row to a new name. Layers above the workspace that name fields (the
 * dedupe layer's rules and merge log) take part through field hooks. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/save.h"
#include "kartoteka/alloc.h"
#include "kartoteka/auth.h"
#include "record/history.h"
#include "workspace/ws_internal.h"

kt_status kt_ws_add_field_hook(kt_ws *ws, kt_field_hook_fn fn, void *ud, kt_error *err)
{
    for (size_t i = 0; i < ws->nfield_hooks; i++)
        if (ws->field_hooks[i].fn == fn && ws->field_hooks[i].ud == ud) return KT_OK;
    kt_ws_field_hook *h = kt_realloc(ws->field_hooks, (ws->nfield_hooks + 1) * sizeof *h);
    if (!h) return kt_error_set(err, KT_NOMEM, "out of memory");
    ws->field_hooks = h;
    h[ws->nfield_hooks].fn = fn;
    h[ws->nfield_hooks++].ud = ud;
    return KT_OK;
}

kt_status kt_ws_field_missing(kt_ws *ws, const char *entity, const char *name, kt_error *err)
{
    char *retired = NULL, *renamed = NULL;
    kt_status st = kt_store_field_fate(ws->store, entity, name, &retired, &renamed, err);
    if (!st && retired)
        st = kt_error_set(err, KT_NOTFOUND,
                          "field %s.%s was removed on %.10s (kt field restore %s.%s brings it "
                          "back with its values)",
                          entity, name, retired, entity, name);
    else if (!st && renamed)
        st = kt_error_set(err, KT_NOTFOUND, "field %s.%s was renamed to %s.%s", entity, name,
                          entity, renamed);
    else if (!st)
        st = kt_error_set(err, KT_NOTFOUND, "there is no field %s.%s (see kt field list %s)",
                          entity, name, entity);
    kt_free(retired);
    kt_free(renamed);
    return st;
}

static kt_status find(kt_ws *ws, const char *entity, const char *name, const kt_field **f,
                      kt_error *err)
{
    kt_status st = kt_auth_allow(ws, KT_ACT_FIELDS, NULL, err);
    if (st) return st;
    if (!kt_registry_entity(ws->reg, entity))
        return kt_error_set(err, KT_NOTFOUND, "there is no entity '%s'", entity);
    *f = kt_registry_field(ws->reg, entity, name);
    if (!*f) return kt_ws_field_missing(ws, entity, name, err);
    if ((*f)->builtin)
        return kt_error_set(err, KT_DENIED,
                            "%s.%s is built in: it cannot be removed or renamed (kartoteka.lua "
                            "can relabel it, e.g. field \"%s.%s\" { label = \"...\" })",
                            entity, name, entity, name);
    return KT_OK;
}

kt_status kt_ws_field_users(kt_ws *ws, const kt_field *f, char *out, size_t size, kt_error *err)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < kt_ws_rule_count(ws); i++) {
        const kt_rule *r = kt_ws_rule_at(ws, i);
        if (strcmp(r->entity, f->entity) != 0) continue;
        for (size_t j = 0; j < r->nfields; j++)
            if (!strcmp(r->fields[j], f->name) && n < size)
                n += (size_t)snprintf(out + n, size - n, "%srule \"%s\"", n ? ", " : "", r->name);
    }
    for (size_t i = 0; i < ws->nfield_hooks; i++) {
        kt_status st = ws->field_hooks[i].fn(ws->field_hooks[i].ud, ws, f, NULL, err);
        if (st == KT_DENIED && n < size)
            n += (size_t)snprintf(out + n, size - n, "%s%s", n ? ", " : "", err->message);
        else if (st && st != KT_DENIED)
            return st;
    }
    kt_error_clear(err);
    return KT_OK;
}

kt_status kt_ws_field_remove(kt_ws *ws, const char *entity, const char *name, int dry_run,
                             long long *values, kt_error *err)
{
    const kt_field *f = NULL;
    *values = 0;
    char users[512];
    kt_status st = find(ws, entity, name, &f, err);
    if (!st) st = kt_ws_field_users(ws, f, users, sizeof users, err);
    if (!st && users[0])
        return kt_error_set(err, KT_DENIED,
                            "%s.%s is used by %s: change %s in kartoteka.lua first, then remove "
                            "the field",
                            entity, name, users, strchr(users, ',') ? "them" : "it");
    if (!st) st = kt_store_field_values(ws->store, f, values, err);
    if (st || dry_run) return st;
    if ((st = kt_store_begin(ws->store, err))) return st;
    if ((st = kt_store_field_retire(ws->store, entity, name, 1, "cli", err))) {
        kt_store_rollback(ws->store);
        return st;
    }
    if ((st = kt_store_commit(ws->store, err))) return st;
    return kt_registry_remove_field(ws->reg, entity, name);
}

kt_status kt_ws_field_restore(kt_ws *ws, const char *entity, const char *name, kt_error *err)
{
    kt_status st = kt_auth_allow(ws, KT_ACT_FIELDS, NULL, err);
    if (st) return st;
    if (kt_registry_field(ws->reg, entity, name))
        return kt_error_set(err, KT_INVALID, "field %s.%s is not removed", entity, name);
    char *retired = NULL, *renamed = NULL;
    st = kt_store_field_fate(ws->store, entity, name, &retired, &renamed, err);
    int was = retired != NULL;
    kt_free(retired);
    kt_free(renamed);
    if (st) return st;
    if (!was) return kt_ws_field_missing(ws, entity, name, err);
    if ((st = kt_store_begin(ws->store, err))) return st;
    if (!(st = kt_store_field_retire(ws->store, entity, name, 0, "cli", err)))
        st = kt_store_load_field(ws->store, ws->reg, entity, name, err);
    if (st) {
        kt_store_rollback(ws->store);
        kt_registry_remove_field(ws->reg, entity, name);
        return st;
    }
    return kt_store_commit(ws->store, err);
}

kt_status kt_ws_field_rename(kt_ws *ws, const char *entity, const char *name, const char *new_name,
                             int dry_run, long long *values, kt_error *err)
{
    const kt_field *f = NULL;
    *values = 0;
    kt_status st = find(ws, entity, name, &f, err);
    if (st) return st;
    if (!kt_registry_valid_name(new_name))
        return kt_error_set(err, KT_INVALID,
                            "'%s' is not a valid field name (use a-z, 0-9 and _, starting with a "
                            "letter; id, state and kt_* are reserved)",
                            new_name);
    if (kt_registry_field(ws->reg, entity, new_name))
        return kt_error_set(err, KT_EXISTS, "%s.%s exists already", entity, new_name);
    char *retired = NULL, *renamed = NULL;
    st = kt_store_field_fate(ws->store, entity, new_name, &retired, &renamed, err);
    if (!st && retired)
        st = kt_error_set(err, KT_EXISTS,
                          "%s.%s is a removed field that keeps its values: choose another name, "
                          "or kt field restore %s.%s",
                          entity, new_name, entity, new_name);
    kt_free(retired);
    kt_free(renamed);
    if (!st) st = kt_store_field_values(ws->store, f, values, err);
    if (st || dry_run) return st;
    if ((st = kt_store_begin(ws->store, err))) return st;
    if (!(st = kt_store_field_rename(ws->store, f, new_name, "cli", err)) &&
        !(st = kt_history_rename_field(ws, entity, name, new_name, err)))
        for (size_t i = 0; !st && i < ws->nfield_hooks; i++)
            st = ws->field_hooks[i].fn(ws->field_hooks[i].ud, ws, f, new_name, err);
    if (st) {
        kt_store_rollback(ws->store);
        return st;
    }
    if ((st = kt_store_commit(ws->store, err))) return st;
    return kt_registry_rename_field(ws->reg, entity, name, new_name, err);
}

kt_status kt_ws_field_fresh(kt_ws *ws, const kt_field_decl *d, kt_error *err)
{
    char *retired = NULL, *renamed = NULL;
    kt_status st = kt_store_field_fate(ws->store, d->entity, d->name, &retired, &renamed, err);
    if (!st && retired)
        st = kt_error_set(err, KT_DENIED,
                          "field %s.%s was removed on %.10s (kt field remove): kt field restore "
                          "%s.%s brings it back with its values",
                          d->entity, d->name, retired, d->entity, d->name);
    /* kt field add may give a renamed field's old name to a new field; kartoteka.lua still
     * naming it has not caught up with the rename */
    else if (!st && renamed && d->origin && strcmp(d->origin, "cli") != 0)
        st = kt_error_set(err, KT_DENIED,
                          "field %s.%s was renamed to %s.%s (kt field rename): declare field "
                          "\"%s.%s\" instead",
                          d->entity, d->name, d->entity, renamed, d->entity, renamed);
    kt_free(retired);
    kt_free(renamed);
    return st;
}
