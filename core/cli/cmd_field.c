/* The field registry from the command line: kt field list | show | add. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kartoteka/alloc.h"
#include "kartoteka/json.h"

static const char *label_en(const kt_field *f, char *buf, size_t size)
{
    cJSON *l = f->label ? cJSON_Parse(f->label) : NULL;
    const cJSON *en = cJSON_GetObjectItem(l, "en");
    snprintf(buf, size, "%s", cJSON_IsString(en) ? en->valuestring : "");
    cJSON_Delete(l);
    return buf;
}

static void field_plain(const kt_field *f)
{
    char label[128];
    printf("%-28s %-10s %-9s %s", f->name, f->type, f->required ? "required" : "", label_en(f, label, sizeof label));
    if (f->noptions) {
        printf("  [");
        for (size_t i = 0; i < f->noptions; i++) printf("%s%s", i ? ", " : "", f->options[i]);
        printf("]");
    }
    if (f->ref) printf("  -> %s", f->ref);
    putchar('\n');
}

static int count_one(void *ud, const char *entity, const char *name, const char *type,
                     const char *at)
{
    (void)entity, (void)name, (void)type, (void)at;
    *(int *)ud = 1;
    return 1;
}

static int retired_line(void *ud, const char *entity, const char *name, const char *type,
                        const char *at);

static int field_list(kt_cli *cli, const char *only)
{
    kt_registry *reg = kt_ws_registry(cli->ws);
    if (only && !kt_registry_entity(reg, only)) {
        fprintf(stderr, "kt: there is no entity '%s'\n", only);
        return EX_NOINPUT_;
    }
    cJSON *a = cli->json ? cJSON_CreateArray() : NULL;
    for (size_t i = 0; i < kt_registry_entity_count(reg); i++) {
        const kt_entity *e = kt_registry_entity_at(reg, i);
        if (only && strcmp(only, e->name) != 0) continue;
        if (!a) printf("%s%s\n", i && !only ? "\n" : "", e->name);
        for (size_t j = 0; j < e->nfields; j++) {
            if (a) cJSON_AddItemToArray(a, kt_json_field(&e->fields[j]));
            else printf("  "), field_plain(&e->fields[j]);
        }
    }
    if (a) {
        cli_print_json(a);
        return 0;
    }
    kt_error err;
    int any = 0;
    if (kt_store_retired_fields(kt_ws_store(cli->ws), only, count_one, &any, &err))
        return cli_fail(&err);
    if (any) {
        printf("\nremoved (values kept)\n");
        if (kt_store_retired_fields(kt_ws_store(cli->ws), only, retired_line, NULL, &err))
            return cli_fail(&err);
    }
    return 0;
}

static int split_name(const char *full, char *entity, size_t size, const char **name)
{
    const char *dot = strchr(full, '.');
    if (!dot || (size_t)(dot - full) >= size) return cli_usage("name the field as ENTITY.FIELD, e.g. person.pets");
    snprintf(entity, size, "%.*s", (int)(dot - full), full);
    *name = dot + 1;
    return 0;
}

static int field_show(kt_cli *cli, const char *full)
{
    char entity[64];
    const char *name = NULL;
    int rc = split_name(full, entity, sizeof entity, &name);
    if (rc) return rc;
    const kt_field *f = kt_registry_field(kt_ws_registry(cli->ws), entity, name);
    kt_error err;
    if (!f) return cli_fail((kt_ws_field_missing(cli->ws, entity, name, &err), &err));
    cJSON *j = kt_json_field(f);
    if (cli->json) cli_print_json(j);
    else {
        char *s = cJSON_Print(j);
        puts(s ? s : "");
        cJSON_free(s);
        cJSON_Delete(j);
    }
    return 0;
}

/* The "file:line" of kt_config_field_where's text, without the rest. */
static int where_len(const char *where)
{
    int len = (int)strcspn(where, " ");
    while (len > 0 && where[len - 1] == ':')
        len--;
    return len;
}

/* Whether kartoteka.lua (or the schema) declares entity.name; if so, says where to change it
 * instead (what: why the command would not do). */
static int declared_in_file(kt_cli *cli, const char *full, const char *entity, const char *name,
                            const char *what)
{
    const char *where = kt_config_field_where(cli->ws, entity, name);
    if (!where) return 0;
    int len = where_len(where);
    if (!strncmp(where, "schema/", 7))
        fprintf(stderr,
                "kt: %s is built in (%.*s): tighten it in kartoteka.lua, e.g. field \"%s\" { "
                "required = true }\n",
                full, len, where, full);
    else
        fprintf(stderr,
                "kt: %s is declared in %.*s: change it there (%s the next time kartoteka.lua is "
                "read)\n",
                full, len, where, what);
    return 1;
}

