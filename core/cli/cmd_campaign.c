/* Campaign commands: kt campaign list|run|stats|ledger, kt due (the command cron or a systemd timer
 * calls), kt outbox list|deliver. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kartoteka/campaign.h"
#include "kartoteka/value.h"

typedef struct run_out {
    kt_cli *cli;
    cJSON *steps; /* what --json prints */
    int failed;   /* runs that ended in an error */
} run_out;

static cJSON *id_json(kt_id id)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", id);
    return cJSON_CreateString(buf);
}

static int list_cb(void *ud, const kt_campaign_info *c)
{
    run_out *r = ud;
    if (!r->cli->json) {
        printf("%-20s %-10s %-26s %-10s last run %s\n", c->name, c->entity,
               c->schedule ? c->schedule : "(by hand)", c->marketing ? "marketing" : "service",
               c->last_day ? c->last_day : "never");
        return 0;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", c->name);
    cJSON_AddStringToObject(o, "entity", c->entity);
    if (c->schedule)
        cJSON_AddStringToObject(o, "schedule", c->schedule);
    else
        cJSON_AddNullToObject(o, "schedule");
    cJSON_AddBoolToObject(o, "marketing", c->marketing);
    if (c->last_day)
        cJSON_AddStringToObject(o, "last_run_day", c->last_day);
    else
        cJSON_AddNullToObject(o, "last_run_day");
    cJSON_AddStringToObject(o, "declared", c->where);
    cJSON_AddItemToArray(r->steps, o);
    return 0;
}

static int campaign_list(kt_cli *cli)
{
    kt_error err;
    run_out r = {cli, cJSON_CreateArray(), 0};
    kt_status st = kt_campaign_list(cli->ws, list_cb, &r, &err);
    if (st) {
        cJSON_Delete(r.steps);
        return cli_fail(&err);
    }
    if (cli->json)
        cli_print_json(r.steps);
    else
        cJSON_Delete(r.steps);
    return 0;
}

static void step_cb(void *ud, const kt_campaign_step *s)
{
    run_out *r = ud;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "record", id_json(s->record));
    cJSON_AddStringToObject(o, "campaign", s->campaign);
    cJSON_AddStringToObject(o, "day", s->day);
    cJSON_AddStringToObject(o, "key", s->key ? s->key : "");
    cJSON *m = cJSON_Parse(s->messages), *t = cJSON_Parse(s->tasks);
    cJSON_AddItemToObject(o, "messages", m ? m : cJSON_CreateArray());
    cJSON_AddItemToObject(o, "tasks", t ? t : cJSON_CreateArray());
    if (s->error) cJSON_AddStringToObject(o, "error", s->error);
    cJSON *k = s->skipped ? cJSON_Parse(s->skipped) : NULL;
    if (k && cJSON_GetArraySize(k))
        cJSON_AddItemToObject(o, "skipped_consent", k);
    else
        cJSON_Delete(k);
    if (r->cli->json) {
        cJSON_AddItemToArray(r->steps, o);
        return;
    }
    cli_progress_clear(); /* the run's records print as they act */
    if (s->error)
        printf("record %lld: FAILED: %s\n", s->record, s->error);
    else
        printf("record %lld (key %s): %d message(s), %d task(s)\n", s->record, s->key,
               cJSON_GetArraySize(cJSON_GetObjectItem(o, "messages")),
               cJSON_GetArraySize(cJSON_GetObjectItem(o, "tasks")));
    cJSON_Delete(o);
}

static int campaign_run(kt_cli *cli, int argc, char **argv)
{
    const char *as_of = cli_take_option(&argc, argv, "--as-of");
    int dry = cli_take_flag(&argc, argv, "--dry-run");
    if (argc != 3)
        return cli_usage("usage: kt campaign run NAME [--as-of DATE] [--dry-run] [--json]");
    char day[KT_DATE_SIZE];
    kt_error err;
    if (as_of && kt_value_parse_date(as_of, day, &err))
        return cli_usage("--as-of: %s", err.message);
    run_out r = {cli, cJSON_CreateArray(), 0};
    kt_campaign_run_opts o = {as_of ? day : NULL, dry, 0, step_cb, &r};
    kt_campaign_result res;
    kt_status st = kt_campaign_run(cli->ws, argv[2], &o, &res, &err);
    if (cli->json)
        cli_print_json(r.steps);
    else {
        cJSON_Delete(r.steps);
        printf("%s: %ld candidate(s), %ld reached, %ld %s, %ld done before, %ld failed; "
               "%ld message(s), %ld task(s)",
               argv[2], res.candidates, res.reached, dry ? res.reached : res.acted,
               dry ? "would act" : "acted", res.done_before, res.failed, res.messages, res.tasks);
        if (res.skipped_consent) printf(", %ld skipped for consent", res.skipped_consent);
        printf("\n");
    }
    if (st) return cli_fail(&err);
    return 0;
}

