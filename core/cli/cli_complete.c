/* What the command table becomes outside kt: the man page kt.1, the bash and zsh completion
 * scripts (`kt __generate man|bash|zsh`, run by the build), and `kt __complete`, which those
 * scripts call for the names only a workspace knows: entities, fields, reports, campaigns. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kartoteka/alloc.h"
#include "kartoteka/campaign.h"
#include "kartoteka/report.h"

typedef struct words {
    const char *prefix;
    const char *suffix;
} words;

static void offer(const words *w, const char *name)
{
    if (strncmp(name, w->prefix, strlen(w->prefix)) == 0) printf("%s%s\n", name, w->suffix);
}

static void offer_list(const words *w, const char *list)
{
    char one[64];
    for (const char *p = list; p && *p;) {
        size_t m = strcspn(p, " ");
        snprintf(one, sizeof one, "%.*s", (int)m, p);
        offer(w, one);
        p += m + (p[m] == ' ');
    }
}

static void offer_entities(const words *w, kt_cli *cli)
{
    const kt_registry *r = kt_ws_registry(cli->ws);
    for (size_t i = 0; i < kt_registry_entity_count(r); i++)
        offer(w, kt_registry_entity_at(r, i)->name);
}

/* Fields of one entity ("first_name"), or of all as entity.field when entity is NULL. */
static void offer_fields(const words *w, kt_cli *cli, const char *entity)
{
    const kt_registry *r = kt_ws_registry(cli->ws);
    for (size_t i = 0; i < kt_registry_entity_count(r); i++) {
        const kt_entity *e = kt_registry_entity_at(r, i);
        if (entity && strcmp(e->name, entity) != 0) continue;
        for (size_t j = 0; j < e->nfields; j++) {
            char q[160];
            snprintf(q, sizeof q, "%s%s%s", entity ? "" : e->name, entity ? "" : ".",
                     e->fields[j].name);
            offer(w, q);
        }
    }
}

static int on_campaign(void *ud, const kt_campaign_info *c)
{
    offer(ud, c->name);
    return 0;
}

static void offer_names(const words *w, kt_cli *cli, const char *kind, const char *entity)
{
    if (strcmp(kind, "command") == 0) {
        for (size_t i = 0; i < cli_ncommands; i++)
            if (!(cli_commands[i].flags & CLI_HIDDEN)) offer(w, cli_commands[i].name);
        offer(w, "filter");
        return;
    }
    if (strcmp(kind, "file") == 0 || (!cli->ws && cli_open(cli))) return;
    kt_error err;
    if (strcmp(kind, "entity") == 0)
        offer_entities(w, cli);
    else if (strcmp(kind, "entity.field") == 0)
        offer_fields(w, cli, NULL);
    else if (strcmp(kind, "field") == 0)
        offer_fields(w, cli, entity);
    else if (strcmp(kind, "campaign") == 0)
        (void)kt_campaign_list(cli->ws, on_campaign, (void *)w, &err);
    else if (strcmp(kind, "report") == 0) {
        const char *dirs[4];
        size_t ndirs, n = 0;
        kt_report_info *infos = NULL;
        cli_script_dirs(dirs, &ndirs, 4);
        if (kt_report_list(cli->ws, dirs, ndirs, &infos, &n, &err) == KT_OK)
            for (size_t i = 0; i < n; i++)
                offer(w, infos[i].name);
        kt_report_infos_free(infos, n);
    }
}

static const char *option_values(const char *cmd, const char *option)
{
    if (strcmp(option, "--format") == 0)
        return strcmp(cmd, "report") == 0   ? "table csv json svg"
               : strcmp(cmd, "import") == 0 ? "csv json ndjson vcf xlsx"
                                            : "csv json ndjson vcf";
    if (strcmp(option, "--on-match") == 0) return "update skip merge create";
    if (strcmp(option, "--status") == 0) return "queued sent failed";
    return NULL;
}

