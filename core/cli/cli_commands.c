/* The one table of kt's commands: main dispatches from it, and `kt help`, `kt COMMAND --help`,
 * the man page, the completion scripts and the unknown-option check all read it, so a command
 * or an option cannot exist in one and be missing from the others. */
#include <string.h>

#include "cli.h"

#define JSON                                                                                       \
    {                                                                                              \
        "--json", NULL, "print JSON (for scripts and other programs)"                              \
    }
#define END                                                                                        \
    {                                                                                              \
        NULL, NULL, NULL                                                                           \
    }

static const cli_option o_init[] = {{"--example", "NAME", "copy a shipped example (pet-shop, ...)"},
                                    {"--store", "URL", "keep the data in PostgreSQL (postgresql://...)"},
                                    END};
static const cli_option o_add[] = {
    {"--allow-duplicate", NULL, "save even when it looks like an existing record"}, JSON, END};
static const cli_option o_json[] = {JSON, END};
static const cli_option o_none[] = {END};
static const cli_option o_check[] = {
    {"--rebuild", NULL, "first make the sales rollup again from the sale lines"}, JSON, END};
static const cli_option o_get[] = {
    {"--external", "XID", "the record known by this external id (or one it absorbed)"},
    {"--entity", "ENTITY", "with --external: only records of this entity"},
    JSON,
    END};
static const cli_option o_list[] = {
    {"--where", "FILTER", "only records matching FILTER (see kt help filter); repeatable"},
    {"--sort", "F[,-F]...", "order by these fields (- before a name: descending); default: id"},
    {"--columns", "F,F,...", "the columns to show (default: the entity's main fields)"},
    {"--count", NULL, "print only how many records match"},
    {"--limit", "N", "at most N records"},
    {"--offset", "N", "skip the first N records"},
    {"--archived", NULL, "archived records only"},
    {"--all", NULL, "records in every state"},
    {"--show-pii", NULL, "personal data (fields marked pii) in clear, not masked as ***"},
    JSON,
    END};
static const cli_option o_find[] = {{"--limit", "N", "at most N records (default 50)"}, JSON, END};
static const cli_option o_field[] = {
    {"--required", NULL, "a value must be given"},
    {"--unique", NULL, "no two records share a value"},
    {"--searchable", NULL, "kt find looks in it"},
    {"--indexed", NULL, "an index for fast filters"},
    {"--pii", NULL, "personal data"},
    {"--pattern", "REGEX", "values must match (POSIX extended)"},
    {"--default", "VALUE", "the value of a new record that gives none"},
    {"--min", "VALUE", "smallest value"},
    {"--max", "VALUE", "largest value"},
    {"--ref", "ENTITY", "a ref field's target"},
    {"--label", "TEXT", "the name people see"},
    {"--max-length", "N", "longest text in characters"},
    {"--scale", "N", "a decimal's digits after the point"},
    {"--kind", "KIND", "what a phone field takes (mobile, fixed_line, ...)"},
    {"--no-trim", NULL, "keep text values byte for byte (notes)"},
    {"--options", "A,B,...", "allowed values of an enum or set"},
    {"--dry-run", NULL, "remove, rename: say what would change, change nothing"},
    JSON,
    END};
static const cli_option o_import[] = {
    {"--script", "S.lua", "the import script that maps rows to records"},
    {"--map", "NAME", "instead of a script: an import map a plugin provides (kt plugin list)"},
    {"--on-match", "MODE", "update, skip, merge or create when a row matches a record"},
    {"--rejects", "FILE", "write refused rows with their reasons to FILE"},
    {"--log", "FILE", "one line per source row: its fate, record and reasons (.csv or .ndjson)"},
    {"--cascade", NULL, "undo: archive the records that refer to the batch's records too"},
    {"--format", "FORMAT", "csv, json, ndjson, vcf, xlsx (detected when left out)"},
    {"--entity", "ENTITY", "the entity rows become"},
    {"--dry-run", NULL, "check every row, write nothing"},
    {"--diff", NULL, "print what would change per record"},
    {"--no-dedupe", NULL, "do not look for duplicates"},
    {"--stages", NULL, "print where the time went (read+map, dedupe lookup, write, index, commit)"},
    {"--force", NULL,
     "replace existing rejects and log files; undo: even when records changed since or refer to "
     "it"},
    JSON,
    END};
