/* kt help, kt COMMAND --help, and the refusal of options a command does not take: all read
 * from the command table. */
#include <string.h>

#include "cli.h"
#include "kartoteka/match.h"

static const char filter_help[] =
    "FILTER (kt list --where, kt export --where) is one or more conditions joined by \"and\":\n"
    "\n"
    "  NAME = VALUE       equal (a set field: contains VALUE); NAME = '' is empty\n"
    "  NAME != VALUE      not equal (also <>)\n"
    "  NAME < <= > >= V   ordered by the field's type (numbers, dates, text)\n"
    "  NAME ~ TEXT        contains TEXT, insensitive to case and diacritics\n"
    "  NAME is null       empty;  NAME is not null: filled\n"
    "  NAME in (A, B)     one of the values\n"
    "\n"
    "Blanks around operators are optional. Quote a value with ' or \" to keep blanks or an\n"
    "\"and\" in it ('O''Brien': a doubled quote is one quote). Values are read by the field's\n"
    "type (birth_date = 17.05.1980 works) and always passed as parameters, never as SQL.\n"
    "On a date or datetime field, today, today-7, today+1, this_month and this_year count from\n"
    "the workspace's today (settings.timezone; KT_TODAY overrides it for tests).\n"
    "\n"
    "examples:\n"
    "  kt list person --where \"external_id = 'C1'\"\n"
    "  kt list task --where \"due <= today and state != done\"\n"
    "  kt list person --where \"birth_date = this_month and email is not null\"\n"
    "  kt list person --where \"city in ('Kraków', 'Gdańsk')\" --where \"last_name ~ zolk\"\n";

void cli_print_usage(FILE *out)
{
    fprintf(out, "usage: kt [-C DIR] [-q | -v] COMMAND [ARGS]\n\noptions:\n");
    for (const cli_global *g = cli_globals; g->help; g++) {
        char head[48];
        snprintf(head, sizeof head, "%s%s%s%s%s", g->short_name ? g->short_name : "",
                 g->short_name && g->long_name ? ", " : "", g->long_name ? g->long_name : "",
                 g->arg ? " " : "", g->arg ? g->arg : "");
        fprintf(out, "  %-16s %s\n", head, g->help);
    }
    fprintf(out, "\ncommands:\n");
    for (size_t i = 0; i < cli_ncommands; i++) {
        const cli_command *c = &cli_commands[i];
        if (c->flags & CLI_HIDDEN) continue;
        fprintf(out, "  %-10s %s\n", c->name, c->summary);
    }
    fprintf(out,
            "\nkt help COMMAND (or kt COMMAND --help) shows its usage and examples; kt help "
            "filter the --where language.\nThe workspace is DIR (-C), else $KT_WORKSPACE, else the "
            "nearest folder upwards holding kartoteka.lua.\nExit codes: 0 ok, 64 usage, 65 bad "
            "data, 66 missing record or file, 70 internal, 73 cannot create, 74 i/o, 75 busy "
            "(try again).\n");
}

static void print_lines(FILE *out, const char *prefix, const char *text)
{
    while (text && *text) {
        size_t n = strcspn(text, "\n");
        fprintf(out, "%s%.*s\n", prefix, (int)n, text);
        text += n + (text[n] == '\n');
    }
}

void cli_print_command_help(FILE *out, const cli_command *c)
{
    fprintf(out, "usage:\n");
    print_lines(out, "  kt ", c->synopsis);
    fprintf(out, "\n%s.\n", c->summary);
    if (c->options[0].name) {
        fprintf(out, "\noptions:\n");
        for (const cli_option *o = c->options; o->name; o++) {
            char head[64];
            snprintf(head, sizeof head, "%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
            fprintf(out, "  %-24s %s\n", head, o->help);
        }
    }
    if (c->examples && c->examples[0]) {
        fprintf(out, "\nexamples:\n");
        print_lines(out, "  ", c->examples);
    }
    if (strcmp(c->name, "list") == 0 || strcmp(c->name, "export") == 0)
        fprintf(out, "\nFILTER: see kt help filter.\n");
}

int cmd_help(kt_cli *cli, int argc, char **argv)
{
    (void)cli;
    if (argc == 1) {
        cli_print_usage(stdout);
        return 0;
    }
    if (argc > 2) return cli_usage("usage: kt help [COMMAND|filter]");
    if (strcmp(argv[1], "filter") == 0 || strcmp(argv[1], "where") == 0) {
        fputs(filter_help, stdout);
        return 0;
    }
    const cli_command *c = cli_command_find(argv[1]);
    if (c && !(c->flags & CLI_HIDDEN)) {
        cli_print_command_help(stdout, c);
        return 0;
    }
    const char *names[64];
    size_t n = 0;
    for (size_t i = 0; i < cli_ncommands && n < 63; i++)
        if (!(cli_commands[i].flags & CLI_HIDDEN)) names[n++] = cli_commands[i].name;
    names[n++] = "filter";
    const char *near = kt_match_suggest(argv[1], names, n);
    return cli_usage("there is no command or topic '%s'%s%s%s (see kt help)", argv[1],
                     near ? " (did you mean " : "", near ? near : "", near ? "?)" : "");
}

int cli_word_in(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; p && *p;) {
        size_t m = strcspn(p, " ");
        if (m == n && strncmp(p, word, n) == 0) return 1;
        p += m + (p[m] == ' ');
    }
    return 0;
}

const cli_option *cli_find_option(const cli_command *c, const char *name, size_t len)
{
    for (const cli_option *o = c->options; o->name; o++)
        if (strlen(o->name) == len && strncmp(o->name, name, len) == 0) return o;
    return NULL;
}

int cli_check_options(const cli_command *c, int argc, char **argv)
{
    int operands = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) return 0;
        int is_option = a[0] == '-' && ((a[1] == '-' && a[2]) || (a[1] >= 'a' && a[1] <= 'z') ||
                                        (a[1] >= 'A' && a[1] <= 'Z'));
        if (!is_option) {
            /* kt run SCRIPT ARGS..., kt report NAME --PARAM V: the rest is theirs. */
            if (++operands == 1 && (c->flags & CLI_OPEN_ARGS) && !cli_word_in(c->subcommands, a))
                return 0;
            continue;
        }
        size_t len = strcspn(a, "=");
        const cli_option *o = cli_find_option(c, a, len);
        if (o) {
            if (o->arg && !a[len]) i++; /* its value, whatever it looks like */
            continue;
        }
        const char *names[48];
        size_t n = 0;
        for (const cli_option *p = c->options; p->name && n < 47; p++)
            names[n++] = p->name;
        names[n++] = "--help";
        char word[64];
        snprintf(word, sizeof word, "%.*s", (int)(len < 63 ? len : 63), a);
        const char *near = kt_match_suggest(word, names, n);
        if (near)
            return cli_usage("unknown option %s for kt %s (did you mean %s?); see kt %s --help",
                             word, c->name, near, c->name);
        return cli_usage("unknown option %s for kt %s; see kt %s --help", word, c->name, c->name);
    }
    return 0;
}
