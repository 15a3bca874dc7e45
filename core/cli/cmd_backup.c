/* kt backup FILE [--force]; kt restore FILE [--force] (a database, where kt restore ID brings a
 * record back: cmd_restore hands over when its argument is not an id). */
#include <string.h>

#include "cli.h"
#include "kartoteka/backup.h"

static int report(kt_cli *cli, const char *verb, const char *path, const kt_backup_info *info)
{
    if (cli->json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "file", path);
        cJSON_AddNumberToObject(j, "records", (double)info->records);
        cJSON_AddNumberToObject(j, "bytes", (double)info->bytes);
        cli_print_json(j);
    } else {
        printf("%s %s: %lld records, %lld bytes\n", verb, path, info->records, info->bytes);
    }
    return 0;
}

typedef kt_status (*copy_fn)(kt_store *s, const char *path, int force, kt_backup_info *info,
                             kt_error *err);

static int run(kt_cli *cli, int argc, char **argv, copy_fn fn, const char *usage, const char *verb)
{
    int force = cli_take_flag(&argc, argv, "--force");
    if (argc != 2 || argv[1][0] == '-') return cli_usage("%s", usage);
    int rc = cli_open(cli);
    if (rc) return rc;
    kt_error err;
    kt_backup_info info = {0};
    if (fn(kt_ws_store(cli->ws), argv[1], force, &info, &err)) return cli_fail(&err);
    return report(cli, verb, argv[1], &info);
}

int cmd_backup(kt_cli *cli, int argc, char **argv)
{
    return run(cli, argc, argv, kt_backup, "usage: kt backup FILE [--force]", "backed up to");
}

int cmd_restore_db(kt_cli *cli, int argc, char **argv)
{
    return run(cli, argc, argv, kt_restore_db, "usage: kt restore FILE [--force]", "restored from");
}
