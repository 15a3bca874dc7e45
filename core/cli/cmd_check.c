/* kt check: data quality — how complete each field is, and which stored records miss a value
 * that is now mandatory or break a rule added after they were saved; --rebuild first makes the
 * sales rollup again from the sale lines. */
#include <string.h>

#include "cli.h"

typedef struct check {
    kt_cli *cli;
    const kt_entity *e;
    long records;
    long *filled;       /* per field */
    cJSON *problems;    /* array */
    long errors, warnings;
} check;

static int on_record(void *ud, const kt_record *r)
{
    check *c = ud;
    c->records++;
    for (size_t i = 0; i < c->e->nfields; i++)
        if (!kt_value_empty(kt_record_get(r, c->e->fields[i].name))) c->filled[i]++;
    kt_failures f;
    kt_failures_init(&f);
    kt_error err;
    if (kt_validate(c->cli->ws, r, 1, &f, &err) != KT_OK)
        kt_failures_add(&f, KT_SEVERITY_ERROR, NULL, NULL, "script", err.message);
    for (size_t i = 0; i < f.n; i++) {
        const kt_failure *x = &f.items[i];
        char id[32];
        snprintf(id, sizeof id, "%lld", r->id);
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "id", id);
        cJSON_AddStringToObject(p, "entity", r->entity);
        cJSON_AddItemToObject(p, "field", x->field ? cJSON_CreateString(x->field) : cJSON_CreateNull());
        cJSON_AddItemToObject(p, "value", x->value ? cJSON_CreateString(x->value) : cJSON_CreateNull());
        cJSON_AddStringToObject(p, "rule", x->rule ? x->rule : "");
        cJSON_AddStringToObject(p, "message", x->message);
        cJSON_AddStringToObject(p, "severity", x->severity == KT_SEVERITY_WARNING ? "warning" : "error");
        cJSON_AddItemToArray(c->problems, p);
        if (x->severity == KT_SEVERITY_WARNING) c->warnings++;
        else c->errors++;
    }
    kt_failures_free(&f);
    return 0;
}

static int check_entity(kt_cli *cli, const kt_entity *e, cJSON *out, long *errors)
{
    long filled[256] = {0};
    check c = {cli, e, 0, filled, cJSON_CreateArray(), 0, 0};
    kt_error err;
    if (e->nfields > 256) return EX_SOFTWARE_;
    if (kt_list(cli->ws, e->name, NULL, on_record, &c, &err)) {
        cJSON_Delete(c.problems);
        return cli_fail(&err);
    }
    cJSON *o = cJSON_CreateObject(), *fields = cJSON_CreateArray();
    cJSON_AddStringToObject(o, "entity", e->name);
    cJSON_AddNumberToObject(o, "records", (double)c.records);
    for (size_t i = 0; i < e->nfields; i++) {
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "field", e->fields[i].name);
        cJSON_AddNumberToObject(f, "filled", (double)filled[i]);
        cJSON_AddNumberToObject(f, "share", c.records ? (double)filled[i] / (double)c.records : 0.0);
        cJSON_AddBoolToObject(f, "required", e->fields[i].required);
        cJSON_AddItemToArray(fields, f);
    }
    cJSON_AddItemToObject(o, "fields", fields);
    cJSON_AddNumberToObject(o, "errors", (double)c.errors);
    cJSON_AddNumberToObject(o, "warnings", (double)c.warnings);
    cJSON_AddItemToObject(o, "problems", c.problems);
    cJSON_AddItemToArray(out, o);
    *errors += c.errors;
    return 0;
}

static void print_plain(const cJSON *entities)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, entities)
    {
        int records = cJSON_GetObjectItem(e, "records")->valueint;
        if (records == 0) continue;
        printf("%s: %d active records\n", cJSON_GetObjectItem(e, "entity")->valuestring, records);
        const cJSON *f;
        cJSON_ArrayForEach(f, cJSON_GetObjectItem(e, "fields"))
        {
            double share = cJSON_GetObjectItem(f, "share")->valuedouble;
            printf("  %-26s %5.1f%% filled%s\n", cJSON_GetObjectItem(f, "field")->valuestring,
                   share * 100.0, cJSON_IsTrue(cJSON_GetObjectItem(f, "required")) ? "  (required)" : "");
        }
        const cJSON *p;
        cJSON_ArrayForEach(p, cJSON_GetObjectItem(e, "problems"))
        {
            const cJSON *field = cJSON_GetObjectItem(p, "field");
            printf("  %s: record %s%s%s: %s [%s]\n", cJSON_GetObjectItem(p, "severity")->valuestring,
                   cJSON_GetObjectItem(p, "id")->valuestring, cJSON_IsString(field) ? " " : "",
                   cJSON_IsString(field) ? field->valuestring : "",
                   cJSON_GetObjectItem(p, "message")->valuestring,
                   cJSON_GetObjectItem(p, "rule")->valuestring);
        }
    }
}

int cmd_check(kt_cli *cli, int argc, char **argv)
{
    int rebuild = cli_take_flag(&argc, argv, "--rebuild");
    if (argc > 2) return cli_usage("usage: kt check [ENTITY] [--rebuild] [--json]");
    int rc = cli_open(cli);
    if (rc) return rc;
    long long rolled = 0;
    kt_error rerr;
    if (rebuild && kt_rollup_rebuild(cli->ws, &rolled, &rerr)) return cli_fail(&rerr);
    if (rebuild && !cli->json) printf("sales rollup rebuilt: %lld customer-months\n", rolled);
    kt_registry *reg = kt_ws_registry(cli->ws);
    if (argc == 2 && !kt_registry_entity(reg, argv[1])) {
        fprintf(stderr, "kt: there is no entity '%s'\n", argv[1]);
        return EX_NOINPUT_;
    }
    cJSON *entities = cJSON_CreateArray();
    long errors = 0;
    for (size_t i = 0; !rc && i < kt_registry_entity_count(reg); i++) {
        const kt_entity *e = kt_registry_entity_at(reg, i);
        if (argc == 2 && strcmp(argv[1], e->name) != 0) continue;
        rc = check_entity(cli, e, entities, &errors);
    }
    if (rc) {
        cJSON_Delete(entities);
        return rc;
    }
    if (cli->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddBoolToObject(o, "clean", errors == 0);
        cJSON_AddNumberToObject(o, "errors", (double)errors);
        if (rebuild) cJSON_AddNumberToObject(o, "rollup_rows", (double)rolled);
        cJSON_AddItemToObject(o, "entities", entities);
        cli_print_json(o);
    } else {
        print_plain(entities);
        printf(errors ? "%ld problem%s found\n" : "clean\n", errors, errors == 1 ? "" : "s");
        cJSON_Delete(entities);
    }
    return errors ? EX_DATAERR_ : 0;
}
