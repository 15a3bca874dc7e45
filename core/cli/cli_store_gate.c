/* A workspace in PostgreSQL runs the commands that have been made to work there and refuses the
 * rest up front, by name, before anything is read or written: a command half-working on the
 * second store would be worse than one that says it is not there yet. */
#include <string.h>

#include "cli.h"
#include "kartoteka/alloc.h"
#include "kartoteka/workspace.h"

/* command, subcommand (NULL: every form) */
static const char *const ready[][2] = {
    {"help", NULL}, {"init", NULL},    {"add", NULL},    {"get", NULL},
    {"list", NULL}, {"history", NULL}, {"field", "add"}, {"field", "list"},
};

static int is_ready(const char *cmd, const char *sub)
{
    for (size_t i = 0; i < sizeof ready / sizeof ready[0]; i++)
        if (!strcmp(ready[i][0], cmd) && (!ready[i][1] || (sub && !strcmp(ready[i][1], sub))))
            return 1;
    return 0;
}

int cli_store_gate(const kt_cli *cli, const cli_command *c, int argc, char **argv)
{
    const char *cmd = c->name;
    const char *sub = argc > 1 && cli_word_in(c->subcommands, argv[1]) ? argv[1] : NULL;
    if (is_ready(cmd, sub)) return 0;
    kt_error err;
    char *dir = NULL, *where = NULL;
    /* no workspace, or one that cannot be read: the command itself says so */
    if (kt_ws_find(cli->dir ? cli->dir : ".", &dir, &err)) return 0;
    int remote = !kt_ws_store_where(dir, &where, &err) && kt_store_is_remote(where);
    kt_free(dir);
    kt_free(where);
    if (!remote) return 0;
    fprintf(stderr, "kt %s%s%s: not yet available on a PostgreSQL store\n", cmd, sub ? " " : "",
            sub ? sub : "");
    return EX_UNAVAILABLE_;
}
