/* kt export ENTITY [--where f=v]... --format csv|json|ndjson|vcf [--out FILE [--force]] [--raw];
 * kt export [ENTITY] --all --format json|ndjson: every record, whatever its state. Personal
 * data is masked unless --show-pii. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kartoteka/auth.h"
#include "kartoteka/export.h"
#include "kartoteka/output.h"

#define EXPORT_USAGE                                                                               \
    "usage: kt export ENTITY [--where name=value]... [--archived] --format csv|json|ndjson|vcf\n"  \
    "                 [--out FILE [--force]] [--raw] [--show-pii]\n"                               \
    "       kt export [ENTITY] --all --format ndjson|json [--out FILE [--force]] [--show-pii]"

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
    int all = cli_take_flag(&argc, argv, "--all");
    int show_pii = cli_take_flag(&argc, argv, "--show-pii");
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
    int every_entity = all && argc == 1; /* json and ndjson only: one header would not fit all */
    if ((argc != 2 && !every_entity) || fmt < 0 || (all && (archived || nf)) ||
        (every_entity && fmt != KT_EXPORT_JSON && fmt != KT_EXPORT_NDJSON)) {
        rc = cli_usage(EXPORT_USAGE);
        goto done;
    }
    if ((rc = cli_open(cli))) goto done;
    if (!show_pii && kt_auth_mask_pii(cli->ws, 1, &err)) {
        rc = cli_fail(&err);
        goto done;
    }
    if (path && kt_output_open(cli->ws, path, force ? KT_OUTPUT_REPLACE : 0, &out, &err)) {
        rc = cli_fail(&err);
        goto done;
    }
    kt_list_opts lo = {filters, nf, all ? 2 : archived, 0, 0};
    kt_export_opts o = {(kt_export_format)fmt, raw, &lo};
    long n = 0;
    FILE *to = out ? kt_output_file(out) : stdout;
    kt_status st = every_entity ? kt_export_all(cli->ws, &o, to, &n, &err)
                                : kt_export(cli->ws, argv[1], &o, to, &n, &err);
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