/* kt __complete INDEX WORD...: WORD 0 is the command; prints the candidates for WORD INDEX. */
int cmd_complete(kt_cli *cli, int argc, char **argv)
{
    if (argc < 2) return EX_USAGE_;
    if (!freopen("/dev/null", "w", stderr)) return EX_IOERR_; /* a shell is reading */
    int index = atoi(argv[1]);
    char **word = argv + 2;
    int nword = argc - 2;
    /* kt -C DIR COMMAND ...: the folder names the workspace. */
    while (nword >= 2 && index >= 2 && strcmp(word[0], "-C") == 0) {
        cli->dir = word[1];
        word += 2, nword -= 2, index -= 2;
    }
    if (index < 0 || index > nword) return 0;
    words w = {index < nword ? word[index] : "", ""};
    if (index == 0) {
        offer_names(&w, cli, "command", NULL);
        return 0;
    }
    const cli_command *c = cli_command_find(word[0]);
    if (!c || (c->flags & CLI_HIDDEN)) return 0;
    const char *prev = word[index - 1];
    const cli_option *po = prev[0] == '-' ? cli_find_option(c, prev, strlen(prev)) : NULL;
    if (po && po->arg) {
        if (strcmp(po->name, "--where") == 0 && nword > 1)
            offer_names(&w, cli, "field", word[1]);
        else if (strcmp(po->name, "--campaign") == 0)
            offer_names(&w, cli, "campaign", NULL);
        else
            offer_list(&w, option_values(c->name, po->name));
        return 0;
    }
    if (w.prefix[0] == '-') {
        for (const cli_option *o = c->options; o->name; o++)
            offer(&w, o->name);
        offer(&w, "--help");
        return 0;
    }
    int pos = 0; /* which operand is being completed */
    for (int i = 1; i < index; i++) {
        const cli_option *o =
            word[i][0] == '-' ? cli_find_option(c, word[i], strlen(word[i])) : NULL;
        if (o && o->arg && !strchr(word[i], '='))
            i++;
        else if (word[i][0] != '-')
            pos++;
    }
    if (c->subcommands && pos == 0) {
        offer_list(&w, c->subcommands);
        if (c->operand && strcmp(c->operand, "report") == 0) offer_names(&w, cli, "report", NULL);
    } else if (c->subcommands && pos == 1 && c->operand && strcmp(c->operand, "report") != 0) {
        offer_names(&w, cli, c->operand, NULL);
    } else if (!c->subcommands && pos == 0 && c->operand) {
        offer_names(&w, cli, c->operand, NULL);
    } else if (strcmp(c->name, "add") == 0 && pos >= 1) {
        w.suffix = "=";
        offer_names(&w, cli, "field", word[1]);
    }
    return 0;
}

/* roff: a backslash is \e, a line may not start with . or ', a minus is \-. */
static void roff(const char *s)
{
    if (*s == '.' || *s == '\'') fputs("\\&", stdout);
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\e", stdout);
        else if (*s == '-')
            fputs("\\-", stdout);
        else
            putchar(*s);
    }
}

static void roff_lines(const char *text, const char *before)
{
    while (text && *text) {
        size_t n = strcspn(text, "\n");
        char line[512];
        snprintf(line, sizeof line, "%s%.*s", before, (int)n, text);
        roff(line);
        fputs("\n.br\n", stdout);
        text += n + (text[n] == '\n');
    }
}

static void man_page(void)
{
    puts(".TH KT 1 \"\" \"Kartoteka " KT_CLI_VERSION "\" \"User Commands\"\n"
         ".SH NAME\nkt \\- Kartoteka, a customer database a business shapes itself\n"
         ".SH SYNOPSIS\n.B kt\n[\\fB\\-C\\fR \\fIDIR\\fR] [\\fB\\-q\\fR | \\fB\\-v\\fR] "
         "\\fICOMMAND\\fR [\\fIARGS\\fR]\n"
         ".SH DESCRIPTION\nThe workspace is DIR (\\fB\\-C\\fR), else \\fB$KT_WORKSPACE\\fR, else "
         "the nearest folder upwards holding \\fIkartoteka.lua\\fR. Every command that prints "
         "data takes \\fB\\-\\-json\\fR; an option a command does not take is an error. "
         "Colour only on a terminal and never with \\fBNO_COLOR\\fR; progress on stderr only "
         "on a terminal.\n"
         ".SH OPTIONS");
    for (const cli_global *g = cli_globals; g->help; g++) {
        fputs(".TP\n\\fB", stdout);
        roff(g->short_name ? g->short_name : g->long_name);
        if (g->short_name && g->long_name) {
            fputs("\\fR, \\fB", stdout);
            roff(g->long_name);
        }
        fputs("\\fR", stdout);
        if (g->arg) {
            fputs(" \\fI", stdout);
            roff(g->arg);
            fputs("\\fR", stdout);
        }
        putchar('\n');
        roff(g->help);
        putchar('\n');
    }
    puts(".SH COMMANDS");
    for (size_t i = 0; i < cli_ncommands; i++) {
        const cli_command *c = &cli_commands[i];
        if (c->flags & CLI_HIDDEN) continue;
        printf(".SS %s\n", c->name);
        roff_lines(c->synopsis, "kt ");
        roff(c->summary);
        puts(".");
        for (const cli_option *o = c->options; o->name; o++) {
            fputs(".TP\n\\fB", stdout);
            roff(o->name);
            fputs("\\fR", stdout);
            if (o->arg) {
                fputs(" \\fI", stdout);
                roff(o->arg);
                fputs("\\fR", stdout);
            }
            putchar('\n');
            roff(o->help);
            putchar('\n');
        }
        if (c->examples && c->examples[0]) {
            puts(".PP\nExamples:\n.RS\n.nf");
            roff_lines(c->examples, "");
            puts(".fi\n.RE");
        }
    }
    puts(".SH FILTERS\nSee \\fBkt help filter\\fR: NAME = VALUE, !=, <, <=, >, >=, ~ (contains), "
         "is null, is not null, in (A, B), joined by and; today, today\\-7, this_month on dates.\n"
         ".SH ENVIRONMENT\n.TP\n\\fBKT_WORKSPACE\\fR\nthe workspace folder\n.TP\n"
         "\\fBKT_TODAY\\fR, \\fBKT_NOW\\fR\nthe date and time kt takes as now (for tests)\n.TP\n"
         "\\fBNO_COLOR\\fR\nno colour in output\n.TP\n\\fBKT_PROGRESS_DELAY_MS\\fR\n"
         "how long work runs before its progress line shows (default 1000; for tests)\n"
         ".SH EXIT STATUS\n0 ok, 64 usage, 65 bad data, 66 a missing record or file, 70 internal, "
         "73 cannot create, 74 i/o, 75 busy (try again).");
}

