/* Declaring entities and fields: the write door for the workspace's schema. The registry in
 * memory and its rows in the store change together, and only for a caller allowed to. */
#include <string.h>

#include "kartoteka/auth.h"
#include "kartoteka/save.h"
#include "workspace/ws_internal.h"

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
    kt_status st;
    if (!old && (st = kt_ws_field_fresh(ws, decl, err))) return st;
    int builtin = decl->origin && strcmp(decl->origin, "schema") == 0;
    int changed = 0;
    st = kt_registry_put_field(ws->reg, decl, builtin, &changed, err);
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
