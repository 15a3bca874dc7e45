/* kt serve: the workspace as an HTTP JSON API for a team (core/server/). */
#include <stdlib.h>
#include <string.h>

#include "../server/server.h"
#include "cli.h"

#define USAGE                                                                                      \
    "usage: kt serve [--listen HOST:PORT] [--threads N] [--max-body BYTES] [--tls-cert FILE "      \
    "--tls-key FILE] [--rate N]"

int cmd_serve(kt_cli *cli, int argc, char **argv)
{
    const char *listen = cli_take_option(&argc, argv, "--listen");
    const char *threads = cli_take_option(&argc, argv, "--threads");
    const char *max_body = cli_take_option(&argc, argv, "--max-body");
    const char *cert = cli_take_option(&argc, argv, "--tls-cert");
    const char *key = cli_take_option(&argc, argv, "--tls-key");
    const char *rate = cli_take_option(&argc, argv, "--rate");
    if (argc != 1) return cli_usage(USAGE);
    if (!cert != !key) return cli_usage("HTTPS needs both --tls-cert FILE and --tls-key FILE");
    srv_config cfg = {listen ? listen : "127.0.0.1:8080",
                      threads ? atoi(threads) : 4,
                      NULL,
                      cli_ws_open,
                      max_body ? strtoul(max_body, NULL, 10) : 1024 * 1024,
                      cert,
                      key,
                      rate ? atof(rate) : 100};
    if (cfg.threads < 1 || cfg.threads > 64) return cli_usage("--threads is a number from 1 to 64");
    if (cfg.max_body < 1024) return cli_usage("--max-body is at least 1024 bytes");
    if (cfg.rate < 0) return cli_usage("--rate is requests per second per caller, 0 for no limit");
    /* a request waits for the write lock at most 10 s, not the command line's two minutes */
    setenv("KT_BUSY_TIMEOUT_MS",
           getenv("KT_BUSY_TIMEOUT_MS") ? getenv("KT_BUSY_TIMEOUT_MS") : "10000", 1);
    int rc = cli_open(cli); /* finds the workspace and says what is wrong with it, once */
    if (rc) return rc;
    cfg.dir = kt_ws_dir(cli->ws);
    kt_error err;
    if (srv_run(&cfg, &err)) return cli_fail(&err);
    return 0;
}
