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
            cli_say("%s %lld %s %lld\n", verb, ids[i], strstr(verb, "unmerge") ? "from" : "into",
                    winner);
    }
    kt_record_free(w);
    return 0;
}

int cmd_merge(kt_cli *cli, int argc, char **argv)
{
    int dry_run = cli_take_flag(&argc, argv, "--dry-run");
    if (argc < 3) return cli_usage("usage: kt merge WINNER LOSER... [--dry-run] [--json]");
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
    if (dry_run && (rc = cli_dry_run_begin(cli))) return rc;
    if (kt_merge(cli->ws, winner, losers, n, "merge", &err))
        rc = cli_fail(&err);
    else
        rc = print_winner(cli, winner, dry_run ? "would merge" : "merged", losers, n);
    if (dry_run) cli_dry_run_end(cli);
    return rc;
}

int cmd_unmerge(kt_cli *cli, int argc, char **argv)
{
    int dry_run = cli_take_flag(&argc, argv, "--dry-run");
    if (argc != 2) return cli_usage("usage: kt unmerge LOSER [--dry-run] [--json]");
    kt_id loser;
    if (cli_id(argv[1], &loser)) return EX_USAGE_;
    int rc = cli_open(cli);
    if (rc) return rc;
    kt_error err;
    kt_record *l = NULL;
    if (kt_get(cli->ws, loser, &l, &err)) return cli_fail(&err);
    kt_id winner = l->merged_into;
    kt_record_free(l);
    if (dry_run && (rc = cli_dry_run_begin(cli))) return rc;
    if (kt_unmerge(cli->ws, loser, "unmerge", &err))
        rc = cli_fail(&err);
    else
        rc = print_winner(cli, winner, dry_run ? "would unmerge" : "unmerged", &loser, 1);
    if (dry_run) cli_dry_run_end(cli);
    return rc;
}
