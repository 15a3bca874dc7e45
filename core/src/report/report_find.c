/* Finding reports by name: the workspace's reports/ folder first (a workspace report overrides
 * a shipped one of the same name), then Kartoteka's own scripts/reports/ folders in order. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kartoteka/alloc.h"
#include "report/report_int.h"

#define MAX_REPORTS 1000

static int valid_name(const char *name, size_t len)
{
    if (len == 0 || len > 100) return 0;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

static int is_file(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The folders, most important first: the workspace's reports/, then each dir's reports/. */
static char *folder(kt_ws *ws, const char *const *dirs, size_t i)
{
    char buf[4096];
    if (i == 0)
        snprintf(buf, sizeof buf, "%s/reports", kt_ws_dir(ws));
    else
        snprintf(buf, sizeof buf, "%s/reports", dirs[i - 1]);
    return kt_strdup(buf);
}

kt_status kt_report_find(kt_ws *ws, const char *const *dirs, size_t ndirs, const char *name,
                         char **path, kt_error *err)
{
    *path = NULL;
    if (!name || !valid_name(name, strlen(name)))
        return kt_error_set(err, KT_USAGE,
                            "'%s' is not a report name (letters, digits, '_' and '-')",
                            name ? name : "");
    kt_ext *x = kt_ws_ext(ws);
    for (size_t i = 0; i <= ndirs; i++) {
        char *dir = folder(ws, dirs, i), buf[4200];
        if (!dir) return kt_error_set(err, KT_NOMEM, "out of memory");
        /* each kind of report file, in the order their runners registered */
        for (size_t k = 0; k < kt_ext_count(x); k++) {
            const kt_ext_entry *e = kt_ext_at(x, k);
            if (e->kind != KT_EXT_REPORT_FILES) continue;
            snprintf(buf, sizeof buf, "%s/%s.%s", dir, name, e->name);
            if (is_file(buf)) {
                kt_free(dir);
                *path = kt_strdup(buf);
                return *path ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
            }
        }
        kt_free(dir);
    }
    if (kt_ext_report(kt_ws_ext(ws), name)) return KT_OK; /* a plugin's: *path stays NULL */
    return kt_error_set(err, KT_NOTFOUND, "there is no report '%s' (see kt report list)", name);
}

void kt_report_infos_free(kt_report_info *infos, size_t n)
{
    for (size_t i = 0; infos && i < n; i++) {
        kt_free(infos[i].name);
        kt_free(infos[i].path);
        kt_free(infos[i].title);
        kt_free(infos[i].params);
    }
    kt_free(infos);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const kt_report_info *)a)->name, ((const kt_report_info *)b)->name);
}

/* Title and parameters from the report's spec; a file that fails is listed with its error. */
static void describe(kt_ws *ws, kt_report_info *info)
{
    kt_error e;
    report_file_guard f;
    kt_report_guard g = report_file_guard_make(&f, ws, info->path);
    const kt_ext_report_files *rf = report_files_for(ws, info->path);
    kt_status st =
        rf ? rf->describe(rf->ud, ws, info->path, info->name, &g, &info->title, &info->params, &e)
           : kt_error_set(&e, KT_NOTFOUND, "nothing runs such report files");
    if (st) {
        char buf[KT_ERROR_MESSAGE_MAX + 16];
        snprintf(buf, sizeof buf, "(broken: %s)", e.message);
        info->title = kt_strdup(buf);
        info->params = kt_strdup("");
    }
}

