/* kt: the Kartoteka command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kartoteka/match.h"

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
            cli_print_usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--version")) {
            printf("kt %s\n", KT_CLI_VERSION);
            return 0;
        } else {
            return cli_usage("unknown option %s", argv[i]);
        }
    }
    if (i >= argc) {
        cli_print_usage(stderr);
        return EX_USAGE_;
    }
    if (!cli.dir) cli.dir = getenv("KT_WORKSPACE");
    const char *name = argv[i];
    const cli_command *c = cli_command_find(name);
    if (!c) {
        const char *names[64];
        size_t n = 0;
        for (size_t k = 0; k < cli_ncommands && n < 64; k++)
            if (!(cli_commands[k].flags & CLI_HIDDEN)) names[n++] = cli_commands[k].name;
        const char *near = kt_match_suggest(name, names, n);
        if (near)
            return cli_usage("unknown command '%s' (did you mean %s?); see kt help", name, near);
        return cli_usage("unknown command '%s'; see kt help", name);
    }
    int sub_argc = argc - i;
    char **sub_argv = argv + i;
    if (!(c->flags & CLI_HIDDEN) &&
        !((c->flags & CLI_OPEN_ARGS) && sub_argc > 1 && sub_argv[1][0] != '-' &&
          !cli_word_in(c->subcommands, sub_argv[1]))) {
        for (int k = 1; k < sub_argc && strcmp(sub_argv[k], "--") != 0; k++)
            if (!strcmp(sub_argv[k], "--help") || !strcmp(sub_argv[k], "-h")) {
                cli_print_command_help(stdout, c);
                return 0;
            }
    }
    int rc = cli_check_options(c, sub_argc, sub_argv);
    if (rc) return rc;
    cli.json = cli_take_flag(&sub_argc, sub_argv, "--json");
    rc = c->fn(&cli, sub_argc, sub_argv);
    cli_close(&cli);
    fflush(stdout);
    return rc;
}
