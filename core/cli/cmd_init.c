#include <string.h>

#include "cli.h"

int cmd_init(kt_cli *cli, int argc, char **argv)
{
    const char *example = cli_take_option(&argc, argv, "--example");
    if (argc > 2) return cli_usage("usage: kt init [DIR] [--example NAME]");
    const char *dir = argc == 2 ? argv[1] : (cli->dir ? cli->dir : ".");
    char buf[4096];
    const char *from = NULL;
    if (example && !(from = cli_example_dir(example, buf, sizeof buf))) {
        fprintf(stderr, "kt: there is no example named '%s' (try pet-shop)\n", example);
        return EX_NOINPUT_;
    }
    kt_error err;
    if (kt_ws_create(dir, from, &err)) return cli_fail(&err);
    /* open once with the configuration, so a broken example fails here and not later */
    kt_cli c2 = *cli;
    c2.dir = dir;
    int rc = cli_open(&c2);
    cli_close(&c2);
    if (rc) return rc;
    if (!cli->json) printf("made a Kartoteka workspace in %s%s%s\n", dir, example ? " from " : "", example ? example : "");
    return 0;
}
