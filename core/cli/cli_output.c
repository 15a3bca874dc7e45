/* Printing records, failures and JSON the way every command does. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "kartoteka/json.h"

void cli_print_failures(const kt_failures *f)
{
    for (size_t i = 0; i < f->n; i++) {
        const kt_failure *x = &f->items[i];
        const char *kind = x->severity == KT_SEVERITY_WARNING ? "warning" : "error";
        fprintf(stderr, "%s%s%s: %s%s%s [%s]\n", cli_sgr(stderr, kind), kind,
                cli_sgr(stderr, "off"), x->field ? x->field : "", x->field ? ": " : "", x->message,
                x->rule ? x->rule : "invalid");
    }
}

cJSON *cli_record_json(kt_ws *ws, const kt_record *rec)
{
    return kt_json_record(ws, rec, NULL);
}

void cli_print_json(cJSON *j)
{
    cli_progress_clear();
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
        if (!eq || eq == argv[i]) return cli_usage("\"%s\" is not name=value", argv[i]);
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(eq - argv[i]), argv[i]);
        const kt_field *f = kt_registry_field(kt_ws_registry(cli->ws), rec->entity, name);
        kt_status st = f && f->kind == KT_TYPE_SET
                           ? kt_record_set_csv(rec, name, eq + 1, &err)
                           : kt_record_set(rec, name, eq[1] ? eq + 1 : NULL, &err);
        if (st) return cli_fail(&err);
    }
    return 0;
}