/* kt field add person.loyalty_card text --pattern '^[0-9]{8}$' --unique --label "Loyalty card" */
static int field_add(kt_cli *cli, int argc, char **argv)
{
    static const char *const bools[] = {"required", "unique", "searchable", "pii", "indexed", NULL};
    static const char *const texts[] = {"pattern", "default", "min", "max", "ref", "kind", NULL};
    cJSON *props = cJSON_CreateObject();
    for (size_t i = 0; bools[i]; i++) {
        char flag[32];
        snprintf(flag, sizeof flag, "--%s", bools[i]);
        if (cli_take_flag(&argc, argv, flag)) cJSON_AddTrueToObject(props, bools[i]);
    }
    for (size_t i = 0; texts[i]; i++) {
        char opt[32];
        snprintf(opt, sizeof opt, "--%s", texts[i]);
        const char *v = cli_take_option(&argc, argv, opt);
        if (v) cJSON_AddStringToObject(props, texts[i], v);
    }
    if (cli_take_flag(&argc, argv, "--no-trim")) cJSON_AddFalseToObject(props, "trim");
    const char *v;
    if ((v = cli_take_option(&argc, argv, "--label"))) cJSON_AddStringToObject(props, "label", v);
    static const char *const numbers[] = {"max-length", "max_length", "scale", "scale"};
    for (size_t i = 0; i < 4; i += 2) {
        char opt[32];
        long long n;
        snprintf(opt, sizeof opt, "--%s", numbers[i]);
        if (!(v = cli_take_option(&argc, argv, opt))) continue;
        if (cli_number(opt, v, 0, INT_MAX, &n)) {
            cJSON_Delete(props);
            return EX_USAGE_;
        }
        cJSON_AddNumberToObject(props, numbers[i + 1], (double)n);
    }
    if ((v = cli_take_option(&argc, argv, "--options"))) {
        cJSON *opts = cJSON_AddArrayToObject(props, "options");
        char *copy = strdup(v);
        for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ","))
            cJSON_AddItemToArray(opts, cJSON_CreateString(tok));
        free(copy);
    }
    if (argc != 4) {
        cJSON_Delete(props);
        return cli_usage(
            "usage: kt field add ENTITY.FIELD TYPE [--required] [--unique] [--options a,b] "
            "[--pattern RE] [--default V] [--min V] [--max V] [--max-length N] [--no-trim] "
            "[--label TEXT] [--ref ENTITY] [--searchable] [--pii]");
    }
    char entity[64];
    const char *name = NULL;
    int rc = split_name(argv[2], entity, sizeof entity, &name);
    char *text = rc ? NULL : cJSON_PrintUnformatted(props);
    cJSON_Delete(props);
    if (rc) return rc;
    /* kartoteka.lua and kt field are one truth: a field declared there is changed there, or
     * the next command would quietly undo this one. */
    if (declared_in_file(cli, argv[2], entity, name, "kt field add would be undone")) {
        cJSON_free(text);
        return EX_DATAERR_;
    }
    /* The command states the whole desired state: what it leaves out (--required) is unset. */
    kt_field_decl d = {entity, name, argv[3], text, "cli", 1};
    kt_error err;
    kt_status st = kt_ws_declare_field(cli->ws, &d, &err);
    cJSON_free(text);
    if (st) return cli_fail(&err);
    return 0;
}

static void print_fate(kt_cli *cli, const char *full, const char *to, long long values, int dry_run,
                       const char *done)
{
    if (cli->json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "field", full);
        if (to) cJSON_AddStringToObject(j, "renamed_to", to);
        cJSON_AddNumberToObject(j, "values", (double)values);
        cJSON_AddBoolToObject(j, "dry_run", dry_run);
        cli_print_json(j);
    } else if (dry_run) {
        printf("would %s %s%s%s: %lld record%s hold%s a value (nothing written)\n", done, full,
               to ? " to " : "", to ? to : "", values, values == 1 ? "" : "s",
               values == 1 ? "s" : "");
    }
}

/* kt field remove ENTITY.FIELD [--dry-run]: retired, its values kept. */
static int field_remove(kt_cli *cli, const char *full, int dry_run)
{
    char entity[64];
    const char *name = NULL;
    int rc = split_name(full, entity, sizeof entity, &name);
    if (rc) return rc;
    if (kt_registry_field(kt_ws_registry(cli->ws), entity, name) &&
        declared_in_file(cli, full, entity, name, "delete the declaration first, or it comes back"))
        return EX_DATAERR_;
    kt_error err;
    long long values = 0;
    if (kt_ws_field_remove(cli->ws, entity, name, dry_run, &values, &err)) return cli_fail(&err);
    print_fate(cli, full, NULL, values, dry_run, "remove");
    if (!cli->json && !dry_run)
        cli_say("removed %s: hidden from lists, forms and exports; %lld value%s kept (kt field "
                "restore %s brings %s back)\n",
                full, values, values == 1 ? "" : "s", full, values == 1 ? "it" : "them");
    return 0;
}