static const cli_option o_export[] = {
    {"--where", "FILTER", "only records matching FILTER; repeatable"},
    {"--format", "FORMAT", "csv, json, ndjson or vcf"},
    {"--out", "FILE", "write to FILE instead of standard output"},
    {"--force", NULL, "replace FILE when it exists"},
    {"--all", NULL, "every record in every state (json, ndjson; every entity without ENTITY)"},
    {"--raw", NULL, "stored values, not formatted for people"},
    {"--archived", NULL, "archived records too"},
    {"--show-pii", NULL, "personal data (fields marked pii) in clear: a lossless copy"},
    JSON,
    END};
static const cli_option o_dupes[] = {{"--threshold", "X", "pairs scoring at least X (0..1)"},
                                     {"--explain", NULL, "show how each pair scored"},
                                     {"--not", NULL, "ID1 ID2 are not duplicates"},
                                     {"--stats", NULL, "how records were blocked into pairs"},
                                     {"--compared", NULL, "every candidate pair compared"},
                                     {"--between", "A B", "only pairs across imports A and B"},
                                     {"--limit", "N", "review: at most N pairs"},
                                     JSON,
                                     END};
static const cli_option o_campaign[] = {
    {"--as-of", "DATE", "run as if today were DATE"},
    {"--dry-run", NULL, "show who would get what, send nothing"},
    {"--days", "N", "stats: credit sales within N days after a message (default 30)"},
    {"--from", "DATE", "stats: sales from DATE (YYYY-MM or YYYY-MM-DD)"},
    {"--to", "DATE", "stats: sales up to DATE"},
    JSON,
    END};
static const cli_option o_due[] = {
    {"--now", "DATETIME", "run as if it were DATETIME"},
    {"--no-deliver", NULL, "queue messages, do not deliver"},
    {"--dry-run", NULL, "list whom retention would anonymise or erase, change nothing"},
    JSON,
    END};
static const cli_option o_outbox[] = {
    {"--status", "STATUS", "queued, sent, failed or cancelled"},
    {"--campaign", "NAME", "retry or cancel only that campaign's messages"},
    {"--dry-run", NULL, "cancel: count what would be cancelled, change nothing"},
    JSON,
    END};
static const cli_option o_report[] = {
    {"--format", "FORMAT", "table, csv, json or svg"},
    {"--out", "FILE", "write to FILE (the format follows its extension)"},
    {"--force", NULL, "replace FILE when it exists"},
    {"--all", NULL, "every record in every state (json, ndjson; every entity without ENTITY)"},
    {"--raw", NULL, "stored values, not formatted for people"},
    JSON,
    END};
static const cli_option o_complete[] = {END};
static const cli_option o_user[] = {
    {"--role", "ROLE", "owner, manager, staff or viewer"},
    {"--password-stdin", NULL, "read the password from standard input (else asked twice)"},
    JSON,
    END};
static const cli_option o_token[] = {{"--role", "ROLE", "owner, manager, staff or viewer"},
                                     {"--expires", "DATE", "the last day it is valid"},
                                     JSON,
                                     END};
static const cli_option o_serve[] = {
    {"--listen", "HOST:PORT", "where to listen (default 127.0.0.1:8080)"},
    {"--threads", "N", "worker threads, each with its own connection (default 4)"},
    {"--max-body", "BYTES", "largest request body (default 1 MiB)"},
    {"--tls-cert", "FILE", "serve HTTPS with this certificate (with --tls-key)"},
    {"--tls-key", "FILE", "the certificate's private key"},
    {"--rate", "N", "requests per second per caller before 429 (default 100, 0: no limit)"},
    END};
