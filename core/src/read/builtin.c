/* The table of built-in readers and the sniffing of a file's format from its first bytes. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "read/read_int.h"

static const kt_plugin_reader *const builtins[] = {&rd_csv_reader, &rd_json_reader,
                                                   &rd_ndjson_reader, &rd_vcf_reader};
#define NBUILTIN (sizeof builtins / sizeof builtins[0])

int rd_is_builtin(const kt_plugin_reader *r)
{
    for (size_t i = 0; i < NBUILTIN; i++)
        if (r == builtins[i]) return 1;
    return 0;
}

const kt_plugin_reader *kt_read_builtin(const char *name)
{
    for (size_t i = 0; name && i < NBUILTIN; i++)
        if (!strcasecmp(builtins[i]->name, name)) return builtins[i];
    return NULL;
}

/* Does "a,b,c" list the ending of path (after its last dot)? */
static int claims(const char *list, const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/')) return 0;
    size_t n = strlen(++dot);
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && !strncasecmp(p, dot, n)) return 1;
        p += len + (p[len] == ',');
    }
    return 0;
}

const kt_plugin_reader *rd_builtin_for_path(const char *path)
{
    for (size_t i = 0; i < NBUILTIN; i++)
        if (claims(builtins[i]->extensions, path)) return builtins[i];
    return NULL;
}

const char *kt_read_sniff(const char *path)
{
    unsigned char b[512];
    FILE *f = fopen(path, "rb");
    if (!f) return "csv";
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    if (n >= 4 && !memcmp(b, "PK\3\4", 4)) return "xlsx";
    size_t i = n >= 3 && !memcmp(b, "\xEF\xBB\xBF", 3) ? 3 : 0;
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
        i++;
    if (i < n && b[i] == '[') return "json";
    if (i < n && b[i] == '{') {
        /* One object per line is NDJSON; an object spread over lines is a JSON document. */
        const unsigned char *nl = memchr(b + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - b) : n;
        while (end > i && (b[end - 1] == '\r' || b[end - 1] == ' ' || b[end - 1] == '\t'))
            end--;
        return nl && end > i && b[end - 1] != '}' ? "json" : "ndjson";
    }
    if (n - i >= 11 && !strncasecmp((const char *)b + i, "BEGIN:VCARD", 11)) return "vcf";
    return "csv";
}
