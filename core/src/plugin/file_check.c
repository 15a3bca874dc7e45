#include "plugin/plugin_internal.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Anyone who can write the file or replace it in its folder could run code as the user who
 * runs kt, so both are held to the same rule. Root is trusted because it could do that anyway
 * (and owns the install folder). */
static kt_status check_one(const char *name, const char *plugin_path, const char *what,
                           const char *path, int want_dir, kt_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return kt_error_set(err, errno == EACCES ? KT_DENIED : KT_IO,
                            "plugin '%s' (%s): cannot inspect %s %s: %s", name, plugin_path, what,
                            path, strerror(errno));
    if (want_dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))
        return kt_error_set(err, KT_DENIED, "plugin '%s' (%s): %s %s is not a regular %s", name,
                            plugin_path, what, path, want_dir ? "folder" : "file");
    uid_t me = geteuid();
    if (st.st_uid != me && st.st_uid != 0)
        return kt_error_set(err, KT_DENIED,
                            "plugin '%s' (%s): refusing to load it: %s %s is owned by uid %lu, "
                            "neither you (uid %lu) nor root",
                            name, plugin_path, what, path, (unsigned long)st.st_uid,
                            (unsigned long)me);
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        return kt_error_set(err, KT_DENIED,
                            "plugin '%s' (%s): refusing to load it: %s %s is writable by %s "
                            "(mode %04o), so another user could make kt run their code; "
                            "fix with: chmod go-w %s",
                            name, plugin_path, what, path,
                            (st.st_mode & S_IWGRP) && (st.st_mode & S_IWOTH) ? "group and others"
                            : (st.st_mode & S_IWGRP)                         ? "its group"
                                                                             : "others",
                            (unsigned)(st.st_mode & 07777), path);
    return KT_OK;
}

kt_status kt_plugin_file_check(const char *name, const char *path, kt_error *err)
{
    kt_status rc = check_one(name, path, "the file", path, 0, err);
    if (rc != KT_OK) return rc;

    char dir[PATH_MAX];
    size_t n = strlen(path);
    if (n >= sizeof dir)
        return kt_error_set(err, KT_DENIED, "plugin '%s': path too long: %.200s...", name, path);
    memcpy(dir, path, n + 1);
    char *slash = strrchr(dir, '/');
    if (!slash)
        return kt_error_set(err, KT_DENIED, "plugin '%s' (%s): not an absolute path", name, path);
    if (slash == dir)
        slash[1] = '\0';
    else
        *slash = '\0';
    return check_one(name, path, "its folder", dir, 1, err);
}