typedef struct ledger_out {
    kt_cli *cli;
    cJSON *rows; /* what --json prints; NULL: only whether there is one */
    long n;
} ledger_out;

static int ledger_cb(void *ud, const kt_ledger_row *l)
{
    ledger_out *r = ud;
    if (!r->rows) return 1; /* stats: one row proves the campaign */
    if (!r->cli->json) {
        if (!r->n++) printf("%-8s %-24s %-10s %-6s %s\n", "record", "key", "day", "run", "at");
        printf("%-8lld %-24s %-10s %-6lld %s\n", l->record, l->key, l->day, l->run, l->at);
        return 0;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "campaign", l->campaign);
    cJSON_AddItemToObject(o, "record", id_json(l->record));
    cJSON_AddStringToObject(o, "key", l->key);
    cJSON_AddStringToObject(o, "day", l->day);
    cJSON_AddItemToObject(o, "run", l->run ? id_json(l->run) : cJSON_CreateNull());
    cJSON_AddStringToObject(o, "at", l->at);
    cJSON_AddItemToArray(r->rows, o);
    return 0;
}

/* kt campaign ledger NAME: what acted, for whom, under which key and when. */
static int campaign_ledger(kt_cli *cli, int argc, char **argv)
{
    if (argc != 3) return cli_usage("usage: kt campaign ledger NAME [--json]");
    kt_error err;
    ledger_out r = {cli, cJSON_CreateArray(), 0};
    if (kt_campaign_ledger(cli->ws, argv[2], ledger_cb, &r, &err)) {
        cJSON_Delete(r.rows);
        return cli_fail(&err);
    }
    if (cli->json)
        cli_print_json(r.rows);
    else
        cJSON_Delete(r.rows);
    if (!cli->json && !r.n) printf("%s has not acted yet\n", argv[2]);
    return 0;
}

/* kt campaign stats NAME [--days N] [--from D] [--to D]: the attribution report of that
 * campaign, per channel. */
static int campaign_stats(kt_cli *cli, int argc, char **argv)
{
    if (argc < 3 || !strncmp(argv[2], "--", 2))
        return cli_usage("usage: kt campaign stats NAME [--days N] [--from DATE] [--to DATE] "
                         "[--json]");
    kt_error err;
    ledger_out none = {cli, NULL, 0};
    if (kt_campaign_ledger(cli->ws, argv[2], ledger_cb, &none, &err)) return cli_fail(&err);
    char report[] = "report", name[] = "attribution", opt[] = "--campaign";
    char *args[16] = {report, name, opt, argv[2]};
    int n = 4;
    for (int i = 3; i < argc && n < 16; i++)
        args[n++] = argv[i];
    return cli_report_run(cli, n, args);
}

int cmd_campaign(kt_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("usage: kt campaign list | run NAME [--as-of DATE] [--dry-run] | stats "
                         "NAME [--days N] | ledger NAME");
    int rc = cli_open(cli);
    if (rc) return rc;
    if (!strcmp(argv[1], "list")) return campaign_list(cli);
    if (!strcmp(argv[1], "run")) return campaign_run(cli, argc, argv);
    if (!strcmp(argv[1], "stats")) return campaign_stats(cli, argc, argv);
    if (!strcmp(argv[1], "ledger")) return campaign_ledger(cli, argc, argv);
    return cli_usage("kt campaign: unknown subcommand '%s'", argv[1]);
}

static void due_cb(void *ud, const kt_campaign_due_run *r)
{
    run_out *o = ud;
    if (r->error) o->failed++;
    if (!o->cli->json) {
        cli_say("%s %s: %ld reached, %ld acted, %ld failed%s%s\n", r->campaign, r->day,
                r->result->reached, r->result->acted, r->result->failed, r->error ? ": " : "",
                r->error ? r->error : "");
        return;
    }
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "campaign", r->campaign);
    cJSON_AddStringToObject(j, "day", r->day);
    cJSON_AddNumberToObject(j, "reached", (double)r->result->reached);
    cJSON_AddNumberToObject(j, "acted", (double)r->result->acted);
    cJSON_AddNumberToObject(j, "failed", (double)r->result->failed);
    cJSON_AddNumberToObject(j, "messages", (double)r->result->messages);
    if (r->error) cJSON_AddStringToObject(j, "error", r->error);
    cJSON_AddItemToArray(o->steps, j);
}

