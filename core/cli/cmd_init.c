#include <string.h>

#include "cli.h"
#include "kartoteka/output.h"

/* Editors with lua-language-server complete kt. and the declarations from the shipped types. */
static void write_luarc(const char *dir)
{
    const char *sdirs[4];
    size_t n;
    cli_script_dirs(sdirs, &n, 4);
    char path[4096];
    snprintf(path, sizeof path, "%s/.luarc.json", dir);
    if (n == 0 || access(path, F_OK) == 0) return;
    cJSON *o = cJSON_CreateObject(), *lib = cJSON_CreateArray(), *globals = cJSON_CreateArray();
    char types[4096];
    snprintf(types, sizeof types, "%s/types", sdirs[0]);
    cJSON_AddItemToArray(lib, cJSON_CreateString(types));
    static const char *const g[] = {"kt", "entity", "field", "rule", "plugin", "settings", "dedupe", "campaign"};
    for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) cJSON_AddItemToArray(globals, cJSON_CreateString(g[i]));
    cJSON_AddStringToObject(o, "runtime.version", "Lua 5.4");
    cJSON_AddItemToObject(o, "workspace.library", lib);
    cJSON_AddItemToObject(o, "diagnostics.globals", globals);
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    kt_output *out = NULL;
    kt_error err;
    /* a convenience: when it cannot be written the workspace works all the same */
    if (text && !kt_output_open(NULL, path, 0, &out, &err)) {
        fputs(text, kt_output_file(out));
        fputc('\n', kt_output_file(out));
        if (kt_output_commit(out, &err)) fprintf(stderr, "kt: warning: %s\n", err.message);
    }
    cJSON_free(text);
}

int cmd_init(kt_cli *cli, int argc, char **argv)
{
    const char *example = cli_take_option(&argc, argv, "--example");
    const char *store = cli_take_option(&argc, argv, "--store");
    if (argc > 2) return cli_usage("usage: kt init [DIR] [--example NAME] [--store URL]");
    const char *dir = argc == 2 ? argv[1] : (cli->dir ? cli->dir : ".");
    char buf[4096];
    const char *from = NULL;
    if (example && !(from = cli_example_dir(example, buf, sizeof buf))) {
        fprintf(stderr, "kt: there is no example named '%s' (try pet-shop)\n", example);
        return EX_NOINPUT_;
    }
    kt_error err;
    if (kt_ws_create_in(dir, from, store, &err)) return cli_fail(&err);
    /* open once with the configuration, so a broken example fails here and not later */
    kt_cli c2 = *cli;
    c2.dir = dir;
    int rc = cli_open(&c2);
    cli_close(&c2);
    if (rc) return rc;
    write_luarc(dir);
    if (!cli->json) printf("made a Kartoteka workspace in %s%s%s\n", dir, example ? " from " : "", example ? example : "");
    return 0;
}
