/* kt merge and kt unmerge. */
#include <string.h>

#include "cli.h"
#include "kartoteka/dedupe.h"
#include "kartoteka/json.h"

static int print_winner(kt_cli *cli, kt_id winner, const char *verb, const kt_id *ids, size_t n)
{
    kt_record *w = NULL;
    kt_error err;
    if (kt_get(cli->ws, winner, &w, &err)) return cli_fail(&err);
    if (cli->json) {
        cli_print_json(kt_json_merge(cli->ws, w, verb, ids, n));
    } else {
        for (size_t i = 0; i < n; i++)
            printf("%s %lld %s %lld\n", verb, ids[i], strcmp(verb, "merged") ? "from" : "into",
                   winner);
    }
    kt_record_free(w);
    return 0;
}

int cmd_merge(kt_cli *cli, int argc, char **argv)
{
    if (argc < 3) return cli_usage("usage: kt merge WINNER LOSER... [--json]");
    kt_id winner;
    if (cli_id(argv[1], &winner)) return EX_USAGE_;
    kt_id losers[256];
    size_t n = 0;
    for (int i = 2; i < argc; i++) {
        if (n == 256) return cli_usage("at most 256 records at a time");
        if (cli_id(argv[i], &losers[n++])) return EX_USAGE_;
    }
    int rc = cli_open(cli);
    if (rc) return rc;
    kt_error err;
    if (kt_merge(cli->ws, winner, losers, n, "merge", &err)) return cli_fail(&err);
    return print_winner(cli, winner, "merged", losers, n);
}

int cmd_unmerge(kt_cli *cli, int argc, char **argv)
{
    if (argc != 2) return cli_usage("usage: kt unmerge LOSER [--json]");
    kt_id loser;
    if (cli_id(argv[1], &loser)) return EX_USAGE_;
    int rc = cli_open(cli);
    if (rc) return rc;
    kt_error err;
    kt_record *l = NULL;
    if (kt_get(cli->ws, loser, &l, &err)) return cli_fail(&err);
    kt_id winner = l->merged_into;
    kt_record_free(l);
    if (kt_unmerge(cli->ws, loser, "unmerge", &err)) return cli_fail(&err);
    return print_winner(cli, winner, "unmerged", &loser, 1);
}
