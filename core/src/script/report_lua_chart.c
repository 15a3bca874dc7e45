/* The chart a report's run() may return: { kind, title, label, value, note, beside, rows,
 * scale }, with the rows it draws copied out of Lua. */
#include <string.h>

#include "kartoteka/alloc.h"
#include "script/report_lua_int.h"

static char *string_field(lua_State *L, int idx, const char *key, int *bad)
{
    char *s = NULL;
    int t = lua_getfield(L, idx, key);
    if (t == LUA_TSTRING) {
        s = kt_strdup(lua_tostring(L, -1));
        if (!s) *bad = 2;
    } else if (t != LUA_TNIL) {
        *bad = 1;
    }
    lua_pop(L, 1);
    return s;
}

/* Copies label, value and note columns (with the report's scales) from the chart's own rows or
 * the report's rows. Builds the spec as a Lua columns list and reuses the row reader. */
static kt_status chart_data(lua_State *L, int idx, const kt_report *r, kt_report_chart *c,
                            kt_error *err)
{
    int top = lua_gettop(L);
    lua_getfield(L, idx, "scale");
    int scale = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : -1;
    lua_pop(L, 1);
    const char *names[3] = {c->label, c->value, c->note};
    lua_createtable(L, 3, 0);
    int spec = lua_gettop(L);
    for (int i = 0; i < 3 && names[i]; i++) {
        int col = report_lua_column(&r->table, names[i]);
        int s = col >= 0 ? r->table.columns[col].scale : 0;
        if (i == 1 && scale >= 0) s = scale;
        lua_createtable(L, 1, 2);
        lua_pushstring(L, names[i]);
        lua_rawseti(L, -2, 1);
        lua_pushinteger(L, s);
        lua_setfield(L, -2, "scale");
        if (col >= 0) {
            lua_pushinteger(L, r->table.columns[col].digits);
            lua_setfield(L, -2, "digits");
        }
        lua_rawseti(L, spec, i + 1);
    }
    kt_status st;
    if (lua_getfield(L, idx, "rows") == LUA_TTABLE) {
        st = report_lua_table(L, lua_gettop(L), spec, "chart", &c->data, err);
    } else {
        /* the report's own rows, already in C: back to Lua for the three columns */
        lua_pop(L, 1);
        lua_createtable(L, (int)r->table.nrows, 0);
        int rows = lua_gettop(L);
        for (size_t i = 0; i < r->table.nrows; i++) {
            lua_createtable(L, 0, 3);
            for (int k = 0; k < 3 && names[k]; k++) {
                int col = report_lua_column(&r->table, names[k]);
                if (col < 0) continue;
                const kt_report_cell *cell = &r->table.cells[i * r->table.ncolumns + (size_t)col];
                switch (cell->kind) {
                case KT_CELL_INT:
                    lua_pushinteger(L, cell->i);
                    break;
                case KT_CELL_REAL:
                    lua_pushnumber(L, cell->r);
                    break;
                case KT_CELL_TEXT:
                    lua_pushstring(L, cell->text);
                    break;
                case KT_CELL_BOOL:
                    lua_pushboolean(L, (int)cell->i);
                    break;
                default:
                    lua_pushnil(L);
                }
                lua_setfield(L, -2, names[k]);
            }
            lua_rawseti(L, rows, (lua_Integer)i + 1);
        }
        st = report_lua_table(L, rows, spec, "chart", &c->data, err);
    }
    lua_settop(L, top);
    return st;
}

kt_status report_lua_chart(lua_State *L, int idx, kt_report *r, kt_error *err)
{
    if (lua_isnoneornil(L, idx)) return KT_OK;
    if (!lua_istable(L, idx))
        return kt_error_set(err, KT_SCRIPT, "the chart should be a table, not a %s",
                            luaL_typename(L, idx));
    kt_report_chart *c = kt_calloc(1, sizeof *c);
    if (!c) return kt_error_set(err, KT_NOMEM, "out of memory");
    r->chart = c; /* the report's owner frees what was read, also on failure */
    int bad = 0;
    c->kind = string_field(L, idx, "kind", &bad);
    c->title = string_field(L, idx, "title", &bad);
    c->label = string_field(L, idx, "label", &bad);
    c->value = string_field(L, idx, "value", &bad);
    c->note = string_field(L, idx, "note", &bad);
    if (!bad && !c->title && r->title && !(c->title = kt_strdup(r->title))) bad = 2;
    kt_status st = KT_OK;
    if (bad == 2)
        st = kt_error_set(err, KT_NOMEM, "out of memory");
    else if (bad || !c->kind || !c->label || !c->value)
        st = kt_error_set(err, KT_SCRIPT, "a chart needs kind, label and value (column names)");
    else if (strcmp(c->kind, "bar") != 0 && strcmp(c->kind, "funnel") != 0)
        st = kt_error_set(err, KT_SCRIPT, "chart kind '%s': Kartoteka draws \"bar\" and \"funnel\"",
                          c->kind);
    if (!st && lua_getfield(L, idx, "beside") != LUA_TTABLE) {
        lua_pop(L, 1);
    } else if (!st) {
        size_t n = (size_t)lua_rawlen(L, -1);
        c->beside = kt_calloc(n ? n : 1, sizeof *c->beside);
        if (!c->beside) st = kt_error_set(err, KT_NOMEM, "out of memory");
        for (size_t i = 0; !st && i < n; i++) {
            lua_rawgeti(L, -1, (lua_Integer)i + 1);
            const char *s = lua_tostring(L, -1);
            if (s && !(c->beside[c->nbeside++] = kt_strdup(s)))
                st = kt_error_set(err, KT_NOMEM, "out of memory");
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    if (!st) st = chart_data(L, idx, r, c, err);
    return st;
}
