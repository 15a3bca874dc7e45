/* Internal to the script layer's report files (report_lua_*.c). */
#ifndef KT_SCRIPT_REPORT_LUA_INT_H
#define KT_SCRIPT_REPORT_LUA_INT_H

#include "kartoteka/report.h"
#include "script/script_int.h"

/* The object that runs reports/NAME.lua (KT_EXT_REPORT_FILES "lua"), in report_lua_load.c
 * and report_lua_run.c. */
kt_status report_lua_describe(void *ud, kt_ws *ws, const char *path, const char *name,
                              const kt_report_guard *g, char **title, char **params, kt_error *err);
kt_status report_lua_run(void *ud, kt_ws *ws, const char *path, const char *name,
                         const kt_report_guard *g, const kt_report_param *params, size_t nparams,
                         kt_report *r, kt_error *err);

/* Runs the report file inside the guard and leaves its spec table on the host's stack
 * (checked: a table with a run function). */
kt_status report_lua_load(kt_ws *ws, const char *path, const kt_report_guard *g, kt_error *err);
/* "--days 30 --from" from the spec's params table at idx; caller frees. */
char *report_lua_params_text(lua_State *L, int idx);

/* Fills t (zeroed first) from the Lua list of rows at idx, in the order of the columns spec at
 * cols_idx (0 when absent: the rows' keys, sorted). what names the table in messages. On
 * failure t holds what was read; its owner frees it. */
kt_status report_lua_table(lua_State *L, int rows_idx, int cols_idx, const char *what,
                           kt_report_table *t, kt_error *err);
/* The column named name in t, or -1. */
int report_lua_column(const kt_report_table *t, const char *name);
/* Reads the chart spec at idx (using r's table for rows and scales) into r->chart. */
kt_status report_lua_chart(lua_State *L, int idx, kt_report *r, kt_error *err);

#endif
