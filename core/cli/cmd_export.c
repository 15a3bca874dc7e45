/* kt export ENTITY [--where f=v]... --format csv|json|ndjson|vcf [--out FILE [--force]] [--raw]. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kartoteka/export.h"
#include "kartoteka/output.h"

#define EXPORT_USAGE                                                                               \
    "usage: kt export ENTITY [--where name=value]... [--archived] --format csv|json|ndjson|vcf\n"  \
    "                 [--out FILE [--force]] [--raw]"

int cmd_export(kt_cli *cli, int argc, char **argv)
{
    kt_filter filters[64];
    size_t nf = 0;
    const char *w;
    kt_error err;
    int rc = 0;
    kt_output *out = NULL;
    const char *format = cli_take_option(&argc, argv, "--format");
    const char *path = cli_take_option(&argc, argv, "--out");
    int raw = cli_take_flag(&argc, argv, "--raw");
    int force = cli_take_flag(&argc, argv, "--force");
    int archived = cli_take_flag(&argc, argv, "--archived");
    while ((w = cli_take_option(&argc, argv, "--where"))) {
        if (kt_filter_parse_all(w, filters, 64, &nf, &err)) {
            rc = cli_fail(&err);
            goto done;
        }
    }
    if (cli->json && format && strcmp(format, "json") != 0) {
        rc = cli_usage("--json and --format %s contradict each other", format);
        goto done;
    }
    int fmt = kt_export_format_parse(cli->json ? "json" : format ? format : "csv");
    if (argc != 2 || fmt < 0) {
        rc = cli_usage(EXPORT_USAGE);
        goto done;
    }
    if ((rc = cli_open(cli))) goto done;
    if (path && kt_output_open(cli->ws, path, force ? KT_OUTPUT_REPLACE : 0, &out, &err)) {
        rc = cli_fail(&err);
        goto done;
    }
    kt_list_opts lo = {filters, nf, archived, 0, 0};
    kt_export_opts o = {(kt_export_format)fmt, raw, &lo};
    long n = 0;
    kt_status st = kt_export(cli->ws, argv[1], &o, out ? kt_output_file(out) : stdout, &n, &err);
    if (out && !st)
        st = kt_output_commit(out, &err);
    else
        kt_output_abort(out);
    if (st)
        rc = cli_fail(&err);
    else if (path)
        fprintf(stderr, "%ld records written to %s\n", n, path);
done:
    for (size_t i = 0; i < nf; i++)
        kt_filter_clear(&filters[i]);
    return rc;
}
