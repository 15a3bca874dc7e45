/* Records one at a time: add, set, get, archive, restore, history. */
#include <string.h>

#include "cli.h"
#include "kartoteka/dedupe.h"
#include "kartoteka/external.h"
#include "kartoteka/json.h"

static int save(kt_cli *cli, kt_record *rec, int allow_dup)
{
    kt_failures fails;
    kt_failures_init(&fails);
    kt_error err;
    kt_save_opts o = {.source = "cli", .allow_duplicate = allow_dup};
    kt_status st = kt_save(cli->ws, rec, &o, &fails, &err);
    cli_print_failures(&fails);
    kt_failures_free(&fails);
    if (st) {
        if (st == KT_INVALID || st == KT_CONSTRAINT) {
            fprintf(stderr, "kt: %s\n", err.message);
            return EX_DATAERR_;
        }
        return cli_fail(&err);
    }
    return 0;
}

int cmd_add(kt_cli *cli, int argc, char **argv)
{
    int allow = cli_take_flag(&argc, argv, "--allow-duplicate");
    if (argc < 2) return cli_usage("usage: kt add ENTITY name=value ...");
    int rc = cli_open(cli);
    if (rc) return rc;
    if (!kt_registry_entity(kt_ws_registry(cli->ws), argv[1])) {
        fprintf(stderr, "kt: there is no entity '%s'\n", argv[1]);
        return EX_USAGE_;
    }
    kt_record *rec = kt_record_new(argv[1]);
    if (!rec) return EX_SOFTWARE_;
    rc = cli_record_args(cli, rec, argc - 2, argv + 2);
    if (!rc) rc = save(cli, rec, allow);
    kt_error err;
    /* a similar record too little agrees with to refuse this one: proposed by kt dupes (with
     * --allow-duplicate the user has looked already, and a bulk add pays no second check) */
    if (!rc && !allow && kt_dupes_queue_similar(cli->ws, rec, "cli", &err)) rc = cli_fail(&err);
    if (!rc) {
        if (cli->json) {
            kt_record *full = NULL;
            if (kt_get(cli->ws, rec->id, &full, &err) == KT_OK)
                cli_print_json(cli_record_json(cli->ws, full));
            kt_record_free(full);
        } else {
            printf("%lld\n", rec->id);
        }
    }
    kt_record_free(rec);
    return rc;
}

static int load(kt_cli *cli, const char *arg, kt_record **out)
{
    kt_id id;
    if (cli_id(arg, &id)) return EX_USAGE_;
    kt_error err;
    if (kt_get(cli->ws, id, out, &err)) return cli_fail(&err);
    return 0;
}

int cmd_set(kt_cli *cli, int argc, char **argv)
{
    if (argc < 3) return cli_usage("usage: kt set ID name=value ...");
    int rc = cli_open(cli);
    if (rc) return rc;
    kt_record *old = NULL;
    if ((rc = load(cli, argv[1], &old))) return rc;
    kt_record *rec = kt_record_new(old->entity);
    rec->id = old->id;
    kt_record_free(old);
    rc = cli_record_args(cli, rec, argc - 2, argv + 2);
    if (!rc) rc = save(cli, rec, 1);
    kt_record_free(rec);
    return rc;
}

static void print_plain(kt_cli *cli, const kt_record *r)
{
    printf("id: %lld\nentity: %s\nstate: %s\n", r->id, r->entity, r->state);
    if (r->merged_into) printf("merged into: %lld\n", r->merged_into);
    for (size_t i = 0; i < r->n; i++) {
        const kt_value *v = &r->values[i];
        if (kt_value_empty(v)) continue;
        printf("%s: ", r->names[i]);
        if (v->is_set)
            for (size_t j = 0; j < v->nitems; j++)
                printf("%s%s", j ? ", " : "", v->items[j]);
        else {
            /* people read a phone as their country writes it; --json keeps the stored form */
            char shown[256];
            const kt_field *f = kt_registry_field(kt_ws_registry(cli->ws), r->entity, r->names[i]);
            fputs(kt_field_display(cli->ws, f, r, v->text, shown, sizeof shown), stdout);
        }
        putchar('\n');
    }
}