static kt_status scan(kt_ws *ws, const char *dir, int shipped, kt_report_info **list, size_t *n,
                      kt_error *err)
{
    DIR *d = opendir(dir);
    if (!d) return KT_OK;
    struct dirent *e;
    kt_status st = KT_OK;
    while (!st && (e = readdir(d))) {
        const char *dot = strrchr(e->d_name, '.');
        if (!dot || !kt_ext_find(kt_ws_ext(ws), KT_EXT_REPORT_FILES, dot + 1)) continue;
        size_t len = (size_t)(dot - e->d_name);
        if (!valid_name(e->d_name, len)) continue;
        int seen = 0;
        for (size_t i = 0; i < *n && !seen; i++)
            seen = strncmp((*list)[i].name, e->d_name, len) == 0 && !(*list)[i].name[len];
        if (seen) continue;
        if (*n >= MAX_REPORTS) {
            st = kt_error_set(err, KT_LIMIT, "more than %d reports", MAX_REPORTS);
            break;
        }
        kt_report_info *grown = kt_realloc(*list, (*n + 1) * sizeof **list);
        if (!grown) {
            st = kt_error_set(err, KT_NOMEM, "out of memory");
            break;
        }
        *list = grown;
        kt_report_info *info = &grown[*n];
        memset(info, 0, sizeof *info);
        (*n)++;
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        info->name = kt_strndup(e->d_name, len);
        info->path = kt_strdup(path);
        info->shipped = shipped;
        if (!info->name || !info->path) st = kt_error_set(err, KT_NOMEM, "out of memory");
    }
    closedir(d);
    return st;
}

/* The reports plugins registered, after the files: a file of the same name wins, as it does
 * when the report is run. */
static kt_status add_plugin_reports(kt_ws *ws, kt_report_info **list, size_t *n, kt_error *err)
{
    kt_ext *x = kt_ws_ext(ws);
    for (size_t i = 0; i < kt_ext_count(x); i++) {
        const kt_ext_entry *e = kt_ext_at(x, i);
        if (e->kind != KT_EXT_REPORT) continue;
        int seen = 0;
        for (size_t j = 0; j < *n && !seen; j++)
            seen = strcmp((*list)[j].name, e->name) == 0;
        if (seen) continue;
        if (*n >= MAX_REPORTS)
            return kt_error_set(err, KT_LIMIT, "more than %d reports", MAX_REPORTS);
        kt_report_info *grown = kt_realloc(*list, (*n + 1) * sizeof **list);
        if (!grown) return kt_error_set(err, KT_NOMEM, "out of memory");
        *list = grown;
        const kt_plugin_report *pr = e->item;
        char where[200];
        snprintf(where, sizeof where, "plugin %s", e->origin);
        kt_report_info *info = &grown[(*n)++];
        *info = (kt_report_info){kt_strdup(e->name), kt_strdup(where),
                                 kt_strdup(pr->title ? pr->title : e->name),
                                 report_plugin_params_text(pr), 2};
        if (!info->name || !info->path || !info->title || !info->params)
            return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    return KT_OK;
}

/* Whether any kind of report file has its runner registered: the script layer registers its own
 * when the configuration is applied (report/ sits below it and asks the registry, not it). */
static int report_files_known(const kt_ext *x)
{
    for (size_t k = 0; k < kt_ext_count(x); k++)
        if (kt_ext_at(x, k)->kind == KT_EXT_REPORT_FILES) return 1;
    return 0;
}

kt_status kt_report_list(kt_ws *ws, const char *const *dirs, size_t ndirs, kt_report_info **out,
                         size_t *n, kt_error *err)
{
    *out = NULL;
    *n = 0;
    if (!report_files_known(kt_ws_ext(ws)))
        return kt_error_set(err, KT_USAGE, "the workspace's configuration is not applied");
    kt_status st = KT_OK;
    for (size_t i = 0; !st && i <= ndirs; i++) {
        char *dir = folder(ws, dirs, i);
        if (!dir)
            st = kt_error_set(err, KT_NOMEM, "out of memory");
        else
            st = scan(ws, dir, i > 0, out, n, err);
        kt_free(dir);
    }
    if (!st) st = add_plugin_reports(ws, out, n, err);
    for (size_t i = 0; !st && i < *n; i++) {
        if ((*out)[i].shipped == 2) continue; /* a plugin's: described when added */
        describe(ws, &(*out)[i]);
        if (!(*out)[i].title || !(*out)[i].params)
            st = kt_error_set(err, KT_NOMEM, "out of memory");
    }
    if (st) {
        kt_report_infos_free(*out, *n);
        *out = NULL;
        *n = 0;
        return st;
    }
    if (*n) qsort(*out, *n, sizeof **out, by_name);
    return KT_OK;
}
