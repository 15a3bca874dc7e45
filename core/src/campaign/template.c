/* Message templates: campaigns/templates/NAME.txt in the workspace, or inline text, with
 * {{name}} placeholders filled from kt.send's data (lists joined with ", "; the script layer
 * reads the values, script/campaign_template_lua.c). */
#include <ctype.h>
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

static kt_status render(const char *text, kt_template_value_fn value, void *ud, kt_buf *out,
                        kt_error *err)
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
        if (!st && value) st = value(ud, a, (size_t)(b - a), out, err);
        p = close + 2;
    }
    return st;
}

kt_status kt_template_fill(const char *text, kt_template_value_fn value, void *ud, char **body,
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
        st = render(line + strspn(line, " \t"), value, ud, &subj, err);
        kt_free(line);
        text = eol ? eol + 1 : text + n;
        if (*text == '\n')
            text++; /* the blank line after the header */
        else if (!strncmp(text, "\r\n", 2))
            text += 2;
    }
    if (!st) st = render(text, value, ud, &b, err);
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
