/* Set fields given as text ("dog, cat", "dog;cat", a JSON array) become lists, and empty cells
 * are dropped, whichever map made the record. */
#include <cjson/cJSON.h>
#include <string.h>

#include "import/import_int.h"
#include "kartoteka/alloc.h"

static kt_status split_list(kt_record *rec, const char *name, const char *text, kt_error *err)
{
    const char *items[256];
    size_t n = 0;
    char *copy = kt_strdup(text);
    if (!copy) return kt_error_set(err, KT_NOMEM, "out of memory");
    cJSON *arr = text[0] == '[' ? cJSON_Parse(text) : NULL;
    if (cJSON_IsArray(arr)) {
        const cJSON *it;
        cJSON_ArrayForEach(it, arr) if (cJSON_IsString(it) && n < 256) items[n++] = it->valuestring;
    } else {
        for (char *p = copy, *tok; (tok = strsep(&p, ",;")) && n < 256;) {
            while (*tok == ' ' || *tok == '\t')
                tok++;
            size_t len = strlen(tok);
            while (len && (tok[len - 1] == ' ' || tok[len - 1] == '\t'))
                tok[--len] = '\0';
            if (len) items[n++] = tok;
        }
    }
    kt_status st = kt_record_set_list(rec, name, items, n, err);
    cJSON_Delete(arr);
    kt_free(copy);
    return st;
}

kt_status imp_coerce_sets(kt_ws *ws, kt_record *rec, kt_error *err)
{
    const kt_registry *reg = kt_ws_registry(ws);
    for (size_t i = 0; i < rec->n;) {
        kt_value *v = &rec->values[i];
        if (!v->is_set && v->text && !v->text[0]) {
            kt_record_unset(rec, rec->names[i]); /* an empty cell says nothing */
            continue;
        }
        const kt_field *f = kt_registry_field(reg, rec->entity, rec->names[i]);
        if (f && f->kind == KT_TYPE_SET && !v->is_set && v->text) {
            char *text = kt_strdup(v->text);
            if (!text) return kt_error_set(err, KT_NOMEM, "out of memory");
            kt_status st = split_list(rec, rec->names[i], text, err);
            kt_free(text);
            if (st) return st;
        }
        i++;
    }
    return KT_OK;
}
