/* kt report: list the reports, run one and print it as a table, CSV, JSON or SVG. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "cli.h"
#include "kartoteka/alloc.h"
#include "kartoteka/output.h"
#include "kartoteka/report.h"

#define MAX_PARAMS 32

static int report_list(kt_cli *cli)
{
    const char *dirs[4];
    size_t ndirs, n;
    cli_script_dirs(dirs, &ndirs, 4);
    kt_report_info *infos = NULL;
    kt_error err;
    if (kt_report_list(cli->ws, dirs, ndirs, &infos, &n, &err)) return cli_fail(&err);
    if (cli->json) {
        cJSON *a = cJSON_CreateArray();
        for (size_t i = 0; i < n; i++) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "name", infos[i].name);
            cJSON_AddStringToObject(o, "title", infos[i].title);
            cJSON_AddStringToObject(o, "params", infos[i].params);
            cJSON_AddStringToObject(o, "source",
                                    infos[i].shipped == 2 ? "plugin"
                                    : infos[i].shipped    ? "kartoteka"
                                                          : "workspace");
            cJSON_AddStringToObject(o, "path", infos[i].path);
            cJSON_AddItemToArray(a, o);
        }
        cli_print_json(a);
    } else {
        for (size_t i = 0; i < n; i++)
            printf("%-14s %s%s%s%s\n", infos[i].name, infos[i].title,
                   infos[i].params[0] ? "  [" : "", infos[i].params, infos[i].params[0] ? "]" : "");
        if (n == 0) printf("no reports\n");
    }
    kt_report_infos_free(infos, n);
    return 0;
}

static int parse_format(const char *f, const char *out, kt_report_format *fmt)
{
    const char *ext = out ? strrchr(out, '.') : NULL;
    if (!f && ext) f = ext + 1;
    if (!f || !strcmp(f, "table") || !strcmp(f, "txt"))
        *fmt = KT_REPORT_TABLE;
    else if (!strcmp(f, "csv"))
        *fmt = KT_REPORT_CSV;
    else if (!strcmp(f, "json"))
        *fmt = KT_REPORT_JSON;
    else if (!strcmp(f, "svg"))
        *fmt = KT_REPORT_SVG;
    else
        return -1;
    return 0;
}

int cli_report_run(kt_cli *cli, int argc, char **argv)
{
    const char *format = cli_take_option(&argc, argv, "--format");
    const char *outpath = cli_take_option(&argc, argv, "--out");
    int raw = cli_take_flag(&argc, argv, "--raw");
    int force = cli_take_flag(&argc, argv, "--force");
    if (cli->json && format && strcmp(format, "json") != 0)
        return cli_usage("--json and --format %s contradict each other", format);
    if (cli->json) format = "json";
    kt_report_format fmt;
    if (parse_format(format, format ? NULL : outpath, &fmt))
        return cli_usage("--format is table, csv, json or svg, not '%s'", format ? format : "");
    kt_report_param params[MAX_PARAMS];
    size_t np = 0;
    for (int i = 2; i < argc; i++) {
        if (strncmp(argv[i], "--", 2) != 0 || !argv[i][2] || np == MAX_PARAMS)
            return cli_usage(
                "usage: kt report NAME [--param value]... [--format table|csv|json|svg] "
                "[--out FILE [--force]] [--raw]; '%s' is not a --param",
                argv[i]);
        char *eq = strchr(argv[i], '=');
        if (eq) {
            *eq = '\0';
            params[np++] = (kt_report_param){argv[i] + 2, eq + 1};
        } else if (i + 1 < argc) {
            params[np++] = (kt_report_param){argv[i] + 2, argv[i + 1]};
            i++;
        } else {
            return cli_usage("%s needs a value", argv[i]);
        }
    }
    int rc = cli->ws ? 0 : cli_open(cli);
    if (rc) return rc;
    const char *dirs[4];
    size_t ndirs;
    cli_script_dirs(dirs, &ndirs, 4);
    kt_error err;
    char *path = NULL;
    kt_report *r = NULL;
    kt_buf b = KT_BUF_INIT;
    kt_output *out = NULL;
    /* the target is checked before the report runs: a refusal costs nothing */
    kt_status st = outpath
                       ? kt_output_open(cli->ws, outpath, force ? KT_OUTPUT_REPLACE : 0, &out, &err)
                       : KT_OK;
    if (!st) st = kt_report_find(cli->ws, dirs, ndirs, argv[1], &path, &err);
    char task[160];
    snprintf(task, sizeof task, "report %s", argv[1]);
    if (!st) cli_progress_ticker(task);
    if (!st) st = kt_report_run(cli->ws, argv[1], path, params, np, &r, &err);
    cli_progress_clear();
    fflush(stdout);
    kt_report_render_opts o = {outpath ? 0 : cli_terminal_width(), raw};
    if (!st) st = kt_report_render(r, fmt, &o, &b, &err);
    if (!st && out && b.len && fwrite(b.data, 1, b.len, kt_output_file(out)) != b.len)
        st = kt_error_set(&err, KT_IO, "writing %s: %s", outpath, strerror(errno));
    if (!st && out) {
        st = kt_output_commit(out, &err); /* written whole or not at all */
        out = NULL;
    }
    kt_output_abort(out);
    if (st)
        rc = cli_fail(&err);
    else if (!outpath && b.len && fwrite(b.data, 1, b.len, stdout) != b.len)
        rc = EX_IOERR_;
    kt_buf_free(&b);
    kt_report_free(r);
    kt_free(path);
    return rc;
}

int cmd_report(kt_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("usage: kt report list [--json] | kt report NAME [--param value]... "
                         "[--format table|csv|json|svg] [--out FILE [--force]] [--raw]");
    if (strcmp(argv[1], "list") == 0) {
        if (argc > 2) return cli_usage("usage: kt report list [--json]");
        int rc = cli_open(cli);
        return rc ? rc : report_list(cli);
    }
    return cli_report_run(cli, argc, argv);
}
