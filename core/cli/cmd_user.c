/* kt user add|list|passwd|role|disable|enable: people who may log in to kt serve. */
#include <string.h>

#include "cli.h"
#include "kartoteka/auth.h"
#include "password.h"

#define USAGE                                                                                      \
    "usage: kt user add NAME --role owner|manager|staff|viewer [--password-stdin] | list "         \
    "[--json] "                                                                                    \
    "| passwd NAME [--password-stdin] | role NAME ROLE | disable NAME | enable NAME"

static int user_json(void *ud, const kt_user_info *u)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", u->name);
    cJSON_AddStringToObject(o, "role", kt_role_name(u->role));
    cJSON_AddStringToObject(o, "state", u->disabled ? "disabled" : "active");
    cJSON_AddStringToObject(o, "created_at", u->created_at);
    cJSON_AddStringToObject(o, "updated_at", u->updated_at);
    cJSON_AddItemToArray(ud, o);
    return 0;
}

static int user_plain(void *ud, const kt_user_info *u)
{
    (void)ud;
    printf("%-24s %-8s %-9s %s\n", u->name, kt_role_name(u->role),
           u->disabled ? "disabled" : "active", u->created_at);
    return 0;
}

static int list(kt_cli *cli)
{
    kt_error err;
    cJSON *a = cli->json ? cJSON_CreateArray() : NULL;
    if (kt_user_list(cli->ws, a ? user_json : user_plain, a, &err)) {
        cJSON_Delete(a);
        return cli_fail(&err);
    }
    if (a) cli_print_json(a);
    return 0;
}

/* add and passwd: the password is read before the workspace is opened, wiped after. */
static int with_password(kt_cli *cli, const char *name, int from_stdin, const kt_role *role)
{
    char password[CLI_PASSWORD_MAX];
    int rc = cli_read_password(from_stdin, password);
    if (rc) return rc;
    kt_error err;
    if (!(rc = cli_open(cli))) {
        kt_status st = role ? kt_user_add(cli->ws, name, *role, password, &err)
                            : kt_user_passwd(cli->ws, name, password, &err);
        if (st) rc = cli_fail(&err);
    }
    cli_password_wipe(password, sizeof password);
    return rc;
}

int cmd_user(kt_cli *cli, int argc, char **argv)
{
    int from_stdin = cli_take_flag(&argc, argv, "--password-stdin");
    const char *role_text = cli_take_option(&argc, argv, "--role");
    const char *sub = argc > 1 ? argv[1] : "";
    kt_error err;
    kt_role role;
    if (!strcmp(sub, "list") && argc == 2) {
        int rc = cli_open(cli);
        return rc ? rc : list(cli);
    }
    if (!strcmp(sub, "add") && argc == 3) {
        if (!role_text) return cli_usage("kt user add needs --role owner|manager|staff|viewer");
        if (kt_role_parse(role_text, &role, &err)) return cli_fail(&err);
        if (!kt_auth_name_ok(argv[2])) return cli_usage("\"%s\" is not a user name", argv[2]);
        return with_password(cli, argv[2], from_stdin, &role);
    }
    if (!strcmp(sub, "passwd") && argc == 3) return with_password(cli, argv[2], from_stdin, NULL);
    int rc;
    if (!strcmp(sub, "role") && argc == 4) {
        if (kt_role_parse(argv[3], &role, &err)) return cli_fail(&err);
        if ((rc = cli_open(cli))) return rc;
        return kt_user_set_role(cli->ws, argv[2], role, &err) ? cli_fail(&err) : 0;
    }
    if ((!strcmp(sub, "disable") || !strcmp(sub, "enable")) && argc == 3) {
        if ((rc = cli_open(cli))) return rc;
        return kt_user_disable(cli->ws, argv[2], sub[0] == 'd', &err) ? cli_fail(&err) : 0;
    }
    return cli_usage(USAGE);
}
