/* The kt command: shared pieces of its command groups. The CLI holds no business logic: it
 * parses arguments, calls the core, prints, and maps statuses to sysexits codes. */
#ifndef KT_CLI_H
#define KT_CLI_H

#include <cjson/cJSON.h>
#include <stdio.h>
#include <unistd.h>

#include "kartoteka/config.h"
#include "kartoteka/dedupe.h"
#include "kartoteka/query.h"
#include "kartoteka/save.h"
#include "kartoteka/workspace.h"

/* sysexits */
#define EX_OK_ 0
#define EX_USAGE_ 64
#define EX_DATAERR_ 65
#define EX_NOINPUT_ 66
#define EX_UNAVAILABLE_ 69
#define EX_SOFTWARE_ 70
#define EX_CANTCREAT_ 73
#define EX_TEMPFAIL_ 75
#define EX_IOERR_ 74

typedef struct kt_cli {
    const char *dir; /* -C DIR, or NULL: KT_WORKSPACE, then the current folder upwards */
    const char *argv0;
    kt_ws *ws; /* opened by cli_open */
    int json;  /* --json given */
} kt_cli;

typedef int (*cli_cmd_fn)(kt_cli *cli, int argc, char **argv);

typedef struct cli_option {
    const char *name; /* "--where" */
    const char *arg;  /* "FILTER" when it takes a value, NULL for a flag */
    const char *help;
} cli_option;

#define CLI_OPEN_ARGS 1u /* words after the first operand are the script's or report's own */
#define CLI_HIDDEN 2u    /* for the completion scripts, not for people */

/* One command of the table in cli_commands.c (all static strings). */
typedef struct cli_command {
    const char *name;
    cli_cmd_fn fn;
    const char *synopsis; /* one form per line, each without the leading "kt " */
    const char *summary;
    const cli_option *options; /* ends with a NULL name */
    const char *examples;      /* command lines, one per line */
    const char *subcommands;   /* "list run", or NULL */
    const char *operand;       /* completes to: entity, entity.field, report, campaign, command,
                                  file, or NULL */
    unsigned flags;
} cli_command;

/* kt's own options (cli_commands.c), ended by an all-NULL entry. */
typedef struct cli_global {
    const char *short_name; /* "-q", or NULL */
    const char *long_name;  /* "--quiet", or NULL */
    const char *arg;        /* "DIR" when it takes a value */
    const char *help;
} cli_global;
extern const cli_global cli_globals[];

extern const cli_command cli_commands[];
extern const size_t cli_ncommands;
const cli_command *cli_command_find(const char *name);

/* Refuses an option the command does not take (exit 64 with a "did you mean"); 0 when all are
 * known. argv[0] is the command's name. */
int cli_check_options(const cli_command *c, int argc, char **argv);
/* Whether word is one of the blank-separated words of list (NULL: none). */
int cli_word_in(const char *list, const char *word);
/* 0, or the exit status after refusing a command that does not yet work on the workspace's
 * store (argv: the command's words, argv[0] its name). */
int cli_store_gate(const kt_cli *cli, const cli_command *c, int argc, char **argv);
/* The command's option named by the first len bytes of name, or NULL. */
const cli_option *cli_find_option(const cli_command *c, const char *name, size_t len);
/* `kt COMMAND --help`: synopsis, options and examples. */
void cli_print_command_help(FILE *out, const cli_command *c);
/* `kt --help`: every command with its summary. */
void cli_print_usage(FILE *out);

/* Opens the workspace with its configuration applied. Prints the error and returns the exit
 * code on failure, 0 on success. */
int cli_open(kt_cli *cli);
/* Opens the workspace in dir with its configuration and the duplicate check, printing nothing:
 * cli_open and each of kt serve's workers use it. *out is closed with kt_ws_close. */
kt_status cli_ws_open(const char *dir, kt_ws **out, kt_error *err);
/* --dry-run of a command whose core call has no dry run of its own (merge, unmerge, import
 * undo, run): the call runs inside a transaction that cli_dry_run_end rolls back, so what it
 * reports is what it would do, and nothing is written. begin returns 0 or an exit code. */
