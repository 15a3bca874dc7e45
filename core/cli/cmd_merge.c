/* kt merge and kt unmerge. */
#include <string.h>

#include "cli.h"
#include "kartoteka/dedupe.h"

static int print_winner(kt_cli *cli, kt_id winner, const char *verb, const kt_id *ids, size_t n)
{
    kt_record *w = NULL;
    kt_error err;
    if (kt_get(cli->ws, winner, &w, &err)) return cli_fail(&err);
    if (cli->json) {
        cJSON *o = cJSON_CreateObject();
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", winner);
        cJSON_AddStringToObject(o, "winner", buf);
        cJSON *a = cJSON_AddArrayToObject(o, verb);
        for (size_t i = 0; i < n; i++) {
            snprintf(buf, sizeof buf, "%lld", ids[i]);
            cJSON_AddItemToArray(a, cJSON_CreateString(buf));
        }
        cJSON_AddItemToObject(o, "record", cli_record_json(cli->ws, w));
        cli_print_json(o);
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
