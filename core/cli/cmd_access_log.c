/* kt access-log [ID] [--json]: who was shown which personal data through kt serve. */

#include "cli.h"
#include "kartoteka/auth.h"
#include "kartoteka/json.h"

typedef struct entries {
    cJSON *arr;
    int nomem;
} entries;

static int entry_json(void *ud, const kt_pii_access_info *a)
{
    entries *e = ud;
    cJSON *o = kt_json_pii_access(a);
    if (!o || !cJSON_AddItemToArray(e->arr, o)) {
        cJSON_Delete(o);
        e->nomem = 1; /* stops the walk; a partial log is not printed */
    }
    return e->nomem;
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
    entries e = {cli->json ? cJSON_CreateArray() : NULL, 0};
    cJSON *a = e.arr;
    if (kt_pii_access_each(cli->ws, id, a ? entry_json : entry_row, a ? (void *)&e : (void *)&t,
                           &err)) {
        rc = cli_fail(&err);
    } else if (e.nomem || (cli->json && !a)) {
        kt_error_set(&err, KT_NOMEM, "out of memory");
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