int cli_dry_run_begin(kt_cli *cli);
void cli_dry_run_end(kt_cli *cli);
/* Closes it (safe when not open). */
void cli_close(kt_cli *cli);

/* Prints "kt: message" to stderr and returns the exit code for the status. */
int cli_fail(const kt_error *err);
int cli_exit_code(kt_status st);
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Removes "--json" (and sets cli->json) and other flags from argv: returns 1 when the flag was
 * present. */
int cli_take_flag(int *argc, char **argv, const char *flag);
/* Removes "--name VALUE" (or "--name=VALUE") and returns VALUE, or NULL. */
const char *cli_take_option(int *argc, char **argv, const char *name);
/* kt report NAME [--param value]... (argv[0] "report", argv[1] the name); opens the workspace
 * unless it is open. Used by kt campaign stats. */
int cli_report_run(kt_cli *cli, int argc, char **argv);

/* The one parser of numbers typed on the command line (ids, --limit, BATCH, --max-length...):
 * decimal digits only (a leading '-' too when min < 0), no spaces, signs or trailing text, and
 * within [min, max] — so "99999999999999999999999" and "-1; DROP" are refused rather than
 * clamped or cut short. what names the argument in the message. Returns 0 with *out set, or
 * prints why and returns EX_USAGE_. */
int cli_number(const char *what, const char *text, long long min, long long max, long long *out);
/* A record id (1 and up): cli_number("a record id", ...). */
int cli_id(const char *text, kt_id *out);

/* Prints failures of a save, one per line, to stderr. */
void cli_print_failures(const kt_failures *f);
/* Applies "name=value" arguments to a record (sets take comma-separated values). */
int cli_record_args(kt_cli *cli, kt_record *rec, int argc, char **argv);

/* A record as Kartoteka's JSON object: id, entity, state, then every field. Caller deletes. */
cJSON *cli_record_json(kt_ws *ws, const kt_record *rec);
/* Prints JSON (pretty when stdout is a terminal) and a newline; deletes it. */
void cli_print_json(cJSON *j);

/* A table for people (cli_table.c): cells copied in, columns fitted to the terminal. */
typedef struct cli_table {
    size_t ncols;
    const char *const *head; /* borrowed: ncols names */
    char **cells;            /* owned: nrows * ncols */
    size_t nrows, cap;
    int keep_empty; /* show columns with no value in any row (asked for by name) */
} cli_table;
void cli_table_init(cli_table *t, size_t ncols, const char *const *head);
int cli_table_add(cli_table *t, const char *const *row); /* -1 when out of memory */
void cli_table_print(cli_table *t, FILE *out);
void cli_table_free(cli_table *t);
/* Columns of the terminal on stdout, 0 when stdout is not a terminal. */
int cli_terminal_width(void);
/* kt get's sections: the records whose ref fields point at r (a company's people, deals...). */
void cli_print_related(kt_cli *cli, const kt_record *r);

/* Where plugins and shipped scripts are looked for (the build tree or the install). */
void cli_plugin_dirs(const char *dirs[], size_t *n, size_t max);
void cli_script_dirs(const char *dirs[], size_t *n, size_t max);
const char *cli_example_dir(const char *name, char *buf, size_t size);

/* cli_term.c: -q/-v, colour and progress, one place for each. */
void cli_set_verbosity(int v); /* -1 for -q, 1 for -v */
int cli_quiet(void);
int cli_verbose(void);
/* Colour on f: a terminal, NO_COLOR unset or empty, TERM not dumb. */
int cli_color(FILE *f);
/* The escape sequence for "error", "warning", "head" or "off" when f takes colour, else "". */
const char *cli_sgr(FILE *f, const char *code);
/* A confirmation or summary for people on stdout ("3 messages cancelled"): not with -q. */
void cli_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* What kt is doing, on stderr: only with -v. */
void cli_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The progress line: begun by main, fed by the core through the workspace's callback
 * (cli_progress_attach, done by cli_open) or an import's; drawn on stderr when it is a
 * terminal, not with -q, and only after the first second. cli_progress_clear wipes it before
 * other output. */
