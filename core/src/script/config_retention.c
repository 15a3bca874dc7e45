/* Retention declarations read out of kartoteka.lua into C, so the layer that applies them
 * (privacy/retention.c) never touches the Lua stack. */
#include <stdio.h>
#include <string.h>

#include "script/script_int.h"

/* "36 months since last activity": the amount and the unit; 0 when it is not that form. */
static int parse_after(const char *text, int *amount, char *unit)
{
    char word[16], rest[64];
    int n = 0, used = 0;
    if (sscanf(text, "%d %15s since %63[a-z ]%n", &n, word, rest, &used) != 3 || n <= 0 ||
        n > 1200 || text[used] != '\0' || strcmp(rest, "last activity") != 0)
        return 0;
    static const char *const units[] = {"day", "days", "month", "months", "year", "years"};
    for (size_t i = 0; i < 6; i++)
        if (!strcmp(word, units[i])) {
            *amount = n;
            *unit = units[i][0];
            return 1;
        }
    return 0;
}

static kt_status read_one(const kt_ws *ws, lua_State *L, int spec, const char *name,
                          const char *where, void *item, kt_error *err)
{
    kt_config_retention *r = item;
    snprintf(r->entity, sizeof r->entity, "%s", name);
    snprintf(r->where, sizeof r->where, "%s", where);
    lua_getfield(L, spec, "after");
    lua_getfield(L, spec, "action");
    const char *after = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    const char *action = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    kt_status st = KT_OK;
    if (!kt_registry_entity(kt_ws_registry((kt_ws *)ws), r->entity))
        st = kt_error_set(err, KT_INVALID, "%s retention \"%s\": no such entity", r->where,
                          r->entity);
    else if (!after || strlen(after) >= sizeof r->after ||
             !parse_after(after, &r->amount, &r->unit))
        st = kt_error_set(err, KT_INVALID,
                          "%s retention \"%s\" needs after = \"N days|months|years since last "
                          "activity\" (\"36 months since last activity\")",
                          r->where, r->entity);
    else if (!action || (strcmp(action, "anonymise") != 0 && strcmp(action, "erase") != 0))
        st = kt_error_set(err, KT_INVALID,
                          "%s retention \"%s\" needs action = \"anonymise\" or \"erase\"", r->where,
                          r->entity);
    if (!st) {
        snprintf(r->after, sizeof r->after, "%s", after);
        snprintf(r->action, sizeof r->action, "%s", action);
    }
    lua_pop(L, 2);
    return st;
}

kt_status kt_config_retentions(const kt_ws *ws, kt_config_retention **out, size_t *n, kt_error *err)
{
    void *items = NULL;
    kt_status st = kt_config_read_all(ws, "retention", sizeof **out, read_one, &items, n, err);
    *out = items;
    return st;
}