static const cli_option o_backup[] = {{"--force", NULL, "replace FILE when it exists"}, JSON, END};
static const cli_option o_restore[] = {
    {"--force", NULL, "restore FILE over a workspace that holds records"},
    {"--dry-run", NULL, "check FILE and count its records, replace nothing"},
    JSON,
    END};
#define DRY_RUN                                                                                    \
    {                                                                                              \
        "--dry-run", NULL, "do it in a transaction that is rolled back: what would change"         \
    }
static const cli_option o_merge[] = {DRY_RUN, JSON, END};
static const cli_option o_consent[] = {
    {"--source", "HOW",
     "how it was given or withdrawn: form, call, campaign reply, ... (default "
     "cli)"},
    {"--wording", "VERSION", "the version id of the text the person was shown"},
    {"--wording-text", "TEXT", "that text itself"},
    {"--note", "TEXT", "anything else worth keeping with it"},
    JSON,
    END};
static const cli_option o_run[] = {DRY_RUN, END};
static const cli_option o_person[] = {
    {"--format", "FORMAT", "export: json (default) or html"},
    {"--reason", "TEXT", "erase, anonymise: why (kept in the history; not what was erased)"},
    JSON,
    END};

/* Options of kt itself, before or after the command's name (kt -q due, kt due -q). */
const cli_global cli_globals[] = {
    {"-C", NULL, "DIR", "the workspace folder (else $KT_WORKSPACE, else upwards from here)"},
    {"-q", "--quiet", NULL, "data and errors only: no progress, confirmations or summaries"},
    {"-v", "--verbose", NULL, "also say what kt does (the workspace, the time taken) on stderr"},
    {"-h", "--help", NULL, "this help"},
    {NULL, "--version", NULL, "kt's version"},
    {NULL, NULL, NULL, NULL}};

