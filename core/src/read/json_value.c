/* Turning a parsed JSON object into a row, shared by the json and ndjson readers. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "read/read_int.h"

const char *const rd_no_keys[1] = {NULL};

/* Integers as integers; other numbers in the fewest digits that read back to the same double
 * (what a person typed: 12.5, not 12.500000000000000). */
static void number(double v, char *out, size_t n)
{
    if (isfinite(v) && v == floor(v) && fabs(v) < 9007199254740992.0) {
        snprintf(out, n, "%.0f", v);
        return;
    }
    for (int p = 1; p <= 17; p++) {
        snprintf(out, n, "%.*g", p, v);
        if (strtod(out, NULL) == v) return;
    }
}

kt_status rd_json_row(const cJSON *obj, rd_cells *keys, rd_cells *vals, size_t max_fields,
                      size_t max_cell, kt_error *err)
{
    rd_cells_reset(keys);
    rd_cells_reset(vals);
    for (const cJSON *c = obj->child; c; c = c->next) {
        if (keys->count >= max_fields)
            return kt_error_set(err, KT_LIMIT,
                                "more than %zu keys in an object (raise "
                                "max_fields)",
                                max_fields);
        char num[64];
        char *printed = NULL;
        const char *v = NULL;
        if (cJSON_IsString(c))
            v = c->valuestring;
        else if (cJSON_IsTrue(c))
            v = "true";
        else if (cJSON_IsFalse(c))
            v = "false";
        else if (cJSON_IsNumber(c))
            number(c->valuedouble, num, sizeof num), v = num;
        else if (cJSON_IsArray(c) || cJSON_IsObject(c)) {
            printed = cJSON_PrintUnformatted(c);
            if (!printed) return kt_error_set(err, KT_NOMEM, "out of memory printing a value");
            v = printed;
        }
        size_t n = v ? strlen(v) : 0;
        kt_status st = KT_OK;
        if (n > max_cell)
            st = kt_error_set(err, KT_LIMIT,
                              "the value of \"%s\" is longer than the limit of "
                              "%zu bytes (raise max_cell)",
                              c->string, max_cell);
        if (!st)
            st = rd_cells_add(keys, c->string ? c->string : "", c->string ? strlen(c->string) : 0,
                              err);
        if (!st) st = rd_cells_add(vals, v, n, err);
        cJSON_free(printed);
        if (st) return st;
    }
    rd_cells_finish(keys, err);
    rd_cells_finish(vals, err);
    return KT_OK;
}

kt_status rd_json_no_nul(const char *s, size_t n, long *line, kt_error *err)
{
    int str = 0;
    *line = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') ++*line;
        if (!str) {
            str = s[i] == '"';
        } else if (s[i] == '"') {
            str = 0;
        } else if (s[i] == '\\' && i + 1 < n) {
            if (s[i + 1] == 'u' && i + 5 < n && !memcmp(s + i + 2, "0000", 4))
                return kt_error_set(err, KT_INVALID,
                                    "a string holds \\u0000 (a NUL character), which no text "
                                    "value can keep: remove it from the file");
            i++;
        }
    }
    return KT_OK;
}

kt_status rd_json_depth(const char *s, size_t n, size_t max, kt_error *err)
{
    size_t depth = 0;
    int str = 0, esc = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (str) {
            if (esc)
                esc = 0;
            else if (c == '\\')
                esc = 1;
            else if (c == '"')
                str = 0;
        } else if (c == '"') {
            str = 1;
        } else if (c == '{' || c == '[') {
            if (++depth > max)
                return kt_error_set(err, KT_LIMIT,
                                    "JSON nested deeper than the limit of %zu "
                                    "levels (raise max_depth)",
                                    max);
        } else if ((c == '}' || c == ']') && depth) {
            depth--;
        }
    }
    return KT_OK;
}
