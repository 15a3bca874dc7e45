/* The rows a report's run() returns, turned into a C table: columns in the order the report
 * asks (or its keys, sorted), each cell typed. */
#include <stdlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "script/report_lua_int.h"

#define MAX_COLUMNS 256

int report_lua_column(const kt_report_table *t, const char *name)
{
    for (size_t i = 0; name && i < t->ncolumns; i++)
        if (strcmp(t->columns[i].name, name) == 0) return (int)i;
    return -1;
}

static int add_column(kt_report_table *t, const char *name, int scale, int digits)
{
    if (report_lua_column(t, name) >= 0) return 0;
    kt_report_column *c = kt_realloc(t->columns, (t->ncolumns + 1) * sizeof *c);
    if (!c) return -1;
    t->columns = c;
    c[t->ncolumns].name = kt_strdup(name);
    c[t->ncolumns].scale = scale;
    c[t->ncolumns].digits = digits;
    if (!c[t->ncolumns].name) return -1;
    t->ncolumns++;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const kt_report_column *)a)->name, ((const kt_report_column *)b)->name);
}

/* columns = { "stage", { "amount", scale = 2 }, { "cv", digits = 4 } } */
static kt_status columns_from_spec(lua_State *L, int idx, const char *what, kt_report_table *t,
                                   kt_error *err)
{
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
    for (lua_Integer i = 1; i <= n; i++) {
        int scale = 0, digits = -1;
        lua_rawgeti(L, idx, i);
        if (lua_istable(L, -1)) {
            lua_getfield(L, -1, "scale");
            scale = (int)lua_tointeger(L, -1);
            lua_getfield(L, -2, "digits");
            if (lua_isinteger(L, -1)) digits = (int)lua_tointeger(L, -1);
            lua_rawgeti(L, -3, 1);
            lua_replace(L, -4);
            lua_pop(L, 2);
        }
        if (lua_type(L, -1) != LUA_TSTRING || scale < 0 || scale > 18 || digits > 17) {
            lua_pop(L, 1);
            return kt_error_set(err, KT_SCRIPT,
                                "%s: columns[%lld] should be a name or { name, scale = 0..18, "
                                "digits = 0..17 }",
                                what, (long long)i);
        }
        int rc = add_column(t, lua_tostring(L, -1), scale, digits);
        lua_pop(L, 1);
        if (rc) return kt_error_set(err, KT_NOMEM, "out of memory");
        if (t->ncolumns > MAX_COLUMNS)
            return kt_error_set(err, KT_LIMIT, "%s: more than %d columns", what, MAX_COLUMNS);
    }
    return KT_OK;
}

static kt_status columns_from_rows(lua_State *L, int rows, const char *what, kt_report_table *t,
                                   kt_error *err)
{
    lua_Integer n = (lua_Integer)lua_rawlen(L, rows);
    for (lua_Integer i = 1; i <= n; i++) {
        if (lua_rawgeti(L, rows, i) != LUA_TTABLE) {
            lua_pop(L, 1);
            continue; /* reported when the cells are read */
        }
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            lua_pop(L, 1);
            if (lua_type(L, -1) != LUA_TSTRING) continue;
            if (add_column(t, lua_tostring(L, -1), 0, -1)) {
                lua_pop(L, 3);
                return kt_error_set(err, KT_NOMEM, "out of memory");
            }
            if (t->ncolumns > MAX_COLUMNS) {
                lua_pop(L, 3);
                return kt_error_set(err, KT_LIMIT, "%s: more than %d columns", what, MAX_COLUMNS);
            }
        }
        lua_pop(L, 1);
    }
    if (t->ncolumns) qsort(t->columns, t->ncolumns, sizeof *t->columns, by_name);
    return KT_OK;
}

static kt_status read_cell(lua_State *L, kt_report_cell *c, const char *what, lua_Integer row,
                           const char *col, kt_error *err)
{
    switch (lua_type(L, -1)) {
    case LUA_TNIL:
        c->kind = KT_CELL_NULL;
        return KT_OK;
    case LUA_TBOOLEAN:
        c->kind = KT_CELL_BOOL;
        c->i = lua_toboolean(L, -1);
        return KT_OK;
    case LUA_TNUMBER:
        if (lua_isinteger(L, -1)) {
            c->kind = KT_CELL_INT;
            c->i = (long long)lua_tointeger(L, -1);
        } else {
            c->kind = KT_CELL_REAL;
            c->r = (double)lua_tonumber(L, -1);
        }
        return KT_OK;
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        c->kind = KT_CELL_TEXT;
        c->text = kt_strndup(s, len);
        return c->text ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
    }
    default:
        return kt_error_set(err, KT_SCRIPT,
                            "%s: row %lld, column %s: a %s is not a cell value "
                            "(rows are flat tables of text, numbers, booleans)",
                            what, (long long)row, col, luaL_typename(L, -1));
    }
}

kt_status report_lua_table(lua_State *L, int rows, int cols, const char *what, kt_report_table *t,
                           kt_error *err)
{
    memset(t, 0, sizeof *t);
    if (!lua_istable(L, rows))
        return kt_error_set(err, KT_SCRIPT, "%s: run() should return a list of rows, not a %s",
                            what, luaL_typename(L, rows));
    kt_status st = cols && lua_istable(L, cols) ? columns_from_spec(L, cols, what, t, err)
                                                : columns_from_rows(L, rows, what, t, err);
    size_t n = (size_t)lua_rawlen(L, rows);
    if (!st && n && t->ncolumns) {
        t->cells = kt_calloc(n * t->ncolumns, sizeof *t->cells);
        if (!t->cells) st = kt_error_set(err, KT_NOMEM, "out of memory");
    }
    for (size_t i = 0; !st && i < n; i++, t->nrows++) {
        if (lua_rawgeti(L, rows, (lua_Integer)i + 1) != LUA_TTABLE) {
            st = kt_error_set(err, KT_SCRIPT, "%s: row %zu is a %s, not a table", what, i + 1,
                              luaL_typename(L, -1));
            lua_pop(L, 1);
            break;
        }
        for (size_t j = 0; !st && j < t->ncolumns; j++) {
            lua_getfield(L, -1, t->columns[j].name);
            st = read_cell(L, &t->cells[i * t->ncolumns + j], what, (lua_Integer)i + 1,
                           t->columns[j].name, err);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    return st; /* what was read stays for the owner to free */
}
