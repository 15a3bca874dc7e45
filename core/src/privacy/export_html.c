/* The person export as a page a person can read: the document's sections in order, a list of
 * records as a table (a column per key), an object as a two-column table. Every text is
 * escaped: the values are the person's own and may hold anything. */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "kartoteka/text.h"
#include "privacy/privacy_int.h"

static kt_status esc(kt_buf *out, const char *s, kt_error *err)
{
    return kt_text_xml_escaped(out, s, err);
}

static kt_status node(kt_buf *out, const cJSON *j, kt_error *err);

/* A scalar as text; an array of scalars as "a, b". */
static kt_status scalar(kt_buf *out, const cJSON *j, kt_error *err)
{
    if (cJSON_IsString(j)) return esc(out, j->valuestring, err);
    if (cJSON_IsNumber(j)) return kt_buf_printf(out, err, "%.15g", j->valuedouble);
    if (cJSON_IsBool(j)) return kt_buf_puts(out, cJSON_IsTrue(j) ? "yes" : "no", err);
    if (cJSON_IsNull(j)) return KT_OK;
    return node(out, j, err);
}

static int all_objects(const cJSON *a)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, a) if (!cJSON_IsObject(it)) return 0;
    return cJSON_GetArraySize(a) > 0;
}

/* The keys of a list of objects, in first-seen order, as one object of nulls. */
static cJSON *columns(const cJSON *a)
{
    cJSON *cols = cJSON_CreateObject();
    const cJSON *row, *cell;
    cJSON_ArrayForEach(row, a) cJSON_ArrayForEach(cell, row)
    {
        if (cols && !cJSON_GetObjectItemCaseSensitive(cols, cell->string) &&
            !cJSON_AddNullToObject(cols, cell->string)) {
            cJSON_Delete(cols);
            return NULL;
        }
    }
    return cols;
}

static kt_status table(kt_buf *out, const cJSON *a, kt_error *err)
{
    cJSON *cols = columns(a);
    if (!cols) return kt_error_set(err, KT_NOMEM, "out of memory");
    const cJSON *c, *row;
    kt_status st = kt_buf_puts(out, "<table>\n<tr>", err);
    cJSON_ArrayForEach(c, cols) if (!st)
    {
        st = kt_buf_puts(out, "<th>", err);
        if (!st) st = esc(out, c->string, err);
        if (!st) st = kt_buf_puts(out, "</th>", err);
    }
    if (!st) st = kt_buf_puts(out, "</tr>\n", err);
    cJSON_ArrayForEach(row, a) if (!st)
    {
        st = kt_buf_puts(out, "<tr>", err);
        cJSON_ArrayForEach(c, cols) if (!st)
        {
            st = kt_buf_puts(out, "<td>", err);
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, c->string);
            if (!st && v) st = scalar(out, v, err);
            if (!st) st = kt_buf_puts(out, "</td>", err);
        }
        if (!st) st = kt_buf_puts(out, "</tr>\n", err);
    }
    if (!st) st = kt_buf_puts(out, "</table>\n", err);
    cJSON_Delete(cols);
    return st;
}

static kt_status node(kt_buf *out, const cJSON *j, kt_error *err)
{
    const cJSON *it;
    kt_status st = KT_OK;
    if (cJSON_IsArray(j)) {
        if (all_objects(j)) return table(out, j, err);
        if (!cJSON_GetArraySize(j)) return kt_buf_puts(out, "<p class=none>none</p>\n", err);
        int first = 1;
        cJSON_ArrayForEach(it, j) if (!st)
        {
            if (!first) st = kt_buf_puts(out, ", ", err);
            first = 0;
            if (!st) st = scalar(out, it, err);
        }
        return st;
    }
    if (!cJSON_IsObject(j)) return scalar(out, j, err);
    st = kt_buf_puts(out, "<table class=kv>\n", err);
    cJSON_ArrayForEach(it, j) if (!st)
    {
        st = kt_buf_puts(out, "<tr><th>", err);
        if (!st) st = esc(out, it->string, err);
        if (!st) st = kt_buf_puts(out, "</th><td>", err);
        if (!st) st = scalar(out, it, err);
        if (!st) st = kt_buf_puts(out, "</td></tr>\n", err);
    }
    return st ? st : kt_buf_puts(out, "</table>\n", err);
}

kt_status kt_person_html(const cJSON *doc, kt_buf *out, kt_error *err)
{
    const cJSON *rec = cJSON_GetObjectItemCaseSensitive(doc, "record");
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "id"));
    kt_status st = kt_buf_puts(out,
                               "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
                               "<title>Personal data held about record ",
                               err);
    if (!st) st = esc(out, id ? id : "?", err);
    if (!st)
        st = kt_buf_puts(out,
                         "</title>\n<style>body{font-family:sans-serif;margin:2em}"
                         "table{border-collapse:collapse;margin-bottom:1em}"
                         "th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;"
                         "vertical-align:top}</style>\n</head><body>\n<h1>Personal data held "
                         "about record ",
                         err);
    if (!st) st = esc(out, id ? id : "?", err);
    if (!st) st = kt_buf_puts(out, "</h1>\n", err);
    const cJSON *it;
    cJSON_ArrayForEach(it, doc) if (!st)
    {
        if (!cJSON_IsObject(it) && !cJSON_IsArray(it)) {
            st = kt_buf_puts(out, "<p>", err);
            if (!st) st = esc(out, it->string, err);
            if (!st) st = kt_buf_puts(out, ": ", err);
            if (!st) st = scalar(out, it, err);
            if (!st) st = kt_buf_puts(out, "</p>\n", err);
            continue;
        }
        st = kt_buf_puts(out, "<h2>", err);
        if (!st) st = esc(out, it->string, err);
        if (!st) st = kt_buf_puts(out, "</h2>\n", err);
        if (!st && !strcmp(it->string, "related")) {
            const cJSON *list;
            cJSON_ArrayForEach(list, it) if (!st)
            {
                st = kt_buf_puts(out, "<h3>", err);
                if (!st) st = esc(out, list->string, err);
                if (!st) st = kt_buf_puts(out, "</h3>\n", err);
                if (!st) st = node(out, list, err);
            }
            if (!st && !cJSON_GetArraySize(it)) st = kt_buf_puts(out, "<p>none</p>\n", err);
        } else if (!st) {
            st = node(out, it, err);
        }
    }
    return st ? st : kt_buf_puts(out, "</body></html>\n", err);
}
