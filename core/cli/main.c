/* kt: the Kartoteka command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    cli_cmd_fn fn;
    const char *help;
} commands[] = {
    {"init", cmd_init, "init DIR [--example NAME]        make a workspace"},
    {"add", cmd_add, "add ENTITY name=value ...         create a record (prints its id)"},
    {"set", cmd_set, "set ID name=value ...             change fields of a record"},
    {"get", cmd_get, "get ID [--json]                   show a record"},
    {"list", cmd_list, "list ENTITY [--where f=v]... [--archived] [--limit N] [--json]"},
    {"find", cmd_find, "find TEXT [--json]                full-text search"},
    {"archive", cmd_archive, "archive ID                        archive a record (nothing is deleted)"},
    {"restore", cmd_restore, "restore ID                        bring an archived record back"},
    {"history", cmd_history, "history ID [--json]               every change of a record"},
    {"field", cmd_field, "field list [ENTITY] | show E.F | add E.F TYPE [--required] ..."},
    {"check", cmd_check, "check [ENTITY] [--json]           data quality"},
    {"run", cmd_run, "run SCRIPT.lua [ARGS...]          run a script with the kt module"},
    {"test", cmd_test, "test [FILES...]                   run the workspace's Lua tests"},
    {"import", cmd_import, "import FILE --script S.lua [--dry-run] [--diff] | list | undo BATCH"},
    {"export", cmd_export, "export ENTITY [--where f=v]... --format csv|json|ndjson|vcf [--out F]"},
    {"dupes", cmd_dupes, "dupes ENTITY [--threshold X] [--explain] [--json] | ENTITY --not ID1 ID2"},
    {"merge", cmd_merge, "merge WINNER LOSER... [--json]    merge duplicates (kt unmerge undoes)"},
    {"unmerge", cmd_unmerge, "unmerge LOSER [--json]            reverse a merge"},
    {"plugin", cmd_plugin, "plugin list [--json]              loaded plugins"},
    {"campaign", cmd_campaign, "campaign list | run NAME [--as-of DATE] [--dry-run] [--json]"},
    {"due", cmd_due, "due [--now DATETIME] [--json]     run due campaigns (cron), then deliver"},
    {"outbox", cmd_outbox, "outbox list [--status S] | deliver [--json]   campaign messages"},
    {"user", cmd_user, "user add NAME --role R [--password-stdin] | list | passwd | role | disable NAME"},
    {"token", cmd_token, "token add NAME --role R [--expires DATE] | list | revoke NAME   API tokens"},
    {"serve", cmd_serve, "serve [--listen HOST:PORT] [--threads N]  the HTTP JSON API for a team"},
    {"report", cmd_report, "report list | NAME [--P V]... [--format table|csv|json|svg] [--out F]  analyses"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: kt [-C DIR] COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  kt %s\n", commands[i].help);
    fprintf(out, "\nThe workspace is DIR (-C), else $KT_WORKSPACE, else the nearest folder "
                 "upwards holding kartoteka.lua.\nExit codes: 0 ok, 64 usage, 65 bad data, 66 "
                 "missing record or file, 70 internal, 73 cannot create, 74 i/o, 75 busy (try again).\n");
}

int main(int argc, char **argv)
{
    kt_cli cli = {0};
    cli.argv0 = argv[0];
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        if (!strcmp(argv[i], "-C") && i + 1 < argc) {
            cli.dir = argv[i + 1];
            i += 2;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--version")) {
            printf("kt %s\n", KT_CLI_VERSION);
            return 0;
        } else {
            return cli_usage("unknown option %s", argv[i]);
        }
    }
    if (i >= argc) {
        usage(stderr);
        return EX_USAGE_;
    }
    if (!cli.dir) cli.dir = getenv("KT_WORKSPACE");
    const char *name = argv[i];
    for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++) {
        if (strcmp(commands[c].name, name) != 0) continue;
        int sub_argc = argc - i;
        char **sub_argv = argv + i;
        cli.json = cli_take_flag(&sub_argc, sub_argv, "--json");
        int rc = commands[c].fn(&cli, sub_argc, sub_argv);
        cli_close(&cli);
        fflush(stdout);
        return rc;
    }
    return cli_usage("unknown command '%s' (see kt --help)", name);
}