/* kt field rename ENTITY.FIELD NEW [--dry-run]: values, history and the registry follow. */
static int field_rename(kt_cli *cli, const char *full, const char *to, int dry_run)
{
    char entity[64], users[512] = "";
    const char *name = NULL;
    int rc = split_name(full, entity, sizeof entity, &name);
    if (rc) return rc;
    const char *dot = strchr(to, '.');
    if (dot && (strncmp(to, entity, (size_t)(dot - to)) || entity[dot - to]))
        return cli_usage("a field keeps its entity: kt field rename %s NEW_NAME", full);
    if (dot) to = dot + 1;
    kt_error err;
    const kt_field *f = kt_registry_field(kt_ws_registry(cli->ws), entity, name);
    const char *where = f ? kt_config_field_where(cli->ws, entity, name) : NULL;
    int len = where ? where_len(where) : 0;
    if (f && kt_ws_field_users(cli->ws, f, users, sizeof users, &err)) return cli_fail(&err);
    long long values = 0;
    if (kt_ws_field_rename(cli->ws, entity, name, to, dry_run, &values, &err))
        return cli_fail(&err);
    char full_to[160];
    snprintf(full_to, sizeof full_to, "%s.%s", entity, to);
    print_fate(cli, full, full_to, values, dry_run, "rename");
    if (!cli->json && !dry_run)
        cli_say("renamed %s to %s: %lld value%s and the history follow\n", full, full_to, values,
                values == 1 ? "" : "s");
    if (!dry_run && where && strncmp(where, "schema/", 7))
        fprintf(stderr,
                "kt: now write field \"%s\" in %.*s (kt stops at the old name until then)\n",
                full_to, len, where);
    if (!dry_run && users[0])
        fprintf(stderr, "kt: %s name %s: change them to %s in kartoteka.lua\n", users, name, to);
    return 0;
}

/* kt field restore ENTITY.FIELD: a removed field back, with the values it kept. */
static int field_restore(kt_cli *cli, const char *full)
{
    char entity[64];
    const char *name = NULL;
    int rc = split_name(full, entity, sizeof entity, &name);
    if (rc) return rc;
    kt_error err;
    if (kt_ws_field_restore(cli->ws, entity, name, &err)) return cli_fail(&err);
    if (cli->json)
        cli_print_json(kt_json_field(kt_registry_field(kt_ws_registry(cli->ws), entity, name)));
    else
        cli_say("restored %s with the values it kept\n", full);
    return 0;
}

static int retired_line(void *ud, const char *entity, const char *name, const char *type,
                        const char *at)
{
    (void)ud;
    printf("  %s.%s (%s), removed %.10s: kt field restore %s.%s\n", entity, name, type, at, entity,
           name);
    return 0;
}

#define FIELD_USAGE                                                                                \
    "usage: kt field list [ENTITY] | show ENTITY.FIELD | add ENTITY.FIELD TYPE ... | remove "      \
    "ENTITY.FIELD [--dry-run] | rename ENTITY.FIELD NEW [--dry-run] | restore ENTITY.FIELD"

int cmd_field(kt_cli *cli, int argc, char **argv)
{
    int dry_run = cli_take_flag(&argc, argv, "--dry-run");
    if (argc < 2) return cli_usage(FIELD_USAGE);
    if (dry_run && strcmp(argv[1], "remove") && strcmp(argv[1], "rename"))
        return cli_usage("--dry-run goes with kt field remove and kt field rename");
    int rc = cli_open(cli);
    if (rc) return rc;
    if (!strcmp(argv[1], "list") && argc <= 3) return field_list(cli, argc == 3 ? argv[2] : NULL);
    if (!strcmp(argv[1], "show") && argc == 3) return field_show(cli, argv[2]);
    if (!strcmp(argv[1], "add")) return field_add(cli, argc, argv);
    if (!strcmp(argv[1], "remove") && argc == 3) return field_remove(cli, argv[2], dry_run);
    if (!strcmp(argv[1], "rename") && argc == 4)
        return field_rename(cli, argv[2], argv[3], dry_run);
    if (!strcmp(argv[1], "restore") && argc == 3) return field_restore(cli, argv[2]);
    return cli_usage(FIELD_USAGE);
}
