/* kt: the Kartoteka command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "kartoteka/match.h"

/* Takes -q/--quiet and -v/--verbose out of a command's words (up to "--", and for kt run and
 * kt report up to their first operand, after which the words are the script's). */
static int take_verbosity(const cli_command *c, int *argc, char **argv, int *v)
{
    int operands = 0;
    for (int k = 1; k < *argc;) {
        const char *a = argv[k];
        if (!strcmp(a, "--")) break;
        if (a[0] != '-' && ++operands == 1 && (c->flags & CLI_OPEN_ARGS) &&
            !cli_word_in(c->subcommands, a))
            break;
        int q = !strcmp(a, "-q") || !strcmp(a, "--quiet"),
            vb = !strcmp(a, "-v") || !strcmp(a, "--verbose");
        if (!q && !vb) {
            k++;
            continue;
        }
        if ((q && *v > 0) || (vb && *v < 0)) return cli_usage("-q and -v do not go together");
        *v = q ? -1 : 1;
        memmove(&argv[k], &argv[k + 1], (size_t)(*argc - k) * sizeof *argv);
        (*argc)--;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int verbosity = 0;
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
        } else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet") ||
                   !strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose")) {
            int q = argv[i][1] == 'q' || argv[i][2] == 'q';
            if (verbosity && (verbosity < 0) != q) return cli_usage("-q and -v do not go together");
            verbosity = q ? -1 : 1;
            i++;
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
    int rc = take_verbosity(c, &sub_argc, sub_argv, &verbosity);
    if (rc || (rc = cli_check_options(c, sub_argc, sub_argv))) return rc;
    if ((rc = cli_store_gate(&cli, c, sub_argc, sub_argv))) return rc;
    cli_set_verbosity(verbosity);
    cli_progress_begin();
    cli.json = cli_take_flag(&sub_argc, sub_argv, "--json");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = c->fn(&cli, sub_argc, sub_argv);
    cli_progress_clear();
    cli_close(&cli);
    fflush(stdout);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    cli_info("kt %s: exit %d after %.2f s", name, rc,
             (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    return rc;
}
