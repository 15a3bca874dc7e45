#include "kartoteka/plugin_loader.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kartoteka/alloc.h"
#include "ext/ext_internal.h"
#include "plugin/plugin_internal.h"

#define NAME_MAX_LEN 64

typedef struct loaded {
    kt_plugin_info info; /* strings owned */
    void *dl;
    size_t first; /* registry index of its first entry: it registers a contiguous run */
} loaded;

struct kt_plugins {
    kt_ext *ext;
    loaded *items;
    size_t count;
    size_t cap;
    kt_plugin_session session;
    kt_plugin_host host;
};

kt_plugins *kt_plugins_new(kt_ext *ext)
{
    if (!ext) return NULL;
    kt_plugins *p = kt_calloc(1, sizeof *p);
    if (!p) return NULL;
    p->ext = ext;
    kt_plugin_host_make(&p->host, &p->session);
    return p;
}

static void info_release(kt_plugin_info *in)
{
    kt_free((char *)in->name);
    kt_free((char *)in->version);
    kt_free((char *)in->license);
    kt_free((char *)in->summary);
    kt_free((char *)in->path);
}

void kt_plugins_free(kt_plugins *p)
{
    if (!p) return;
    /* Newest first, as a plugin may have been written knowing an earlier one is there. */
    while (p->count > 0) {
        loaded *l = &p->items[--p->count];
        if (l->dl) dlclose(l->dl);
        info_release(&l->info);
    }
    kt_free(p->items);
    kt_free(p);
}

