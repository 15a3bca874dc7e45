/* Internal: the parts of the kt module that live in their own files. */
#ifndef KT_SCRIPT_KT_MODULE_INT_H
#define KT_SCRIPT_KT_MODULE_INT_H

#include "kartoteka/query.h"
#include "script/script_int.h"

int kt_lua_raise(lua_State *L, const kt_error *err);
/* The history source of the running script's writes ("script x.lua"), written into buf. */
const char *kt_lua_source(lua_State *L, char *buf, size_t size);
/* The record id at idx (an integer or its text); raises an argument error otherwise. */
kt_id kt_lua_check_id(lua_State *L, int idx);
/* kt.consent (kt_module_consent.c). */
void kt_lua_push_consent_lib(lua_State *L);

int kt_lua_query(lua_State *L);   /* kt.query(sql, ...): read-only rows */
int kt_lua_today(lua_State *L);   /* kt.today(): "YYYY-MM-DD" in the workspace's time zone */
int kt_lua_now(lua_State *L);     /* kt.now(): "YYYY-MM-DDTHH:MM:SS" there */
int kt_lua_print(lua_State *L);   /* kt.print(...): to the command's output */
int kt_lua_kt_index(lua_State *L); /* kt.args, kt.<plugin namespace> */
int kt_lua_send(lua_State *L);          /* kt.send { channel, to, template, subject, data } */
int kt_lua_task(lua_State *L);          /* kt.task { title, person, due, ... } */
int kt_lua_last_activity(lua_State *L); /* kt.last_activity(person, filters) */
int kt_lua_push_change(void *ud, const kt_change *c); /* appends to the table on top */

#endif
