/* kt token add|list|revoke: bearer tokens for programs using kt serve's API. */
#include <string.h>

#include "cli.h"
#include "kartoteka/auth.h"
#include "password.h"

#define USAGE                                                                                      \
    "usage: kt token add NAME --role owner|manager|staff|viewer [--expires YYYY-MM-DD] | list "    \
    "[--json] | revoke NAME"

static int token_json(void *ud, const kt_token_info *t)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", t->name);
    cJSON_AddStringToObject(o, "role", kt_role_name(t->role));
    cJSON_AddStringToObject(o, "state", t->state);
    cJSON_AddItemToObject(o, "expires",
                          t->expires ? cJSON_CreateString(t->expires) : cJSON_CreateNull());
    cJSON_AddStringToObject(o, "created_at", t->created_at);
    cJSON_AddItemToArray(ud, o);
    return 0;
}

static int token_plain(void *ud, const kt_token_info *t)
{
    (void)ud;
    printf("%-24s %-8s %-8s %-10s %s\n", t->name, kt_role_name(t->role), t->state,
           t->expires ? t->expires : "-", t->created_at);
    return 0;
}

static int add(kt_cli *cli, const char *name, const char *role_text, const char *expires)
{
    kt_error err;
    kt_role role;
    if (!role_text) return cli_usage("kt token add needs --role owner|manager|staff|viewer");
    if (kt_role_parse(role_text, &role, &err)) return cli_fail(&err);
    int rc = cli_open(cli);
    if (rc) return rc;
    char text[KT_TOKEN_TEXT_MAX];
    if (kt_token_add(cli->ws, name, role, expires, text, &err)) return cli_fail(&err);
    if (cli->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", name);
        cJSON_AddStringToObject(o, "role", kt_role_name(role));
        cJSON_AddItemToObject(o, "expires",
                              expires ? cJSON_CreateString(expires) : cJSON_CreateNull());
        cJSON_AddStringToObject(o, "token", text);
        cli_print_json(o);
    } else {
        printf("%s\n", text);
        if (isatty(1)) fprintf(stderr, "kt: keep this token now: it is not shown again\n");
    }
    cli_password_wipe(text, sizeof text);
    return 0;
}

int cmd_token(kt_cli *cli, int argc, char **argv)
{
    const char *role_text = cli_take_option(&argc, argv, "--role");
    const char *expires = cli_take_option(&argc, argv, "--expires");
    const char *sub = argc > 1 ? argv[1] : "";
    kt_error err;
    int rc;
    if (!strcmp(sub, "add") && argc == 3) return add(cli, argv[2], role_text, expires);
    if (!strcmp(sub, "list") && argc == 2) {
        if ((rc = cli_open(cli))) return rc;
        cJSON *a = cli->json ? cJSON_CreateArray() : NULL;
        if (kt_token_list(cli->ws, a ? token_json : token_plain, a, &err)) {
            cJSON_Delete(a);
            return cli_fail(&err);
        }
        if (a) cli_print_json(a);
        return 0;
    }
    if (!strcmp(sub, "revoke") && argc == 3) {
        if ((rc = cli_open(cli))) return rc;
        return kt_token_revoke(cli->ws, argv[2], &err) ? cli_fail(&err) : 0;
    }
    return cli_usage(USAGE);
}