const cli_command cli_commands[] = {
    {"init", cmd_init, "init DIR [--example NAME] [--store URL]", "make a workspace", o_init,
     "kt init shop --example pet-shop", NULL, NULL, 0},
    {"add", cmd_add, "add ENTITY name=value ...", "create a record (prints its id)", o_add,
     "kt add person first_name=Anna last_name=Nowak mobile=\"600 700 800\" pets=dog,cat", NULL,
     "entity", 0},
    {"set", cmd_set, "set ID name=value ...", "change fields of a record", o_none,
     "kt set 42 city=Kraków\nkt set 42 email=", NULL, NULL, 0},
    {"get", cmd_get, "get ID\nget --external XID [--entity ENTITY]", "show a record", o_get,
     "kt get 42\nkt get 42 --json\nkt get --external C100000", NULL, NULL, 0},
    {"list", cmd_list,
     "list ENTITY [--where FILTER]... [--sort F] [--columns F,...] [--count] [--limit N] "
     "[--offset N] [--show-pii]",
     "list records: a table with a header, references shown by their titles", o_list,
     "kt list person --where \"city = Kraków\" --sort last_name,-birth_date\n"
     "kt list task --where \"due <= today\" --count\n"
     "kt list person --columns first_name,email,company --limit 20 --offset 40",
     NULL, "entity", 0},
    {"find", cmd_find, "find TEXT", "full-text search, insensitive to case and diacritics", o_find,
     "kt find kowalski\nkt find \"600 700 800\"", NULL, NULL, 0},
    {"archive", cmd_archive, "archive ID", "archive a record (nothing is deleted)", o_none,
     "kt archive 42", NULL, NULL, 0},
    {"restore", cmd_restore, "restore ID\nrestore FILE [--force] [--dry-run]",
     "bring an archived record back, or a backup into the workspace", o_restore,
     "kt restore 42\nkt restore /var/backups/shop.db --force", NULL, NULL, 0},
    {"user", cmd_user,
     "user add NAME --role ROLE [--password-stdin]\nuser list\nuser passwd NAME "
     "[--password-stdin]\nuser role NAME ROLE\nuser disable NAME\nuser enable NAME",
     "who may sign in to kt serve, and with which role", o_user,
     "kt user add anna --role staff\nkt user list --json", "add list passwd role disable enable",
     NULL, 0},
    {"token", cmd_token,
     "token add NAME --role ROLE [--expires DATE]\ntoken list\ntoken revoke NAME",
     "bearer tokens for programs using the API (shown once, stored hashed)", o_token,
     "kt token add shop-sync --role staff --expires 2027-12-31", "add list revoke", NULL, 0},
    {"serve", cmd_serve, "serve [--listen HOST:PORT] [--threads N] [--tls-cert F --tls-key F]",
     "the HTTP JSON API for a team (see README, Serving a team)", o_serve,
     "kt serve\nkt serve --listen 0.0.0.0:8443 --tls-cert cert.pem --tls-key key.pem", NULL, NULL,
     0},
    {"backup", cmd_backup, "backup FILE [--force]",
     "a consistent copy of the database, taken while others work", o_backup,
     "kt backup /var/backups/shop-$(date +%F).db", NULL, "file", 0},
    {"history", cmd_history, "history ID", "every change of a record", o_json, "kt history 42",
     NULL, NULL, 0},
    {"access-log", cmd_access_log, "access-log [ID]",
     "who was shown personal data through kt serve: when, which record, which fields, the route",
     o_json, "kt access-log\nkt access-log 42 --json", NULL, NULL, 0},
    {"field", cmd_field,
     "field list [ENTITY]\nfield show ENTITY.FIELD\nfield add ENTITY.FIELD TYPE [--required] "
     "...\nfield remove ENTITY.FIELD [--dry-run]\nfield rename ENTITY.FIELD NEW_NAME "
     "[--dry-run]\nfield restore ENTITY.FIELD",
     "the field registry: add, retire (values kept), rename, restore", o_field,
     "kt field list person\nkt field add person.loyalty_card text --pattern '^[0-9]{8}$' "
     "--unique\nkt field rename person.pets animals --dry-run\nkt field remove person.fax\n"
     "kt field restore person.fax",
     "list show add remove rename restore", "entity.field", 0},
    {"check", cmd_check, "check [ENTITY] [--rebuild]",
     "data quality: missing, invalid, rule failures", o_check,
     "kt check person\nkt check --rebuild", NULL, "entity", 0},
    {"run", cmd_run, "run [--dry-run] SCRIPT.lua [ARGS...]", "run a script with the kt module",
     o_run, "kt run scripts/fix_cities.lua 2024\nkt run --dry-run scripts/fix_cities.lua 2024",
     NULL, "file", CLI_OPEN_ARGS},
    {"test", cmd_test, "test [FILES...]", "run the workspace's Lua tests", o_none,
     "kt test\nkt test tests/import_test.lua", NULL, "file", 0},
    {"import", cmd_import,
     "import FILE --script S.lua [--dry-run] [--rejects F] [--log F] [--force]\nimport list\n"
     "import undo BATCH [--cascade | --force] [--dry-run]",
     "import records (one transaction per batch, undoable)", o_import,
     "kt import clients.xlsx --script imports/shop.lua --dry-run\nkt import undo 3", "list undo",
     "file", 0},
    {"export", cmd_export,
     "export ENTITY [--where FILTER]... --format csv|json|ndjson|vcf [--show-pii]\nexport "
     "[ENTITY] --all --format ndjson|json [--show-pii]",
     "export records", o_export, "kt export person --format vcf --out clients.vcf", NULL, "entity",
     0},
    {"dupes", cmd_dupes,
     "dupes ENTITY [--threshold X] [--explain] [--stats] [--between A B]\n"
     "dupes ENTITY --not ID1 ID2\ndupes train ENTITY\ndupes model ENTITY\n"
     "dupes review ENTITY [--json] [--limit N]\ndupes label ENTITY ID1 ID2 same|distinct|clear",
     "likely duplicates", o_dupes, "kt dupes person --explain", NULL, "entity", 0},
    {"merge", cmd_merge, "merge WINNER LOSER... [--dry-run]",
     "merge duplicates (kt unmerge undoes)", o_merge, "kt merge 12 31 --dry-run\nkt merge 12 31",
     NULL, NULL, 0},
    {"unmerge", cmd_unmerge, "unmerge LOSER [--dry-run]", "reverse a merge", o_merge,
     "kt unmerge 31", NULL, NULL, 0},
    {"consent", cmd_consent,
     "consent give PERSON_ID PURPOSE [--source HOW] [--wording VERSION] [--wording-text TEXT] "
     "[--note TEXT]\nconsent withdraw PERSON_ID PURPOSE [--source HOW] [--note TEXT]\n"
     "consent show PERSON_ID",
     "a person's consents per purpose (email, sms, phone, profiling, ...) with their proof",
     o_consent,
     "kt consent give 42 email --source call --wording v3\nkt consent withdraw 42 sms --source "
     "\"campaign reply\"\nkt consent show 42 --json",
     "give withdraw show", NULL, 0},
    {"plugin", cmd_plugin, "plugin list", "loaded plugins", o_json, "kt plugin list", "list", NULL,
     0},
    {"campaign", cmd_campaign,
     "campaign list\ncampaign run NAME [--as-of DATE] [--dry-run]\n"
     "campaign stats NAME [--days N] [--from DATE] [--to DATE]\ncampaign ledger NAME",
     "campaigns from kartoteka.lua: run them, their sales per channel, their ledger", o_campaign,
     "kt campaign list\nkt campaign run birthday --as-of 2024-05-10 --dry-run\n"
     "kt campaign stats birthday --days 14 --json\nkt campaign ledger birthday",
     "list run stats ledger", "campaign", 0},
    {"due", cmd_due, "due [--now DATETIME] [--dry-run]",
     "run due campaigns and retention (cron), then deliver", o_due, "kt due\nkt due --dry-run",
     NULL, NULL, 0},
    {"outbox", cmd_outbox,
     "outbox list [--status S]\noutbox deliver\noutbox retry [ID] [--campaign NAME]\n"
     "outbox cancel ID|--campaign NAME [--dry-run]",
     "campaign messages: list, deliver, retry the failed ones now, cancel", o_outbox,
     "kt outbox list --status failed\nkt outbox deliver\nkt outbox retry --campaign birthday\n"
     "kt outbox cancel --campaign birthday --dry-run",
     "list deliver retry cancel", NULL, 0},
    {"report", cmd_report, "report list\nreport NAME [--PARAM VALUE]... [--format F] [--out FILE]",
     "analyses: tables, CSV, JSON, SVG charts", o_report,
     "kt report list\nkt report abc --json\nkt report cities --country RU --format svg --out "
     "cities.svg",
     "list", "report", CLI_OPEN_ARGS},
    {"person", cmd_person,
     "person export ID [--format json|html]\nperson erase ID --reason TEXT\n"
     "person anonymise ID [--reason TEXT]",
     "personal data: everything held about a person, erasure, anonymisation", o_person,
     "kt person export 42 --format html > person-42.html\n"
     "kt person erase 42 --reason \"request of 2026-12-01\"\nkt person anonymise 42",
     "export erase anonymise", NULL, 0},
    {"help", cmd_help, "help [COMMAND|filter]", "this help, a command's, or a topic's", o_none,
     "kt help list\nkt help filter", NULL, "command", 0},
    {"__complete", cmd_complete, "__complete INDEX WORD...",
     "completion candidates (for the "
     "shell scripts)",
     o_complete, "", NULL, NULL, CLI_HIDDEN | CLI_OPEN_ARGS},
    {"__generate", cmd_generate, "__generate man|bash|zsh [FILE]",
     "the man page or a completion "
     "script",
     o_complete, "", NULL, NULL, CLI_HIDDEN},
};

const size_t cli_ncommands = sizeof cli_commands / sizeof cli_commands[0];

const cli_command *cli_command_find(const char *name)
{
    for (size_t i = 0; i < cli_ncommands; i++)
        if (strcmp(cli_commands[i].name, name) == 0) return &cli_commands[i];
    return NULL;
}