static cJSON *delivery_json(const kt_outbox_result *d)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "sent", (double)d->sent);
    cJSON_AddNumberToObject(j, "failed", (double)d->failed);
    cJSON_AddNumberToObject(j, "waiting", (double)d->waiting);
    return j;
}

int cmd_due(kt_cli *cli, int argc, char **argv)
{
    const char *now = cli_take_option(&argc, argv, "--now");
    int no_deliver = cli_take_flag(&argc, argv, "--no-deliver");
    int dry_run = cli_take_flag(&argc, argv, "--dry-run");
    if (argc != 1)
        return cli_usage(
            "usage: kt due [--now YYYY-MM-DDTHH:MM] [--no-deliver] [--dry-run] [--json]");
    int rc = cli_open(cli);
    if (rc) return rc;
    cJSON *retention = NULL;
    if (dry_run) { /* who retention would reach; campaigns and delivery are not run */
        if ((rc = cli_retention(cli, now, 1, &retention)) || !cli->json) {
            cJSON_Delete(retention);
            return rc;
        }
        cJSON *j = cJSON_CreateObject();
        cJSON_AddItemToObject(j, "retention", retention);
        cli_print_json(j);
        return 0;
    }
    kt_error err;
    run_out o = {cli, cJSON_CreateArray(), 0};
    kt_status st = kt_campaign_due(cli->ws, now, due_cb, &o, &err);
    if (st == KT_BUSY) {
        /* the other `kt due` does the work: for cron this is not a failure */
        fprintf(stderr, "kt: another kt due is running (%s); nothing done\n", err.message);
        if (cli->json) {
            cJSON *j = cJSON_CreateObject();
            cJSON_AddBoolToObject(j, "busy", 1);
            cJSON_AddItemToObject(j, "runs", o.steps);
            cli_print_json(j);
        } else {
            cJSON_Delete(o.steps);
        }
        return 0;
    }
    if (st) {
        cJSON_Delete(o.steps);
        return cli_fail(&err);
    }
    if ((rc = cli_retention(cli, now, 0, &retention))) {
        cJSON_Delete(o.steps);
        cJSON_Delete(retention);
        return rc;
    }
    kt_outbox_result d = {0, 0, 0};
    kt_error derr;
    kt_status dst = no_deliver ? KT_OK : kt_outbox_deliver(cli->ws, &d, &derr);
    if (cli->json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddItemToObject(j, "runs", o.steps);
        cJSON_AddItemToObject(j, "retention", retention);
        cJSON_AddItemToObject(j, "delivery", delivery_json(&d));
        cli_print_json(j);
    } else {
        cJSON_Delete(o.steps);
        cJSON_Delete(retention);
        cli_say("delivery: %ld sent, %ld failed (retried later), %ld waiting\n", d.sent, d.failed,
                d.waiting);
    }
    if (dst && dst != KT_BUSY) return cli_fail(&derr); /* busy: another process delivers */
    /* a failed action is retried by the next kt due; cron should still hear of it */
    return o.failed ? EX_DATAERR_ : 0;
}

static int outbox_cb(void *ud, const kt_outbox_msg *m)
{
    run_out *o = ud;
    if (!o->cli->json) {
        printf("%-6lld %-12s %-8s %-7s %-30s %s%s%s\n", m->id, m->campaign, m->channel, m->status,
               m->to, m->subject ? m->subject : "", m->last_error ? "  error: " : "",
               m->last_error ? m->last_error : "");
        return 0;
    }
    cJSON *j = cJSON_CreateObject();
    cJSON_AddItemToObject(j, "id", id_json(m->id));
    cJSON_AddStringToObject(j, "campaign", m->campaign);
    cJSON_AddItemToObject(j, "record", id_json(m->record));
    cJSON_AddStringToObject(j, "key", m->key);
    cJSON_AddStringToObject(j, "channel", m->channel);
    cJSON_AddStringToObject(j, "to", m->to);
    if (m->subject)
        cJSON_AddStringToObject(j, "subject", m->subject);
    else
        cJSON_AddNullToObject(j, "subject");
    cJSON_AddStringToObject(j, "body", m->body);
    cJSON_AddStringToObject(j, "status", m->status);
    cJSON_AddNumberToObject(j, "attempts", (double)m->attempts);
    const char *const names[] = {"last_error", "next_attempt", "created_at", "sent_at"};
    const char *const vals[] = {m->last_error, m->next_attempt, m->created_at, m->sent_at};
    for (int i = 0; i < 4; i++) {
        if (vals[i])
            cJSON_AddStringToObject(j, names[i], vals[i]);
        else
            cJSON_AddNullToObject(j, names[i]);
    }
    cJSON_AddItemToArray(o->steps, j);
    return 0;
}

