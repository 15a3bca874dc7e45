#include "kartoteka/ext.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "kartoteka/alloc.h"
#include "kartoteka/import_map.h"
#include "kartoteka/save.h"
#include "ext/ext_internal.h"

/* Names are what kartoteka.lua and scripts type ("pl.nip", "phone.e164"), and they end up in
 * Lua tables and SQL function names, so they are held to a small safe alphabet. */
#define NAME_MAX_LEN 64

struct kt_ext {
    kt_ext_entry *entries;
    size_t count;
    size_t cap;
};

const char *kt_ext_kind_word(kt_ext_kind kind)
{
    switch (kind) {
    case KT_EXT_TYPE:
        return "field type";
    case KT_EXT_FUNCTION:
        return "function";
    case KT_EXT_READER:
        return "reader";
    case KT_EXT_CHANNEL:
        return "channel";
    case KT_EXT_RULE:
        return "rule";
    case KT_EXT_DEFAULT:
        return "default";
    case KT_EXT_DUPE:
        return "duplicate check";
    case KT_EXT_IMPORT_MAP:
        return "import map";
    case KT_EXT_CAMPAIGN:
        return "campaign";
    case KT_EXT_REPORT:
        return "report";
    case KT_EXT_ACCESS:
        return "access rule";
    case KT_EXT_WEBHOOK:
        return "webhook";
    case KT_EXT_REPORT_FILES:
        return "report files";
    }
    return NULL;
}

/* The item's own name: every kind keeps it as its first member, but reading it through the
 * right type keeps that an implementation detail of plugin.h rather than an assumption here. */
static const char *item_name(kt_ext_kind kind, const void *item)
{
    switch (kind) {
    case KT_EXT_TYPE:
        return ((const kt_plugin_type *)item)->name;
    case KT_EXT_FUNCTION:
        return ((const kt_plugin_function *)item)->name;
    case KT_EXT_READER:
        return ((const kt_plugin_reader *)item)->name;
    case KT_EXT_CHANNEL:
        return ((const kt_plugin_channel *)item)->name;
    case KT_EXT_RULE:
        return ((const kt_rule *)item)->name;
    case KT_EXT_DEFAULT:
        return ((const kt_ext_default *)item)->name;
    case KT_EXT_DUPE:
        return ((const kt_ext_dupe *)item)->name;
    case KT_EXT_IMPORT_MAP:
        return ((const kt_ext_import_map *)item)->name;
    case KT_EXT_CAMPAIGN:
        return ((const kt_ext_campaign *)item)->name;
    case KT_EXT_REPORT:
        return ((const kt_plugin_report *)item)->name;
    case KT_EXT_ACCESS:
        return ((const kt_ext_access *)item)->name;
    case KT_EXT_WEBHOOK:
        return ((const kt_ext_webhook *)item)->name;
    case KT_EXT_REPORT_FILES:
        return ((const kt_ext_report_files *)item)->name;
    }
    return NULL;
}

/* Only the first four kinds' names become Lua and SQL names; a rule or a default keeps the name
 * kartoteka.lua gave it, as it always has. */
static int name_strict(kt_ext_kind kind)
{
    return kind <= KT_EXT_CHANNEL;
}

/* [a-z][a-z0-9_]* segments joined by single dots. */
static int name_ok(const char *s)
{
    size_t n = 0;
    int seg_start = 1;
    for (; s[n]; n++) {
        char c = s[n];
        if (n >= NAME_MAX_LEN) return 0;
        if (c == '.') {
            if (seg_start) return 0;
            seg_start = 1;
            continue;
        }
        if (seg_start && !(c >= 'a' && c <= 'z')) return 0;
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return 0;
        seg_start = 0;
    }
    return n > 0 && !seg_start;
}

kt_ext *kt_ext_new(void)
{
    return kt_calloc(1, sizeof(kt_ext));
}

static void entry_release(kt_ext_entry *e)
{
    kt_free((char *)e->name);
    kt_free((char *)e->origin);
    if (e->release) e->release((void *)e->item);
}

void kt_ext_free(kt_ext *x)
{
    if (!x) return;
    for (size_t i = 0; i < x->count; i++)
        entry_release(&x->entries[i]);
    kt_free(x->entries);
    kt_free(x);
}

void kt_ext_truncate(kt_ext *x, size_t count)
{
    while (x->count > count)
        entry_release(&x->entries[--x->count]);
}

static const kt_ext_entry *find(const kt_ext *x, kt_ext_kind kind, const char *name)
{
    if (!x || !name) return NULL;
    for (size_t i = 0; i < x->count; i++)
        if (x->entries[i].kind == kind && strcmp(x->entries[i].name, name) == 0)
            return &x->entries[i];
    return NULL;
}