void cli_progress_begin(void);
int cli_progress_on(void);
void cli_progress(const char *what, long done, long total);
void cli_progress_clear(void);
void cli_progress_attach(kt_cli *cli);
/* For work that counts nothing the core can report (a report's SQL): a thread shows "task: N s"
 * on the same terms until cli_progress_clear. task is borrowed until then. */
void cli_progress_ticker(const char *task);

int cmd_init(kt_cli *cli, int argc, char **argv);
int cmd_add(kt_cli *cli, int argc, char **argv);
int cmd_set(kt_cli *cli, int argc, char **argv);
int cmd_get(kt_cli *cli, int argc, char **argv);
int cmd_archive(kt_cli *cli, int argc, char **argv);
int cmd_restore(kt_cli *cli, int argc, char **argv);
int cmd_history(kt_cli *cli, int argc, char **argv);
int cmd_access_log(kt_cli *cli, int argc, char **argv);
int cmd_list(kt_cli *cli, int argc, char **argv);
int cmd_find(kt_cli *cli, int argc, char **argv);
int cmd_field(kt_cli *cli, int argc, char **argv);
int cmd_run(kt_cli *cli, int argc, char **argv);
int cmd_test(kt_cli *cli, int argc, char **argv);
int cmd_check(kt_cli *cli, int argc, char **argv);
int cmd_plugin(kt_cli *cli, int argc, char **argv);
int cmd_campaign(kt_cli *cli, int argc, char **argv);
int cmd_due(kt_cli *cli, int argc, char **argv);
int cmd_outbox(kt_cli *cli, int argc, char **argv);
int cmd_dupes(kt_cli *cli, int argc, char **argv);
int dupes_train_cmd(kt_cli *cli, const char *entity); /* kt dupes train ENTITY */
int dupes_model_cmd(kt_cli *cli, const char *entity); /* kt dupes model ENTITY */
/* kt dupes review ENTITY [--json] [--limit N] (argv[0] "review") */
int dupes_review_cmd(kt_cli *cli, int argc, char **argv);
/* kt dupes label ENTITY A B same|distinct|clear (argv[0] "label") */
int dupes_label_cmd(kt_cli *cli, int argc, char **argv);
/* The explanation of a pair as --explain prints it. */
void dupes_explain_plain(const kt_dedupe_explain *e);
/* kt dupes --between A B: checks both are import batches and sets opts->batch (0, or the exit
 * code after saying why). */
int dupes_between(kt_cli *cli, const char *a, const char *b, kt_dupes_opts *opts);
/* kt dupes --stats: how the candidate pairs came about, and the memory they took. */
void dupes_print_stats(kt_cli *cli, const kt_dedupe_rule *r, const kt_dupes_opts *opts,
                       const kt_dupes *d);
/* kt dupes --compared: every candidate pair. */
void dupes_print_compared(kt_cli *cli, const kt_dupes *d);
int cmd_merge(kt_cli *cli, int argc, char **argv);
int cmd_consent(kt_cli *cli, int argc, char **argv);
int cmd_unmerge(kt_cli *cli, int argc, char **argv);
int cmd_import(kt_cli *cli, int argc, char **argv);
int cmd_export(kt_cli *cli, int argc, char **argv);
int cmd_report(kt_cli *cli, int argc, char **argv);
int cmd_help(kt_cli *cli, int argc, char **argv);
int cmd_complete(kt_cli *cli, int argc, char **argv);
int cmd_generate(kt_cli *cli, int argc, char **argv);
int cmd_backup(kt_cli *cli, int argc, char **argv);
int cli_restore_db(kt_cli *cli, int argc, char **argv);
int cmd_user(kt_cli *cli, int argc, char **argv);
int cmd_token(kt_cli *cli, int argc, char **argv);
int cmd_serve(kt_cli *cli, int argc, char **argv);
int cmd_person(kt_cli *cli, int argc, char **argv);
/* kt due's retention step (cmd_person.c): applies the retention declarations as of now (NULL:
 * today), or with dry_run lists who they would reach; *list (caller deletes) holds the records
 * for --json. Returns 0 or the exit code, the error printed. */
int cli_retention(kt_cli *cli, const char *now, int dry_run, cJSON **list);

#endif