/* One shell case branch per command listing its options: before takes the command's name. */
static void option_cases(const char *before, const char *after)
{
    for (size_t i = 0; i < cli_ncommands; i++) {
        const cli_command *c = &cli_commands[i];
        if (c->flags & CLI_HIDDEN) continue;
        printf(before, c->name);
        for (const cli_option *o = c->options; o->name; o++)
            printf(" %s", o->name);
        printf(" --help");
        puts(after);
    }
}

static void bash_script(void)
{
    puts("# bash completion for kt, made from its command table by `kt __generate bash`.");
    puts("_kt() {\n    local cur=${COMP_WORDS[COMP_CWORD]} words\n    COMPREPLY=()");
    fputs("    if [ \"$COMP_CWORD\" -eq 1 ]; then\n        words=\"", stdout);
    for (size_t i = 0; i < cli_ncommands; i++)
        if (!(cli_commands[i].flags & CLI_HIDDEN))
            printf("%s%s", i ? " " : "", cli_commands[i].name);
    for (const cli_global *g = cli_globals; g->help; g++)
        printf("%s%s%s%s", g->short_name ? " " : "", g->short_name ? g->short_name : "",
               g->long_name ? " " : "", g->long_name ? g->long_name : "");
    puts("\"\n    elif [[ $cur == -* ]]; then\n        case ${COMP_WORDS[1]} in");
    option_cases("        %s) words=\"", "\" ;;");
    puts("        esac\n    else\n        local IFS=$'\\n'\n"
         "        COMPREPLY=($(kt __complete $((COMP_CWORD - 1)) \"${COMP_WORDS[@]:1}\" "
         "2>/dev/null))\n"
         "        [ ${#COMPREPLY[@]} -eq 0 ] && compopt -o default 2>/dev/null\n"
         "        [[ ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null\n"
         "        return 0\n    fi\n    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n}\n"
         "complete -F _kt kt");
}

static void zsh_script(void)
{
    puts("#compdef kt\n# zsh completion for kt, made from its command table by `kt __generate "
         "zsh`.");
    puts("_kt() {\n  local -a cands\n  if (( CURRENT == 2 )); then\n    cands=(");
    for (size_t i = 0; i < cli_ncommands; i++) {
        const cli_command *c = &cli_commands[i];
        if (c->flags & CLI_HIDDEN) continue;
        printf("      '%s:", c->name);
        for (const char *s = c->summary; *s; s++) {
            if (*s == '\'')
                fputs("'\\''", stdout);
            else if (*s == ':')
                fputs("\\:", stdout);
            else
                putchar(*s);
        }
        puts("'");
    }
    puts("    )\n    _describe 'command' cands\n    return\n  fi\n  if [[ $PREFIX == -* ]]; then\n"
         "    case $words[2] in");
    option_cases("      %s) cands=(", " ) ;;");
    puts("    esac\n    compadd -a cands\n    return\n  fi\n"
         "  cands=(${(f)\"$(kt __complete $((CURRENT - 2)) ${words[2,-1]} 2>/dev/null)\"})\n"
         "  if (( ${#cands} )); then compadd -Q -a cands; else _files; fi\n}\n_kt \"$@\"");
}

int cmd_generate(kt_cli *cli, int argc, char **argv)
{
    (void)cli;
    if (argc < 2 || argc > 3 || !cli_word_in("man bash zsh", argv[1]))
        return cli_usage("usage: kt __generate man|bash|zsh [FILE]");
    if (argc == 3 && !freopen(argv[2], "w", stdout)) {
        fprintf(stderr, "kt: cannot write %s\n", argv[2]);
        return EX_CANTCREAT_;
    }
    if (argv[1][0] == 'm')
        man_page();
    else if (argv[1][0] == 'b')
        bash_script();
    else
        zsh_script();
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : EX_IOERR_;
}