static kt_status add(kt_ext *x, kt_ext_kind kind, const void *item, const char *origin,
                     void (*release)(void *), kt_error *err)
{
    if (!x || !item || !kt_ext_kind_word(kind))
        return kt_error_set(err, KT_USAGE, "kt_ext_add: no registry, item or valid kind");
    const char *name = item_name(kind, item);
    const char *kind_word = kt_ext_kind_word(kind);
    if (!name || (!name_strict(kind) && !name[0]))
        return kt_error_set(err, KT_INVALID, "a %s without a name", kind_word);
    if (name_strict(kind) && !name_ok(name))
        return kt_error_set(err, KT_INVALID,
                            "%s name '%.64s' is malformed: use lowercase letters, digits and '_' "
                            "in dot-separated parts, at most %d characters (\"pl.nip\")",
                            kind_word, name, NAME_MAX_LEN);
    const kt_ext_entry *dup = find(x, kind, name);
    if (dup)
        return kt_error_set(err, KT_EXISTS, "%s '%s' is already registered by '%s'", kind_word,
                            name, dup->origin);
    if (x->count == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 16;
        kt_ext_entry *grown = kt_realloc(x->entries, cap * sizeof *grown);
        if (!grown) return kt_error_set(err, KT_NOMEM, "out of memory registering '%s'", name);
        x->entries = grown;
        x->cap = cap;
    }
    kt_ext_entry e = {kind, kt_strdup(name), kt_strdup(origin ? origin : "core"), item, NULL};
    if (!e.name || !e.origin) {
        entry_release(&e);
        return kt_error_set(err, KT_NOMEM, "out of memory registering '%s'", name);
    }
    e.release = release;
    x->entries[x->count++] = e;
    return KT_OK;
}

kt_status kt_ext_add(kt_ext *x, kt_ext_kind kind, const void *item, const char *origin,
                     kt_error *err)
{
    return add(x, kind, item, origin, NULL, err);
}

kt_status kt_ext_add_owned(kt_ext *x, kt_ext_kind kind, void *item, const char *origin,
                           void (*release)(void *item), kt_error *err)
{
    kt_status st = add(x, kind, item, origin, release, err);
    if (st && item && release) release(item);
    return st;
}

const void *kt_ext_find(const kt_ext *x, kt_ext_kind kind, const char *name)
{
    const kt_ext_entry *e = find(x, kind, name);
    return e ? e->item : NULL;
}

const kt_plugin_report *kt_ext_report(const kt_ext *x, const char *name)
{
    return kt_ext_find(x, KT_EXT_REPORT, name);
}

const kt_plugin_type *kt_ext_type(const kt_ext *x, const char *name)
{
    const kt_ext_entry *e = find(x, KT_EXT_TYPE, name);
    return e ? e->item : NULL;
}

const kt_plugin_function *kt_ext_function(const kt_ext *x, const char *name)
{
    const kt_ext_entry *e = find(x, KT_EXT_FUNCTION, name);
    return e ? e->item : NULL;
}

const kt_plugin_reader *kt_ext_reader(const kt_ext *x, const char *name)
{
    const kt_ext_entry *e = find(x, KT_EXT_READER, name);
    return e ? e->item : NULL;
}

const kt_plugin_channel *kt_ext_channel(const kt_ext *x, const char *name)
{
    const kt_ext_entry *e = find(x, KT_EXT_CHANNEL, name);
    return e ? e->item : NULL;
}

/* Does file name `base` end in "." + ext (ext given as [p, p+n))? Case-insensitive, because
 * Windows exports arrive as DATA.XLSX as often as data.xlsx. */
static int ends_with_ext(const char *base, size_t blen, const char *p, size_t n)
{
    if (n == 0 || blen < n + 2) return 0; /* a name, a dot, the ending */
    const char *tail = base + blen - n;
    return tail[-1] == '.' && strncasecmp(tail, p, n) == 0;
}

static int claims(const kt_plugin_reader *r, const char *base)
{
    if (!r->extensions) return 0;
    size_t blen = strlen(base);
    const char *p = r->extensions;
    while (*p) {
        while (*p == ' ' || *p == ',' || *p == '.')
            p++;
        const char *start = p;
        while (*p && *p != ',')
            p++;
        const char *end = p;
        while (end > start && end[-1] == ' ')
            end--;
        if (ends_with_ext(base, blen, start, (size_t)(end - start))) return 1;
    }
    return 0;
}

const kt_plugin_reader *kt_ext_reader_for_path(const kt_ext *x, const char *path)
{
    if (!x || !path) return NULL;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    for (size_t i = 0; i < x->count; i++) {
        const kt_ext_entry *e = &x->entries[i];
        if (e->kind == KT_EXT_READER && claims(e->item, base)) return e->item;
    }
    return NULL;
}

size_t kt_ext_count(const kt_ext *x)
{
    return x ? x->count : 0;
}

const kt_ext_entry *kt_ext_at(const kt_ext *x, size_t i)
{
    return x && i < x->count ? &x->entries[i] : NULL;
}
