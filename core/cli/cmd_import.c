/* kt import FILE --script S (or --map NAME), kt import list, kt import undo BATCH. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kartoteka/json.h"
#include "kartoteka/import.h"
#include "kartoteka/stage_clock.h"

#define IMPORT_USAGE                                                                               \
    "usage: kt import FILE [--script S.lua | --map NAME] [--dry-run] [--diff] [--rejects "         \
    "OUT.csv]\n"                                                                                   \
    "                 [--log LOG.csv|LOG.ndjson] [--force]\n"                                      \
    "                 [--on-match update|skip|merge|create] [--no-dedupe] [--format F] [--entity " \
    "E]\n"                                                                                         \
    "                 [--stages] [--json]\n"                                                       \
    "       kt import list [--json]\n"                                                             \
    "       kt import undo BATCH [--cascade] [--force] [--dry-run] [--json]"

/* The import reports rows and how far into the file it is; the one progress line shows it. */
static void on_progress(void *ud, long rows, long line, long total)
{
    (void)ud;
    if (total)
        cli_progress("lines read", line, total);
    else
        cli_progress("rows", rows, 0);
}

static void on_diff(void *ud, long line, const char *action, const char *entity, kt_id id,
                    const kt_import_change *ch, size_t n)
{
    FILE *out = ud;
    fprintf(out, "line %ld: %s %s %lld\n", line, action, entity, id);
    for (size_t i = 0; i < n; i++) {
        if (!ch[i].old)
            fprintf(out, "  + %s: %s\n", ch[i].field, ch[i].new_ ? ch[i].new_ : "");
        else
            fprintf(out, "  ~ %s: %s -> %s\n", ch[i].field, ch[i].old,
                    ch[i].new_ ? ch[i].new_ : "(empty)");
    }
}

/* --script as given, else the workspace's imports/ folder (with or without .lua). */
static const char *find_script(kt_cli *cli, const char *s, char *buf, size_t size)
{
    if (!s || access(s, R_OK) == 0) return s;
    const char *dir = kt_ws_dir(cli->ws);
    snprintf(buf, size, "%s/imports/%s", dir, s);
    if (access(buf, R_OK) == 0) return buf;
    snprintf(buf, size, "%s/imports/%s.lua", dir, s);
    return access(buf, R_OK) == 0 ? buf : s;
}

static void print_encoding(const kt_import_summary *s, FILE *out)
{
    if (cli_quiet()) return;
    if (s->encoding[0] && s->encoding_detected)
        fprintf(out, "encoding: %s (detected, %.1f%% sure)\n", s->encoding,
                floor(s->encoding_confidence * 1000) / 10);
    else if (s->encoding[0])
        fprintf(out, "encoding: %s\n", s->encoding);
}

/* --stages: where the import's CPU time went, on stderr (the summary's shape stays fixed). */
static void print_stages(void)
{
    fprintf(stderr, "stages (CPU):");
    for (int i = KT_STAGE_READ_MAP; i < KT_STAGE_COUNT; i++)
        fprintf(stderr, " %s %.2f s,", kt_stage_name((kt_stage)i), kt_stage_seconds((kt_stage)i));
    fprintf(stderr, " %s %.2f s\n", kt_stage_name(KT_STAGE_OTHER),
            kt_stage_seconds(KT_STAGE_OTHER));
}

static int import_file(kt_cli *cli, int argc, char **argv)
{
    kt_import_opts o = {0};
    const char *script = cli_take_option(&argc, argv, "--script");
    o.map = cli_take_option(&argc, argv, "--map");
    const char *mode = cli_take_option(&argc, argv, "--on-match");
    o.rejects = cli_take_option(&argc, argv, "--rejects");
    o.rejects_replace = cli_take_flag(&argc, argv, "--force");
    o.log = cli_take_option(&argc, argv, "--log");
    o.format = cli_take_option(&argc, argv, "--format");
    o.entity = cli_take_option(&argc, argv, "--entity");
    o.dry_run = cli_take_flag(&argc, argv, "--dry-run");
    int diff = cli_take_flag(&argc, argv, "--diff");
    o.no_dedupe = cli_take_flag(&argc, argv, "--no-dedupe");
    int stages = cli_take_flag(&argc, argv, "--stages");
    if (argc != 2 || argv[1][0] == '-') return cli_usage(IMPORT_USAGE);
    if (script && o.map) return cli_usage("kt import: --script or --map, not both");
    if (mode) {
        int m = kt_on_match_parse(mode);
        if (m < 0) return cli_usage("kt import: --on-match is update, skip, merge or create");
        o.on_match = (kt_on_match)m;
    }
    if (access(argv[1], R_OK) != 0) {
        fprintf(stderr, "kt: cannot read %s: %s\n", argv[1], strerror(errno));
        return EX_NOINPUT_;
    }
    int rc = cli_open(cli);
    if (rc) return rc;
    char path[PATH_MAX];
    o.script = find_script(cli, script, path, sizeof path);
    if (o.script && access(o.script, R_OK) != 0) {
        fprintf(stderr, "kt: cannot read the script %s: %s\n", o.script, strerror(errno));
        return EX_NOINPUT_;
    }
    if (cli_progress_on()) o.progress = on_progress;
    if (diff) o.diff = on_diff, o.diff_ud = cli->json ? stderr : stdout;
    kt_import_summary s;
    kt_error err;
    if (stages) kt_stage_clock_start();
    kt_status st = kt_import_run(cli->ws, argv[1], &o, &s, &err);
    cli_progress_clear();
    if (st) return cli_fail(&err);
    if (stages) print_stages();
    /* The summary's JSON shape is fixed, so there the encoding goes to stderr. */
    print_encoding(&s, cli->json ? stderr : stdout);
    if (cli->json) {
        cli_print_json(kt_json_import_summary(&s));
    } else {
        if (s.batch)
            cli_say("batch %lld: ", s.batch);
        else
            cli_say("dry run (nothing written): ");
        cli_say("%ld rows: %ld created, %ld updated, %ld merged, %ld skipped, %ld rejected\n",
                s.rows, s.created, s.updated, s.merged, s.skipped, s.rejected);
        if (s.rejected && o.rejects) cli_say("rejected rows with their reasons: %s\n", o.rejects);
    }
    return 0;
}