/* kt get --external C100000 [--entity person]: the record known by that external id — its
 * own, one of a row absorbed into it, or of a record merged into it. */
static int load_external(kt_cli *cli, const char *value, const char *entity, kt_record **out)
{
    kt_error err;
    kt_id id = 0;
    if (kt_external_find(cli->ws, entity, value, &id, &err)) return cli_fail(&err);
    if (!id) {
        kt_error_set(&err, KT_NOTFOUND, "no %s has the external id \"%s\"",
                     entity ? entity : "record", value);
        return cli_fail(&err);
    }
    if (kt_get(cli->ws, id, out, &err)) return cli_fail(&err);
    return 0;
}

int cmd_get(kt_cli *cli, int argc, char **argv)
{
    const char *external = cli_take_option(&argc, argv, "--external");
    const char *entity = cli_take_option(&argc, argv, "--entity");
    if (argc != (external ? 1 : 2))
        return cli_usage("usage: kt get ID [--json]\n       kt get --external XID "
                         "[--entity E] [--json]");
    int rc = cli_open(cli);
    if (rc) return rc;
    kt_record *r = NULL;
    if ((rc = external ? load_external(cli, external, entity, &r) : load(cli, argv[1], &r)))
        return rc;
    if (cli->json)
        cli_print_json(cli_record_json(cli->ws, r));
    else {
        print_plain(cli, r);
        cli_print_related(cli, r);
        if (r->merged_into)
            fprintf(stderr, "kt: record %lld was merged into %lld\n", r->id, r->merged_into);
    }
    kt_record_free(r);
    return 0;
}

static int lifecycle(kt_cli *cli, int argc, char **argv,
                     kt_status (*fn)(kt_ws *, kt_id, const kt_save_opts *, kt_error *))
{
    if (argc != 2) return cli_usage("usage: kt %s ID", argv[0]);
    int rc = cli_open(cli);
    if (rc) return rc;
    kt_id id;
    if (cli_id(argv[1], &id)) return EX_USAGE_;
    kt_error err;
    kt_save_opts o = {.source = "cli"};
    if (fn(cli->ws, id, &o, &err)) return cli_fail(&err);
    return 0;
}

int cmd_archive(kt_cli *cli, int argc, char **argv)
{
    return lifecycle(cli, argc, argv, kt_archive);
}

int cmd_restore(kt_cli *cli, int argc, char **argv)
{
    /* digits are a record id (checked strictly); any other name is a backup (./123 for a file
     * named by digits) */
    for (int i = 1; i < argc; i++)
        if (argv[i][0] != '-' && (!*argv[i] || argv[i][strspn(argv[i], "0123456789")]))
            return cli_restore_db(cli, argc, argv);
    return lifecycle(cli, argc, argv, kt_restore);
}

static int history_json(void *ud, const kt_change *c)
{
    cJSON_AddItemToArray(ud, kt_json_change(c));
    return 0;
}

static int history_plain(void *ud, const kt_change *c)
{
    (void)ud;
    if (!c->field && !c->old && !c->new_) {
        printf("%s  %-8s (%s)\n", c->at, c->action, c->source);
        return 0;
    }
    printf("%s  %-8s %-16s %s -> %s  (%s)\n", c->at, c->action, c->field ? c->field : "-",
           c->old ? c->old : "∅", c->new_ ? c->new_ : "∅", c->source);
    return 0;
}

int cmd_history(kt_cli *cli, int argc, char **argv)
{
    if (argc != 2) return cli_usage("usage: kt history ID [--json]");
    int rc = cli_open(cli);
    if (rc) return rc;
    kt_id id;
    if (cli_id(argv[1], &id)) return EX_USAGE_;
    kt_error err;
    cJSON *a = cli->json ? cJSON_CreateArray() : NULL;
    if (kt_history(cli->ws, id, cli->json ? history_json : history_plain, a, &err)) {
        cJSON_Delete(a);
        return cli_fail(&err);
    }
    if (a) cli_print_json(a);
    return 0;
}
