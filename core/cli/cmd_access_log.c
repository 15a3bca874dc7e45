/* kt access-log [ID] [--json]: who was shown which personal data through kt serve. */
#include <string.h>

#include "cli.h"
#include "kartoteka/auth.h"

static int entry_json(void *ud, const kt_pii_access_info *a)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *fields = cJSON_CreateArray();
    cJSON_AddNumberToObject(o, "seq", (double)a->seq);
    cJSON_AddStringToObject(o, "at", a->at);
    cJSON_AddStringToObject(o, "who", a->who);
    cJSON_AddStringToObject(o, "role", a->role);
    cJSON_AddNumberToObject(o, "record", (double)a->record);
    cJSON_AddStringToObject(o, "entity", a->entity);
    char names[1024];
    snprintf(names, sizeof names, "%s", a->fields);
    for (char *p = names, *f; (f = strsep(&p, ","));)
        if (*f) cJSON_AddItemToArray(fields, cJSON_CreateString(f));
    cJSON_AddItemToObject(o, "fields", fields);
    cJSON_AddStringToObject(o, "route", a->route);
    cJSON_AddItemToArray(ud, o);
    return 0;
}

static int entry_row(void *ud, const kt_pii_access_info *a)
{
    char record[32];
    snprintf(record, sizeof record, "%lld", a->record);
    const char *row[] = {a->at, a->who, a->role, record, a->entity, a->fields, a->route};
    return cli_table_add(ud, row) != 0;
}

int cmd_access_log(kt_cli *cli, int argc, char **argv)
{
    if (argc > 2) return cli_usage("usage: kt access-log [ID] [--json]");
    kt_id id = 0;
    if (argc == 2 && cli_id(argv[1], &id)) return EX_USAGE_;
    int rc = cli_open(cli);
    if (rc) return rc;
    kt_error err;
    static const char *const head[] = {"at", "who", "role", "record", "entity", "fields", "route"};
    cli_table t;
    cli_table_init(&t, 7, head);
    cJSON *a = cli->json ? cJSON_CreateArray() : NULL;
    if (kt_pii_access_each(cli->ws, id, a ? entry_json : entry_row, a ? (void *)a : (void *)&t,
                           &err)) {
        rc = cli_fail(&err);
    } else if (a) {
        cli_print_json(a);
        a = NULL;
    } else if (t.nrows) {
        cli_table_print(&t, stdout);
    }
    cJSON_Delete(a);
    cli_table_free(&t);
    return rc;
}
