/* What every kind of import map (script, plugin, built-in) hands the import: match keys,
 * on_match words and the records of a row. */
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/import_map.h"

int kt_on_match_parse(const char *name)
{
    static const char *const names[] = {"update", "skip", "merge", "create"};
    for (int i = 0; name && i < 4; i++)
        if (!strcmp(name, names[i])) return KT_ON_MATCH_UPDATE + i;
    return -1;
}

void kt_import_keys_free(kt_import_keys *k)
{
    for (size_t i = 0; i < k->n; i++) {
        for (size_t j = 0; j < k->items[i].n; j++)
            kt_free(k->items[i].fields[j]);
        kt_free(k->items[i].fields);
    }
    kt_free(k->items);
    k->items = NULL;
    k->n = 0;
}

kt_status kt_import_keys_add(kt_import_keys *k, const char *field, int new_key, kt_error *err)
{
    if (new_key || k->n == 0) {
        kt_import_key *items = kt_realloc(k->items, (k->n + 1) * sizeof *items);
        if (!items) return kt_error_set(err, KT_NOMEM, "out of memory");
        k->items = items;
        items[k->n++] = (kt_import_key){NULL, 0};
    }
    return kt_import_key_add(&k->items[k->n - 1], field, err);
}

kt_status kt_import_key_add(kt_import_key *key, const char *field, kt_error *err)
{
    char **f = kt_realloc(key->fields, (key->n + 1) * sizeof *f);
    if (!f) return kt_error_set(err, KT_NOMEM, "out of memory");
    key->fields = f;
    if (!(f[key->n] = kt_strdup(field))) return kt_error_set(err, KT_NOMEM, "out of memory");
    key->n++;
    return KT_OK;
}

void kt_import_out_clear(kt_import_out *o)
{
    kt_record_free(o->rec);
    kt_free(o->ref);
    kt_import_keys_free(&o->keys);
    memset(o, 0, sizeof *o);
}
