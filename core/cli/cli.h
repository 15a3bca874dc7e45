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
#define EX_SOFTWARE_ 70
#define EX_CANTCREAT_ 73
#define EX_TEMPFAIL_ 75
#define EX_IOERR_ 74

typedef struct kt_cli {
    const char *dir;      /* -C DIR, or NULL: KT_WORKSPACE, then the current folder upwards */
    const char *argv0;
    kt_ws *ws;            /* opened by cli_open */
    int json;             /* --json given */
} kt_cli;

typedef int (*cli_cmd_fn)(kt_cli *cli, int argc, char **argv);

/* Opens the workspace with its configuration applied. Prints the error and returns the exit
 * code on failure, 0 on success. */
int cli_open(kt_cli *cli);
/* Opens the workspace in dir with its configuration and the duplicate check, printing nothing:
 * cli_open and each of kt serve's workers use it. *out is closed with kt_ws_close. */
kt_status cli_ws_open(const char *dir, kt_ws **out, kt_error *err);
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

/* Prints failures of a save, one per line, to stderr. */
void cli_print_failures(const kt_failures *f);
/* Applies "name=value" arguments to a record (sets take comma-separated values). */
int cli_record_args(kt_cli *cli, kt_record *rec, int argc, char **argv);

/* A record as Kartoteka's JSON object: id, entity, state, then every field. Caller deletes. */
cJSON *cli_record_json(kt_ws *ws, const kt_record *rec);
/* Prints JSON (pretty when stdout is a terminal) and a newline; deletes it. */
void cli_print_json(cJSON *j);

/* Where plugins and shipped scripts are looked for (the build tree or the install). */
void cli_plugin_dirs(const char *dirs[], size_t *n, size_t max);
void cli_script_dirs(const char *dirs[], size_t *n, size_t max);
const char *cli_example_dir(const char *name, char *buf, size_t size);

int cmd_init(kt_cli *cli, int argc, char **argv);
int cmd_add(kt_cli *cli, int argc, char **argv);
int cmd_set(kt_cli *cli, int argc, char **argv);
int cmd_get(kt_cli *cli, int argc, char **argv);
int cmd_archive(kt_cli *cli, int argc, char **argv);
int cmd_restore(kt_cli *cli, int argc, char **argv);
int cmd_history(kt_cli *cli, int argc, char **argv);
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
int cmd_merge(kt_cli *cli, int argc, char **argv);
int cmd_unmerge(kt_cli *cli, int argc, char **argv);
int cmd_import(kt_cli *cli, int argc, char **argv);
int cmd_export(kt_cli *cli, int argc, char **argv);
int cmd_report(kt_cli *cli, int argc, char **argv);
int cmd_user(kt_cli *cli, int argc, char **argv);
int cmd_token(kt_cli *cli, int argc, char **argv);
int cmd_serve(kt_cli *cli, int argc, char **argv);

#endif