/* A name, never a path: "../x" or "/tmp/x" would escape the folders the caller vouched for. */
static int plain_name(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (n >= NAME_MAX_LEN ||
            !((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
            return 0;
    return n > 0;
}

const kt_plugin_info *kt_plugins_find(const kt_plugins *p, const char *name)
{
    if (!p || !name) return NULL;
    for (size_t i = 0; i < p->count; i++)
        if (strcmp(p->items[i].info.name, name) == 0) return &p->items[i].info;
    return NULL;
}

/* Finds <dir>/<name>.so in the first folder that has it and resolves symlinks, so the checks
 * and dlopen see the same file. */
static kt_status locate(const char *name, const char *const *dirs, size_t ndirs,
                        char resolved[PATH_MAX], kt_error *err)
{
    char tried[1024] = "";
    size_t used = 0;
    for (size_t i = 0; i < ndirs; i++) {
        if (!dirs[i] || !dirs[i][0]) continue;
        char path[PATH_MAX];
        int n = snprintf(path, sizeof path, "%s/%s.so", dirs[i], name);
        if (n < 0 || (size_t)n >= sizeof path) continue;
        struct stat st;
        if (stat(path, &st) == 0) {
            if (!realpath(path, resolved))
                return kt_error_set(err, KT_IO, "plugin '%s' (%s): cannot resolve the path: %s",
                                    name, path, strerror(errno));
            return KT_OK;
        }
        if (errno != ENOENT && errno != ENOTDIR)
            return kt_error_set(err, errno == EACCES ? KT_DENIED : KT_IO, "plugin '%s' (%s): %s",
                                name, path, strerror(errno));
        if (used < sizeof tried) {
            int w = snprintf(tried + used, sizeof tried - used, "%s%s", used ? ", " : "", dirs[i]);
            if (w > 0) used += (size_t)w;
        }
    }
    return kt_error_set(err, KT_NOTFOUND, "plugin '%s' not found: no %s.so in %s", name, name,
                        used ? tried : "any plugin folder (none given)");
}

/* The descriptor fields this loader reads, in order; a plugin built against an older header
 * with the same ABI number may be shorter than today's struct, never shorter than this. */
#define DESC_NEEDED (offsetof(kt_plugin_desc, init) + sizeof(((kt_plugin_desc *)0)->init))

static kt_status check_desc(const char *name, const char *path, const kt_plugin_desc *d,
                            kt_error *err)
{
    if (d->abi != KT_PLUGIN_ABI_VERSION)
        return kt_error_set(err, KT_ABI,
                            "plugin '%s' (%s) was built for ABI %d, this kt speaks ABI %d: "
                            "rebuild the plugin against this kt's kartoteka/plugin.h",
                            name, path, d->abi, KT_PLUGIN_ABI_VERSION);
    if (d->size < DESC_NEEDED)
        return kt_error_set(err, KT_ABI,
                            "plugin '%s' (%s) has a descriptor of %zu bytes, this kt needs at "
                            "least %zu: rebuild the plugin against this kt's kartoteka/plugin.h",
                            name, path, d->size, (size_t)DESC_NEEDED);
    if (!d->name || strcmp(d->name, name) != 0)
        return kt_error_set(err, KT_ABI,
                            "plugin '%s' (%s) calls itself '%.64s': a plugin's name must equal "
                            "its file's base name",
                            name, path, d->name ? d->name : "(null)");
    if (!d->init)
        return kt_error_set(err, KT_ABI, "plugin '%s' (%s) has no init function", name, path);
    return KT_OK;
}

static kt_status remember(kt_plugins *p, const kt_plugin_desc *d, const char *path, void *dl,
                          size_t first, kt_error *err)
{
    if (p->count == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        loaded *grown = kt_realloc(p->items, cap * sizeof *grown);
        if (!grown) return kt_error_set(err, KT_NOMEM, "out of memory loading '%s'", d->name);
        p->items = grown;
        p->cap = cap;
    }
    loaded l = {{kt_strdup(d->name), kt_strdup(d->version ? d->version : ""),
                 kt_strdup(d->license ? d->license : ""), kt_strdup(d->summary ? d->summary : ""),
                 kt_strdup(path), kt_ext_count(p->ext) - first},
                dl,
                first};
    if (!l.info.name || !l.info.version || !l.info.license || !l.info.summary || !l.info.path) {
        info_release(&l.info);
        return kt_error_set(err, KT_NOMEM, "out of memory loading '%s'", d->name);
    }
    p->items[p->count++] = l;
    return KT_OK;
}

kt_status kt_plugins_load(kt_plugins *p, const char *name, const char *const *dirs, size_t ndirs,
                          kt_plugin_setting_fn setting, void *setting_ud, kt_error *err)
{
    if (!p || !name || (ndirs && !dirs))
        return kt_error_set(err, KT_USAGE, "kt_plugins_load: missing arguments");
    if (!plain_name(name))
        return kt_error_set(err, KT_USAGE,
                            "plugin name '%.80s' is not a plain name: use lowercase letters, "
                            "digits and '_' (the file is <name>.so in a plugin folder)",
                            name);
    if (kt_plugins_find(p, name)) return KT_OK;

    void *dl = NULL;
    size_t first = kt_ext_count(p->ext);
    char path[PATH_MAX];
    kt_status rc = locate(name, dirs, ndirs, path, err);
    if (rc != KT_OK) goto out;
    /* Before dlopen: it runs the library's constructors. */
    rc = kt_plugin_file_check(name, path, err);
    if (rc != KT_OK) goto out;

    dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!dl) {
        const char *why = dlerror();
        rc = kt_error_set(err, KT_ABI, "plugin '%s' (%s) is not a loadable plugin: %s", name, path,
                          why ? why : "dlopen failed");
        goto out;
    }
    dlerror();
    const kt_plugin_desc *d = dlsym(dl, KT_PLUGIN_SYMBOL);
    if (!d) {
        rc = kt_error_set(err, KT_ABI,
                          "plugin '%s' (%s) is not a Kartoteka plugin: it exports no '%s' "
                          "(declare it with KT_PLUGIN_DECLARE from kartoteka/plugin.h)",
                          name, path, KT_PLUGIN_SYMBOL);
        goto out;
    }
    rc = check_desc(name, path, d, err);
    if (rc != KT_OK) goto out;

    p->session = (kt_plugin_session){p->ext, name, setting, setting_ud, 1, "", KT_OK};
    char msg[512] = "";
    int ok = d->init(&p->host, msg, sizeof msg);
    p->session.open = 0;
    msg[sizeof msg - 1] = '\0';
    if (ok != KT_PLUGIN_OK) {
        rc = kt_error_set(err, p->session.failure_code == KT_NOMEM ? KT_NOMEM : KT_INVALID,
                          "plugin '%s' (%s) failed to start: %s%s%s", name, path,
                          msg[0] ? msg : "its init failed without a message",
                          p->session.failure[0] ? "; " : "", p->session.failure);
        goto out;
    }
    rc = remember(p, d, path, dl, first, err);

out:
    if (rc != KT_OK) {
        /* Nothing may keep pointing into the library once it is closed. */
        kt_ext_truncate(p->ext, first);
        if (dl) dlclose(dl);
        kt_error_where(err, "plugin %s", name);
    }
    return rc;
}

size_t kt_plugins_count(const kt_plugins *p)
{
    return p ? p->count : 0;
}

const kt_plugin_info *kt_plugins_info(const kt_plugins *p, size_t i)
{
    return p && i < p->count ? &p->items[i].info : NULL;
}

const kt_ext_entry *kt_plugins_registered(const kt_plugins *p, size_t i, size_t j)
{
    if (!p || i >= p->count || j >= p->items[i].info.registered) return NULL;
    return kt_ext_at(p->ext, p->items[i].first + j);
}
