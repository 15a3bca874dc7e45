/* A channel's password: from an environment variable or a file that is the owner's alone,
 * never from kartoteka.lua (which is copied, committed and shown), and never echoed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net_int.h"

int kt_channel_password(const cJSON *s, const char *channel, char *out, size_t size, char *msg,
                        size_t msg_size)
{
    const char *env = kt_channel_opt(s, "password_env"), *file = kt_channel_opt(s, "password_file");
    const char *ws = kt_channel_opt(s, "workspace");
    out[0] = '\0';
    if (kt_channel_opt(s, "password"))
        return snprintf(msg, msg_size,
                        "%s_password in kartoteka.lua is refused: name an "
                        "environment variable (%s_password_env) or a 0600 file "
                        "(%s_password_file) instead",
                        channel, channel, channel),
               1;
    if (env) {
        const char *v = getenv(env);
        if (!v || !*v) return snprintf(msg, msg_size, "environment variable %s is not set", env), 1;
        snprintf(out, size, "%s", v);
        return 0;
    }
    if (!file) return 0;
    char path[4096];
    if (file[0] == '/')
        snprintf(path, sizeof path, "%s", file);
    else
        snprintf(path, sizeof path, "%s/%s", ws ? ws : ".", file);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        if (fd >= 0) close(fd);
        return snprintf(msg, msg_size, "cannot read the password file %s: %s", path,
                        strerror(errno)),
               1;
    }
    if ((sb.st_mode & 077) || sb.st_uid != geteuid()) {
        close(fd);
        return snprintf(msg, msg_size,
                        "the password file %s must be yours and mode 0600 "
                        "(chmod 600 %s)",
                        path, path),
               1;
    }
    ssize_t n = read(fd, out, size - 1);
    close(fd);
    if (n < 0) return snprintf(msg, msg_size, "cannot read the password file %s", path), 1;
    out[n] = '\0';
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}
