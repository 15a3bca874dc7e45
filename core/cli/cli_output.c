/* Printing records, failures and JSON the way every command does. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void cli_print_failures(const kt_failures *f)
{
    for (size_t i = 0; i < f->n; i++) {
        const kt_failure *x = &f->items[i];
        fprintf(stderr, "%s: %s%s%s [%s]\n",
                x->severity == KT_SEVERITY_WARNING ? "warning" : "error",
                x->field ? x->field : "", x->field ? ": " : "", x->message,
                x->rule ? x->rule : "invalid");
    }
}

static cJSON *value_json(const kt_field *f, const kt_value *v)
{
    if (kt_value_empty(v)) return f && f->kind == KT_TYPE_SET ? cJSON_CreateArray() : cJSON_CreateNull();
    if (v->is_set) {
        cJSON *a = cJSON_CreateArray();
        for (size_t i = 0; a && i < v->nitems; i++) cJSON_AddItemToArray(a, cJSON_CreateString(v->items[i]));
        return a;
    }
    switch (f ? f->kind : KT_TYPE_TEXT) {
    case KT_TYPE_INTEGER: return cJSON_CreateNumber((double)strtoll(v->text, NULL, 10));
    case KT_TYPE_BOOL: return cJSON_CreateBool(strcmp(v->text, "true") == 0);
    default: return cJSON_CreateString(v->text);
    }
}

cJSON *cli_record_json(kt_ws *ws, const kt_record *rec)
{
    char id[32];
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    snprintf(id, sizeof id, "%lld", rec->id);
    cJSON_AddStringToObject(o, "id", id);
    cJSON_AddStringToObject(o, "entity", rec->entity);
    cJSON_AddStringToObject(o, "state", rec->state);
    if (rec->merged_into) {
        snprintf(id, sizeof id, "%lld", rec->merged_into);
        cJSON_AddStringToObject(o, "merged_into", id);
    }
    for (size_t i = 0; i < rec->n; i++) {
        const kt_field *f = kt_registry_field(kt_ws_registry(ws), rec->entity, rec->names[i]);
        cJSON_AddItemToObject(o, rec->names[i], value_json(f, &rec->values[i]));
    }
    return o;
}

void cli_print_json(cJSON *j)
{
    char *s = isatty(1) ? cJSON_Print(j) : cJSON_PrintUnformatted(j);
    if (s) {
        fputs(s, stdout);
        fputc('\n', stdout);
    }
    cJSON_free(s);
    cJSON_Delete(j);
}

int cli_record_args(kt_cli *cli, kt_record *rec, int argc, char **argv)
{
    kt_error err;
    for (int i = 0; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        if (!eq || eq == argv[i])
            return cli_usage("\"%s\" is not name=value", argv[i]);
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(eq - argv[i]), argv[i]);
        const kt_field *f = kt_registry_field(kt_ws_registry(cli->ws), rec->entity, name);
        kt_status st = f && f->kind == KT_TYPE_SET ? kt_record_set_csv(rec, name, eq + 1, &err)
                       : kt_record_set(rec, name, eq[1] ? eq + 1 : NULL, &err);
        if (st) return cli_fail(&err);
    }
    return 0;
}
