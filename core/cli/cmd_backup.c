/* kt backup FILE [--force]; kt restore FILE [--force] (a database, where kt restore ID brings a
 * record back: cmd_restore hands over when its argument is not an id). */
#include <string.h>

#include "cli.h"
#include "kartoteka/backup.h"
#include "kartoteka/output.h"
#include "kartoteka/output.h"

static int report(kt_cli *cli, const char *verb, const char *path, const kt_backup_info *info)
{
    if (cli->json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "file", path);
        cJSON_AddNumberToObject(j, "records", (double)info->records);
        cJSON_AddNumberToObject(j, "bytes", (double)info->bytes);
        cli_print_json(j);
    } else {
        cli_say("%s %s: %lld records, %lld bytes\n", verb, path, info->records, info->bytes);
    }
    return 0;
}

/* The file operand and --force of both commands; 0 or an exit code. */
static int operand(kt_cli *cli, int *argc, char **argv, const char *usage, int *force)
{
    *force = cli_take_flag(argc, argv, "--force");
    if (*argc != 2 || argv[1][0] == '-') return cli_usage("%s", usage);
    return cli_open(cli);
}

/* Through the output writer like every file kt writes: never over the workspace's own files,
 * an existing file replaced only with --force, and the copy renamed into place only when whole. */
int cmd_backup(kt_cli *cli, int argc, char **argv)
{
    int force, rc = operand(cli, &argc, argv, "usage: kt backup FILE [--force]", &force);
    if (rc) return rc;
    kt_error err;
    kt_backup_info info = {0};
    kt_output *out = NULL;
    kt_status st = kt_output_open(cli->ws, argv[1], force ? KT_OUTPUT_REPLACE : 0, &out, &err);
    if (!st && !kt_output_temp_path(out))
        st = kt_error_set(&err, KT_USAGE, "%s: a backup goes to a regular file", argv[1]);
    if (!st) st = kt_backup(kt_ws_store(cli->ws), kt_output_temp_path(out), &info, &err);
    if (!st) {
        st = kt_output_commit(out, &err);
        out = NULL;
    }
    kt_output_abort(out);
    if (st) return cli_fail(&err);
    return report(cli, "backed up to", argv[1], &info);
}

int cli_restore_db(kt_cli *cli, int argc, char **argv)
{
    int dry_run = cli_take_flag(&argc, argv, "--dry-run");
    int force,
        rc = operand(cli, &argc, argv, "usage: kt restore FILE [--force] [--dry-run]", &force);
    if (rc) return rc;
    kt_error err;
    kt_backup_info info = {0};
    if (kt_restore_db(kt_ws_store(cli->ws), argv[1], force | (dry_run ? KT_RESTORE_DRY_RUN : 0),
                      &info, &err))
        return cli_fail(&err);
    if (dry_run && !cli->json) {
        printf("would restore from %s: %lld records, %lld bytes (nothing written)\n", argv[1],
               info.records, info.bytes);
        return 0;
    }
    return report(cli, "restored from", argv[1], &info);
}