/* kt outbox deliver, and the delivery after kt outbox retry made `retried` messages due. */
static int deliver(kt_cli *cli, long retried)
{
    kt_error err;
    kt_outbox_result d;
    kt_status st = kt_outbox_deliver(cli->ws, &d, &err);
    if (st) return cli_fail(&err);
    if (cli->json)
        cli_print_json(delivery_json(&d));
    else if (retried)
        cli_say("%ld to retry: %ld sent, %ld failed again\n", retried, d.sent, d.failed);
    else
        cli_say("%ld sent, %ld failed (retried later), %ld waiting\n", d.sent, d.failed, d.waiting);
    return d.failed ? EX_IOERR_ : 0;
}

/* kt outbox retry [ID] [--campaign NAME]: failed messages due now, then delivered. */
static int outbox_retry(kt_cli *cli, const char *id_text, const char *campaign)
{
    kt_id id = id_text ? kt_id_parse(id_text) : 0;
    if (id_text && !id) return cli_usage("\"%s\" is not a message id", id_text);
    kt_error err;
    long n = 0;
    if (kt_outbox_retry(cli->ws, id, campaign, &n, &err)) return cli_fail(&err);
    if (!n) {
        if (cli->json)
            cli_print_json(delivery_json(&(kt_outbox_result){0, 0, 0}));
        else
            cli_say("no failed message to retry\n");
        return 0;
    }
    return deliver(cli, n);
}

/* kt outbox cancel ID|--campaign NAME [--dry-run]: queued and failed messages never sent. */
static int outbox_cancel(kt_cli *cli, const char *id_text, const char *campaign, int dry_run)
{
    kt_id id = id_text ? kt_id_parse(id_text) : 0;
    if (id_text && !id) return cli_usage("\"%s\" is not a message id", id_text);
    kt_error err;
    long n = 0;
    if (kt_outbox_cancel(cli->ws, id, campaign, dry_run, &n, &err)) return cli_fail(&err);
    if (cli->json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "cancelled", (double)n);
        cJSON_AddBoolToObject(j, "dry_run", dry_run);
        cli_print_json(j);
    } else if (dry_run) {
        printf("would cancel %ld message%s (nothing written)\n", n, n == 1 ? "" : "s");
    } else {
        cli_say("%ld message%s cancelled\n", n, n == 1 ? "" : "s");
    }
    return 0;
}

#define OUTBOX_USAGE                                                                               \
    "usage: kt outbox list [--status S] | deliver | retry [ID] [--campaign NAME] | cancel "        \
    "ID|--campaign NAME [--dry-run]"

int cmd_outbox(kt_cli *cli, int argc, char **argv)
{
    const char *status = cli_take_option(&argc, argv, "--status");
    const char *campaign = cli_take_option(&argc, argv, "--campaign");
    int dry_run = cli_take_flag(&argc, argv, "--dry-run");
    int with_id = argc == 3 && (!strcmp(argv[1], "retry") || !strcmp(argv[1], "cancel"));
    if (argc != 2 && !with_id) return cli_usage(OUTBOX_USAGE);
    if (!strcmp(argv[1], "cancel") && !with_id && !campaign)
        return cli_usage("kt outbox cancel needs a message id or --campaign NAME");
    if (dry_run && strcmp(argv[1], "cancel"))
        return cli_usage("--dry-run goes with kt outbox cancel");
    int rc = cli_open(cli);
    if (rc) return rc;
    if (!strcmp(argv[1], "retry")) return outbox_retry(cli, argc == 3 ? argv[2] : NULL, campaign);
    if (!strcmp(argv[1], "cancel"))
        return outbox_cancel(cli, with_id ? argv[2] : NULL, campaign, dry_run);
    kt_error err;
    if (!strcmp(argv[1], "list")) {
        run_out o = {cli, cJSON_CreateArray(), 0};
        kt_status st = kt_outbox_list(cli->ws, status, outbox_cb, &o, &err);
        if (cli->json && !st)
            cli_print_json(o.steps);
        else
            cJSON_Delete(o.steps);
        return st ? cli_fail(&err) : 0;
    }
    if (!strcmp(argv[1], "deliver")) return deliver(cli, 0);
    return cli_usage("kt outbox: unknown subcommand '%s'", argv[1]);
}
