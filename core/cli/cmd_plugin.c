/* kt plugin list: what is loaded, its version and what it registered. */
#include <string.h>

#include "cli.h"

static const char *kind_name(kt_ext_kind k)
{
    switch (k) {
    case KT_EXT_TYPE: return "type";
    case KT_EXT_FUNCTION: return "function";
    case KT_EXT_READER: return "reader";
    case KT_EXT_CHANNEL: return "channel";
    case KT_EXT_RULE: return "rule";
    case KT_EXT_DEFAULT: return "default";
    case KT_EXT_DUPE: return "duplicate check";
    case KT_EXT_IMPORT_MAP: return "import map";
    case KT_EXT_CAMPAIGN: return "campaign";
    case KT_EXT_REPORT: return "report";
    case KT_EXT_ACCESS: return "access rule";
    case KT_EXT_WEBHOOK: return "webhook";
    case KT_EXT_REPORT_FILES: return "report files";
    }
    return "?";
}

int cmd_plugin(kt_cli *cli, int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[1], "list") != 0) return cli_usage("usage: kt plugin list [--json]");
    int rc = cli_open(cli);
    if (rc) return rc;
    kt_plugins *p = kt_config_plugins(cli->ws);
    cJSON *a = cli->json ? cJSON_CreateArray() : NULL;
    for (size_t i = 0; i < kt_plugins_count(p); i++) {
        const kt_plugin_info *info = kt_plugins_info(p, i);
        cJSON *o = NULL, *reg = NULL;
        if (a) {
            o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "name", info->name);
            cJSON_AddStringToObject(o, "version", info->version);
            cJSON_AddStringToObject(o, "license", info->license);
            cJSON_AddStringToObject(o, "summary", info->summary);
            cJSON_AddStringToObject(o, "path", info->path);
            reg = cJSON_AddArrayToObject(o, "registered");
            cJSON_AddItemToArray(a, o);
        } else {
            printf("%s %s (%s) — %s\n  %s\n", info->name, info->version, info->license, info->summary, info->path);
        }
        for (size_t j = 0; j < info->registered; j++) {
            const kt_ext_entry *e = kt_plugins_registered(p, i, j);
            if (!e) continue;
            if (reg) {
                cJSON *r = cJSON_CreateObject();
                cJSON_AddStringToObject(r, "kind", kind_name(e->kind));
                cJSON_AddStringToObject(r, "name", e->name);
                cJSON_AddItemToArray(reg, r);
            } else {
                printf("  %-8s %s\n", kind_name(e->kind), e->name);
            }
        }
    }
    if (a) cli_print_json(a);
    return 0;
}
