/* kt export ENTITY [--where f=v]... --format csv|json|ndjson|vcf [--out FILE] [--raw];
 * kt export [ENTITY] --all --format json|ndjson: every record, whatever its state. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kartoteka/export.h"

#define EXPORT_USAGE                                                                               \
    "usage: kt export ENTITY [--where name=value]... [--archived] --format csv|json|ndjson|vcf\n"  \
    "                 [--out FILE] [--raw]\n"                                                     \
    "       kt export [ENTITY] --all --format ndjson|json [--out FILE]"

int cmd_export(kt_cli *cli, int argc, char **argv)
{
    kt_filter filters[64];
    size_t nf = 0;
    const char *w;
    kt_error err;
    int rc = 0;
    FILE *out = NULL;
    const char *format = cli_take_option(&argc, argv, "--format");
    const char *path = cli_take_option(&argc, argv, "--out");
    int raw = cli_take_flag(&argc, argv, "--raw");
    int archived = cli_take_flag(&argc, argv, "--archived");
    int all = cli_take_flag(&argc, argv, "--all");
    while ((w = cli_take_option(&argc, argv, "--where")) && nf < 64) {
        if (kt_filter_parse(w, &filters[nf], &err)) {
            rc = cli_fail(&err);
            goto done;
        }
        nf++;
    }
    int fmt = kt_export_format_parse(format ? format : "csv");
    int every_entity = all && argc == 1; /* json and ndjson only: one header would not fit all */
    if ((argc != 2 && !every_entity) || fmt < 0 || (all && (archived || nf)) ||
        (every_entity && fmt != KT_EXPORT_JSON && fmt != KT_EXPORT_NDJSON)) {
        rc = cli_usage(EXPORT_USAGE);
        goto done;
    }
    if ((rc = cli_open(cli))) goto done;
    if (path) {
        /* personal data: readable by the owner only */
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        /* an existing file keeps its mode through open(): tighten it too */
        if (fd >= 0 && fchmod(fd, 0600) != 0) {
            close(fd);
            fd = -1;
        }
        if (fd < 0 || !(out = fdopen(fd, "wb"))) {
            fprintf(stderr, "kt: cannot create %s: %s\n", path, strerror(errno));
            if (fd >= 0) close(fd);
            rc = EX_CANTCREAT_;
            goto done;
        }
    }
    kt_list_opts lo = {filters, nf, all ? 2 : archived, 0, 0};
    kt_export_opts o = {(kt_export_format)fmt, raw, &lo};
    long n = 0;
    kt_status st = every_entity ? kt_export_all(cli->ws, &o, out ? out : stdout, &n, &err)
                             : kt_export(cli->ws, argv[1], &o, out ? out : stdout, &n, &err);
    if (out && fclose(out) != 0 && !st) st = kt_error_set(&err, KT_IO, "writing %s", path);
    out = NULL;
    if (st)
        rc = cli_fail(&err);
    else if (path)
        fprintf(stderr, "%ld records written to %s\n", n, path);
done:
    for (size_t i = 0; i < nf; i++)
        kt_filter_clear(&filters[i]);
    return rc;
}
