/* kt consent give|withdraw|show: a person's consents with their proof. */
#include <string.h>

#include "cli.h"
#include "kartoteka/consent.h"

#define USAGE                                                                                      \
    "usage: kt consent give|withdraw PERSON_ID PURPOSE [--source HOW] [--wording VERSION] "        \
    "[--wording-text TEXT] [--note TEXT]\n       kt consent show PERSON_ID [--json]"

static const char *text_of(const cJSON *o, const char *key)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
    return s ? s : "";
}

static int add_rows(cli_table *t, const cJSON *rows)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, rows)
    {
        const char *row[] = {text_of(it, "purpose"), text_of(it, "state"), text_of(it, "at"),
                             text_of(it, "source"),  text_of(it, "by"),    text_of(it, "wording"),
                             text_of(it, "expires"), text_of(it, "note")};
        if (cli_table_add(t, row) < 0) return -1;
    }
    return 0;
}

static int print_table(const cJSON *j, const char *key, const char *title)
{
    static const char *const head[] = {"purpose", "state",   "at",      "source",
                                       "by",      "wording", "expires", "note"};
    cli_table t;
    cli_table_init(&t, 8, head);
    int rc = add_rows(&t, cJSON_GetObjectItem(j, key));
    if (!rc && title) printf("\n%s\n", title);
    if (!rc) cli_table_print(&t, stdout);
    cli_table_free(&t);
    return rc;
}

static int show(kt_cli *cli, kt_id person)
{
    cJSON *j = NULL;
    kt_error err;
    if (kt_consent_json(cli->ws, person, &j, &err)) return cli_fail(&err);
    if (cli->json) {
        cli_print_json(j);
        return 0;
    }
    printf("person %lld, marketing_consent: %s\n", person,
           text_of(j, "marketing_consent")[0] ? text_of(j, "marketing_consent") : "-");
    int rc = print_table(j, "current", NULL);
    if (!rc && cJSON_GetArraySize(cJSON_GetObjectItem(j, "history")) > 0)
        rc = print_table(j, "history", "history:");
    cJSON_Delete(j);
    if (rc) {
        fprintf(stderr, "kt: out of memory\n");
        return EX_SOFTWARE_;
    }
    return 0;
}

int cmd_consent(kt_cli *cli, int argc, char **argv)
{
    kt_consent_opts o = {.by = "cli"};
    o.source = cli_take_option(&argc, argv, "--source");
    o.wording = cli_take_option(&argc, argv, "--wording");
    o.wording_text = cli_take_option(&argc, argv, "--wording-text");
    o.note = cli_take_option(&argc, argv, "--note");
    const char *verb = argc > 1 ? argv[1] : "";
    int show_it = !strcmp(verb, "show");
    int given = !strcmp(verb, "give");
    if (!show_it && !given && strcmp(verb, "withdraw") != 0) return cli_usage(USAGE);
    if (argc != (show_it ? 3 : 4)) return cli_usage(USAGE);
    if (show_it && (o.source || o.wording || o.wording_text || o.note))
        return cli_usage("kt consent show takes no --source, --wording or --note");
    kt_id person;
    if (cli_id(argv[2], &person)) return EX_USAGE_;
    int rc = cli_open(cli);
    if (rc) return rc;
    if (show_it) return show(cli, person);
    kt_error err;
    if (kt_consent_set(cli->ws, person, argv[3], given, &o, &err)) return cli_fail(&err);
    if (cli->json) return show(cli, person);
    cli_say("%s consent %s for person %lld\n", argv[3], given ? "given" : "withdrawn", person);
    return 0;
}
