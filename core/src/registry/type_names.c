#include <string.h>

#include "kartoteka/registry.h"

static const char *const names[] = {
    [KT_TYPE_TEXT] = "text",   [KT_TYPE_INTEGER] = "integer", [KT_TYPE_DECIMAL] = "decimal",
    [KT_TYPE_DATE] = "date",   [KT_TYPE_DATETIME] = "datetime", [KT_TYPE_BOOL] = "bool",
    [KT_TYPE_ENUM] = "enum",   [KT_TYPE_SET] = "set",         [KT_TYPE_EMAIL] = "email",
    [KT_TYPE_PHONE] = "phone", [KT_TYPE_URL] = "url",         [KT_TYPE_REF] = "ref",
};

const char *kt_type_name(kt_type_kind kind)
{
    if ((size_t)kind < sizeof names / sizeof names[0]) return names[kind];
    return "external";
}

kt_type_kind kt_type_kind_of(const char *name)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i], name) == 0) return (kt_type_kind)i;
    return KT_TYPE_EXTERNAL;
}

int kt_registry_valid_name(const char *s)
{
    static const char *const reserved[] = {"id", "entity", "state", "merged_into", "created_at",
                                           "updated_at", "batch", "rowid", NULL};
    size_t n = strlen(s);
    if (n == 0 || n > 63 || !(s[0] >= 'a' && s[0] <= 'z')) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return 0;
    }
    if (strncmp(s, "kt_", 3) == 0 || strncmp(s, "sqlite", 6) == 0) return 0;
    for (size_t i = 0; reserved[i]; i++)
        if (strcmp(s, reserved[i]) == 0) return 0;
    return 1;
}