static int on_batch(void *ud, const kt_batch_info *b)
{
    cJSON *arr = ud;
    if (arr) {
        char id[32];
        snprintf(id, sizeof id, "%lld", b->id);
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "batch", id);
        cJSON_AddStringToObject(j, "kind", b->kind);
        cJSON_AddStringToObject(j, "status", b->status);
        cJSON_AddStringToObject(j, "source", b->source);
        cJSON_AddStringToObject(j, "started_at", b->started_at);
        if (b->finished_at)
            cJSON_AddStringToObject(j, "finished_at", b->finished_at);
        else
            cJSON_AddNullToObject(j, "finished_at");
        cJSON *sum = b->summary ? cJSON_Parse(b->summary) : NULL;
        if (sum && !cJSON_GetObjectItem(sum, "pid"))
            cJSON_AddItemToObject(j, "summary", sum);
        else
            cJSON_Delete(sum);
        cJSON_AddItemToArray(arr, j);
        return 0;
    }
    printf("%-6lld %-12s %-21s %s\n", b->id, b->status, b->started_at, b->source);
    cJSON *sum = b->summary ? cJSON_Parse(b->summary) : NULL;
    if (sum && cJSON_GetObjectItem(sum, "rows"))
        printf("       %d rows: %d created, %d updated, %d merged, %d skipped, %d rejected\n",
               cJSON_GetObjectItem(sum, "rows")->valueint,
               cJSON_GetObjectItem(sum, "created")->valueint,
               cJSON_GetObjectItem(sum, "updated")->valueint,
               cJSON_GetObjectItem(sum, "merged")->valueint,
               cJSON_GetObjectItem(sum, "skipped")->valueint,
               cJSON_GetObjectItem(sum, "rejected")->valueint);
    cJSON_Delete(sum);
    return 0;
}

static int import_list(kt_cli *cli, int argc)
{
    if (argc != 2) return cli_usage(IMPORT_USAGE);
    int rc = cli_open(cli);
    if (rc) return rc;
    cJSON *arr = cli->json ? cJSON_CreateArray() : NULL;
    kt_error err;
    if (kt_import_list(cli->ws, on_batch, arr, &err)) {
        cJSON_Delete(arr);
        return cli_fail(&err);
    }
    if (arr) cli_print_json(arr);
    return 0;
}

static int import_undo(kt_cli *cli, int argc, char **argv)
{
    int flags = cli_take_flag(&argc, argv, "--force") ? KT_UNDO_FORCE : 0;
    if (cli_take_flag(&argc, argv, "--cascade")) flags |= KT_UNDO_CASCADE;
    int dry_run = cli_take_flag(&argc, argv, "--dry-run");
    if (argc != 3) return cli_usage(IMPORT_USAGE);
    long long batch;
    if (cli_number("kt import undo: BATCH (see kt import list)", argv[2], 1, LLONG_MAX, &batch))
        return EX_USAGE_;
    int rc = cli_open(cli);
    if (rc) return rc;
    kt_undo_result r;
    kt_error err;
    if (dry_run && (rc = cli_dry_run_begin(cli))) return rc;
    kt_status st = kt_import_undo(cli->ws, batch, flags, &r, &err);
    if (dry_run) cli_dry_run_end(cli);
    if (st) return cli_fail(&err);
    if (cli->json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "batch", argv[2]);
        cJSON_AddNumberToObject(j, "archived", (double)r.archived);
        cJSON_AddNumberToObject(j, "dependants", (double)r.dependants);
        cJSON_AddNumberToObject(j, "restored", (double)r.restored);
        cJSON_AddNumberToObject(j, "fields", (double)r.fields);
        cli_print_json(j);
    } else {
        cli_say("batch %lld %s: %ld created records archived, %ld records restored (%ld "
                "fields)\n",
                batch, dry_run ? "would be undone" : "undone", r.archived, r.restored, r.fields);
        if (r.dependants)
            cli_say("%ld later records that referred to them archived too\n", r.dependants);
    }
    return 0;
}

int cmd_import(kt_cli *cli, int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "list")) return import_list(cli, argc);
    if (argc >= 2 && !strcmp(argv[1], "undo")) return import_undo(cli, argc, argv);
    return import_file(cli, argc, argv);
}
