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
    long long nthreads = 4, body = 1024 * 1024;
    /* whole numbers through the one strict parser: "4x" or "-1; DROP" is refused */
    if ((threads && cli_number("--threads", threads, 1, 64, &nthreads)) ||
        (max_body && cli_number("--max-body", max_body, 1024, 1LL << 31, &body)))
        return EX_USAGE_;
    char *end = NULL;
    double per_s = rate ? strtod(rate, &end) : 100; /* may be a fraction: one per two seconds */
    if (rate && (end == rate || *end || !(per_s >= 0 && per_s <= 1e6)))
        return cli_usage("--rate is requests per second per caller (0: no limit), not \"%s\"",
                         rate);
    srv_config cfg = {listen ? listen : "127.0.0.1:8080",
                      (int)nthreads,
                      NULL,
                      cli_ws_open,
                      (size_t)body,
                      cert,
                      key,
                      per_s,
                      NULL,
                      0};
    const char *sdirs[4];
    cli_script_dirs(sdirs, &cfg.nscript_dirs, 4);
    cfg.script_dirs = sdirs;
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
