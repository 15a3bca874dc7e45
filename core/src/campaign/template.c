/* Message templates: campaigns/templates/NAME.txt in the workspace, or inline text, with
 * {{name}} placeholders filled from kt.send's data (lists joined with ", "). */
#include <ctype.h>
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "campaign/campaign_int.h"
#include "kartoteka/alloc.h"

#define TEMPLATE_MAX (1024 * 1024)

kt_status kt_template_load(kt_ws *ws, const char *name, char **text, kt_error *err)
{
    *text = NULL;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
            return kt_error_set(err, KT_INVALID,
                                "template \"%s\": names are letters, digits, _ and -", name);
    char path[4096];
    snprintf(path, sizeof path, "%s/campaigns/templates/%s.txt", kt_ws_dir(ws), name);
    FILE *f = fopen(path, "rb");
    if (!f) return kt_error_set(err, KT_NOTFOUND, "template \"%s\": no file %s", name, path);
    kt_buf b = {NULL, 0, 0, TEMPLATE_MAX};
    char chunk[4096];
    size_t n;
    kt_status st = KT_OK;
    while (!st && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        st = kt_buf_append(&b, chunk, n, err);
    fclose(f);
    if (st) {
        kt_buf_free(&b);
        return st;
    }
    *text = kt_buf_take(&b);
    return KT_OK;
}

/* Appends the value of data[name] (a list joined with ", "; nil as nothing). */
static kt_status put_value(lua_State *L, int data_idx, const char *name, size_t len, kt_buf *out,
                           kt_error *err)
{
    if (data_idx == 0) return KT_OK;
    lua_pushlstring(L, name, len);
    lua_gettable(L, data_idx);
    kt_status st = KT_OK;
    int is_list = 0; /* a date object (with __tostring) is one value, not a list */
    if (lua_istable(L, -1)) {
        if (luaL_getmetafield(L, -1, "__tostring") != LUA_TNIL)
            lua_pop(L, 1);
        else
            is_list = 1;
    }
    if (is_list) {
        lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
        for (lua_Integer i = 1; !st && i <= n; i++) {
            lua_rawgeti(L, -1, i);
            if (i > 1) st = kt_buf_puts(out, ", ", err);
            if (!st) st = kt_buf_puts(out, luaL_tolstring(L, -1, NULL), err);
            lua_pop(L, 2);
        }
    } else if (!lua_isnil(L, -1)) {
        st = kt_buf_puts(out, luaL_tolstring(L, -1, NULL), err);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return st;
}

static kt_status render(lua_State *L, const char *text, int data_idx, kt_buf *out, kt_error *err)
{
    kt_status st = KT_OK;
    const char *p = text;
    while (!st && *p) {
        const char *open = strstr(p, "{{");
        const char *close = open ? strstr(open + 2, "}}") : NULL;
        if (!close) return kt_buf_puts(out, p, err);
        st = kt_buf_append(out, p, (size_t)(open - p), err);
        const char *a = open + 2, *b = close;
        while (a < b && isspace((unsigned char)*a))
            a++;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        if (!st) st = put_value(L, data_idx, a, (size_t)(b - a), out, err);
        p = close + 2;
    }
    return st;
}

kt_status kt_template_render(lua_State *L, const char *text, int data_idx, char **body,
                             char **subject_out, kt_error *err)
{
    *body = NULL;
    if (subject_out) *subject_out = NULL;
    kt_buf b = {NULL, 0, 0, TEMPLATE_MAX}, subj = {NULL, 0, 0, 4096};
    kt_status st = KT_OK;
    if (!strncmp(text, "Subject:", 8)) {
        const char *eol = strchr(text, '\n');
        size_t n = eol ? (size_t)(eol - text) : strlen(text);
        char *line = kt_strndup(text + 8, n - 8);
        if (!line) return kt_error_set(err, KT_NOMEM, "out of memory");
        st = render(L, line + strspn(line, " \t"), data_idx, &subj, err);
        kt_free(line);
        text = eol ? eol + 1 : text + n;
        if (*text == '\n')
            text++; /* the blank line after the header */
        else if (!strncmp(text, "\r\n", 2))
            text += 2;
    }
    if (!st) st = render(L, text, data_idx, &b, err);
    if (st) {
        kt_buf_free(&b);
        kt_buf_free(&subj);
        return st;
    }
    *body = kt_buf_take(&b);
    if (subject_out && subj.len) {
        while (subj.len && (subj.data[subj.len - 1] == '\r' || subj.data[subj.len - 1] == ' '))
            subj.data[--subj.len] = '\0';
        *subject_out = kt_buf_take(&subj);
    }
    kt_buf_free(&subj);
    return KT_OK;
}
