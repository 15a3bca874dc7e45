/* kt person export|erase|anonymise: personal data as the law expects (README, Personal data). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "kartoteka/privacy.h"

static int person_export(kt_cli *cli, int argc, char **argv)
{
    const char *format = cli_take_option(&argc, argv, "--format");
    if (argc != 3) return cli_usage("usage: kt person export ID [--format json|html]");
    kt_person_format f = KT_PERSON_JSON;
    if (format && !strcmp(format, "html"))
        f = KT_PERSON_HTML;
    else if (format && strcmp(format, "json") != 0)
        return cli_usage("--format: \"%s\" is not json or html", format);
    kt_id id;
    if (cli_id(argv[2], &id)) return EX_USAGE_;
    int rc = cli_open(cli);
    if (rc) return rc;
    kt_error err;
    kt_buf out = KT_BUF_INIT;
    out.max = (size_t)1 << 30;
    if (kt_person_export(cli->ws, id, f, &out, &err)) {
        kt_buf_free(&out);
        return cli_fail(&err);
    }
    size_t len = out.len, n = fwrite(out.data, 1, len, stdout);
    kt_buf_free(&out);
    if (n != len || fflush(stdout) != 0) {
        fprintf(stderr, "kt: writing the export failed\n");
        return EX_IOERR_;
    }
    return 0;
}

static int person_erase(kt_cli *cli, int argc, char **argv, kt_erase_mode mode)
{
    const char *reason = cli_take_option(&argc, argv, "--reason");
    const char *verb = mode == KT_ERASE_ALL ? "erase" : "anonymise";
    if (argc != 3)
        return cli_usage("usage: kt person %s ID --reason TEXT%s", verb,
                         mode == KT_ERASE_ALL ? "" : " (the reason is optional)");
    if (mode == KT_ERASE_ALL && (!reason || !*reason))
        return cli_usage("kt person erase: say why with --reason TEXT (the history keeps it)");
    if (!reason || !*reason) reason = "anonymised for statistics";
    kt_id id;
    if (cli_id(argv[2], &id)) return EX_USAGE_;
    int rc = cli_open(cli);
    if (rc) return rc;
    kt_error err;
    kt_erase_result r;
    if (kt_person_erase(cli->ws, id, mode, reason, &r, &err)) return cli_fail(&err);
    if (cli->json) {
        cJSON *j = kt_person_erase_json(id, mode, &r);
        if (!j) {
            fprintf(stderr, "kt: out of memory\n");
            return EX_SOFTWARE_;
        }
        cli_print_json(j);
    } else {
        cli_say("%s %lld: %zu value%s in %zu record%s, %zu related record%s scrubbed, %zu "
                "message%s, %zu file%s\n",
                mode == KT_ERASE_ALL ? "erased" : "anonymised", id, r.fields,
                r.fields == 1 ? "" : "s", r.records, r.records == 1 ? "" : "s", r.related,
                r.related == 1 ? "" : "s", r.messages, r.messages == 1 ? "" : "s", r.files,
                r.files == 1 ? "" : "s");
    }
    if (r.kept)
        fprintf(stderr,
                "kt: %zu binary file%s in the workspace (a backup, a workbook) %s not rewritten "
                "and may still hold the person: a backup is the owner's copy to erase or let "
                "expire\n",
                r.kept, r.kept == 1 ? "" : "s", r.kept == 1 ? "was" : "were");
    if (!r.checkpointed) {
        fprintf(stderr,
                "kt: another connection (kt serve?) is reading: the write-ahead log "
                "still holds old pages until the next checkpoint; run kt person %s "
                "again when it is closed\n",
                verb);
        return EX_TEMPFAIL_;
    }
    return 0;
}

int cmd_person(kt_cli *cli, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "";
    if (!strcmp(sub, "export")) return person_export(cli, argc, argv);
    if (!strcmp(sub, "erase")) return person_erase(cli, argc, argv, KT_ERASE_ALL);
    if (!strcmp(sub, "anonymise")) return person_erase(cli, argc, argv, KT_ERASE_ANONYMISE);
    return cli_usage("usage: kt person export ID [--format json|html]\n"
                     "       kt person erase ID --reason TEXT\n"
                     "       kt person anonymise ID [--reason TEXT]");
}

typedef struct retention_out {
    kt_cli *cli;
    cJSON *list;
} retention_out;

static int retention_cb(void *ud, const kt_retention_hit *h)
{
    retention_out *o = ud;
    if (!o->cli->json) {
        if (h->done)
            cli_say("retention: %s %lld %s (last activity %s)\n", h->entity, h->id,
                    !strcmp(h->action, "erase") ? "erased" : "anonymised", h->last_activity);
        else
            printf("%s %lld would be %s (last activity %s)\n", h->entity, h->id,
                   !strcmp(h->action, "erase") ? "erased" : "anonymised", h->last_activity);
        return 0;
    }
    cJSON *j = cJSON_CreateObject();
    char id[32];
    snprintf(id, sizeof id, "%lld", h->id);
    cJSON_AddStringToObject(j, "entity", h->entity);
    cJSON_AddStringToObject(j, "id", id);
    cJSON_AddStringToObject(j, "action", h->action);
    cJSON_AddStringToObject(j, "last_activity", h->last_activity);
    cJSON_AddBoolToObject(j, "done", h->done);
    cJSON_AddItemToArray(o->list, j);
    return 0;
}

int cli_retention(kt_cli *cli, const char *now, int dry_run, cJSON **list)
{
    kt_error err;
    retention_out o = {cli, cJSON_CreateArray()};
    kt_status st = kt_retention_run(cli->ws, now, dry_run, retention_cb, &o, &err);
    *list = o.list;
    return st ? cli_fail(&err) : 0;
}
