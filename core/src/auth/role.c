/* Roles and the actor: whom a workspace acts for, and what that actor may do. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/auth.h"

#define ACTOR_TAG "auth.actor"

typedef struct actor_slot {
    int set;
    kt_actor actor;
    int mask_pii; /* kt_auth_mask_pii: masked even for an actor who may see it */
} actor_slot;

/* Whoever opens the file holds all of it: the command line and embedders act as the owner. */
static const kt_actor local_owner = {"cli", KT_ROLE_OWNER, ""};

static const char *const role_names[] = {"viewer", "staff", "manager", "owner"};

const char *kt_role_name(kt_role role)
{
    return (unsigned)role < 4 ? role_names[role] : "nobody";
}

kt_status kt_role_parse(const char *text, kt_role *out, kt_error *err)
{
    for (int i = 0; i < 4; i++) {
        if (text && strcmp(text, role_names[i]) == 0) {
            *out = (kt_role)i;
            return KT_OK;
        }
    }
    return kt_error_set(err, KT_USAGE, "\"%s\" is not a role: owner, manager, staff or viewer",
                        text ? text : "");
}

int kt_auth_name_ok(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > KT_AUTH_NAME_MAX) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return 0;
    }
    return 1;
}

static kt_status slot_of(kt_ws *ws, actor_slot **out, kt_error *err)
{
    void *p = kt_ws_attachment(ws, ACTOR_TAG);
    kt_status st = p ? KT_OK : kt_ws_attachment_make(ws, ACTOR_TAG, sizeof **out, kt_free, &p, err);
    *out = p;
    return st;
}

kt_status kt_auth_set_actor(kt_ws *ws, const kt_actor *actor, kt_error *err)
{
    actor_slot *slot = kt_ws_attachment(ws, ACTOR_TAG);
    if (!actor && !slot) return KT_OK;
    kt_status st = slot ? KT_OK : slot_of(ws, &slot, err);
    if (st) return st;
    slot->set = actor != NULL;
    if (actor) slot->actor = *actor;
    slot->actor.name[KT_AUTH_NAME_MAX] = '\0';
    slot->actor.source[KT_AUTH_SOURCE_MAX] = '\0';
    return KT_OK;
}

const kt_actor *kt_auth_actor(const kt_ws *ws)
{
    const actor_slot *slot = kt_ws_attachment(ws, ACTOR_TAG);
    return slot && slot->set ? &slot->actor : &local_owner;
}

static kt_role needs(kt_act act)
{
    switch (act) {
    case KT_ACT_READ:
        return KT_ROLE_VIEWER;
    case KT_ACT_WRITE:
        return KT_ROLE_STAFF;
    case KT_ACT_ARCHIVE:
    case KT_ACT_MERGE:
    case KT_ACT_IMPORT:
    case KT_ACT_CAMPAIGN:
    case KT_ACT_ERASE:
        return KT_ROLE_MANAGER;
    case KT_ACT_FIELDS:
    case KT_ACT_USERS:
        return KT_ROLE_OWNER;
    }
    return KT_ROLE_OWNER;
}

static const char *act_words(kt_act act)
{
    switch (act) {
    case KT_ACT_READ:
        return "read records";
    case KT_ACT_WRITE:
        return "create or change records";
    case KT_ACT_ARCHIVE:
        return "archive or restore records";
    case KT_ACT_MERGE:
        return "merge records";
    case KT_ACT_IMPORT:
        return "import or undo imports";
    case KT_ACT_CAMPAIGN:
        return "run campaigns";
    case KT_ACT_FIELDS:
        return "change fields";
    case KT_ACT_USERS:
        return "change users or tokens";
    case KT_ACT_ERASE:
        return "erase personal data";
    }
    return "do that";
}

kt_status kt_auth_allow(const kt_ws *ws, kt_act act, const char *entity, kt_error *err)
{
    const kt_actor *a = kt_auth_actor(ws);
    kt_role want = needs(act);
    if (a->role >= want) return KT_OK;
    return kt_error_set(err, KT_DENIED, "%s (%s) may not %s%s%s: that needs the %s role", a->name,
                        kt_role_name(a->role), act_words(act), entity ? " of " : "",
                        entity ? entity : "", kt_role_name(want));
}

int kt_auth_sees_pii(const kt_ws *ws)
{
    const actor_slot *slot = kt_ws_attachment(ws, ACTOR_TAG);
    return kt_auth_actor(ws)->role > KT_ROLE_VIEWER && !(slot && slot->mask_pii);
}

kt_status kt_auth_mask_pii(kt_ws *ws, int mask, kt_error *err)
{
    actor_slot *slot;
    kt_status st = slot_of(ws, &slot, err);
    if (!st) slot->mask_pii = mask != 0;
    return st;
}

const char *kt_auth_source(const kt_ws *ws, const char *own, char *out, size_t size)
{
    const kt_actor *a = kt_auth_actor(ws);
    if (!a->source[0]) return own;
    if (!own || strcmp(own, "api") == 0 || strcmp(own, a->source) == 0)
        snprintf(out, size, "%s", a->source);
    else
        snprintf(out, size, "%s %s", a->source, own);
    return out;
}
