/* The file channel: one .eml file per message in a folder (written to a temporary name,
 * synced, then renamed, so a file that exists is whole), or appended to an mbox; an SMS is a
 * plain text <id>.sms in the folder (an mbox holds mail only).
 * Settings: file_dir (default outbox/ in the workspace), file_mbox (a path: mbox mode),
 * file_from, file_delay_ms (tests: slows each delivery down). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "channel/channel_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/output.h"

static void path_in(const char *ws, const char *p, char *out, size_t size)
{
    if (p[0] == '/')
        snprintf(out, size, "%s", p);
    else
        snprintf(out, size, "%s/%s", ws ? ws : ".", p);
}

static int write_all(int fd, const char *data, size_t n)
{
    while (n) {
        ssize_t w = write(fd, data, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        data += w;
        n -= (size_t)w;
    }
    return 0;
}

static int to_mbox(const char *ws, const char *path, const kt_buf *mail, char *msg, size_t msg_size)
{
    kt_error refused;
    /* file_mbox = "kartoteka.db" would append mail to the database */
    if (kt_output_refuse_own(ws, path, &refused) == KT_EXISTS)
        return snprintf(msg, msg_size, "file_mbox: %s", refused.message), 1;
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return snprintf(msg, msg_size, "cannot open %s: %s", path, strerror(errno)), 1;
    char head[128];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(head, sizeof head, "From kartoteka@localhost %a %b %e %H:%M:%S %Y\n", &tm);
    /* one write per message: a reader never sees half of one interleaved with another */
    kt_buf all = KT_BUF_INIT;
    kt_error err;
    int bad = kt_buf_puts(&all, head, &err) || kt_buf_append(&all, mail->data, mail->len, &err) ||
              kt_buf_puts(&all, "\n", &err) || write_all(fd, all.data, all.len) || fsync(fd);
    if (bad) snprintf(msg, msg_size, "cannot write %s: %s", path, strerror(errno));
    kt_buf_free(&all);
    close(fd);
    return bad;
}

static int to_folder(const char *dir, const char *id, const char *ext, const kt_buf *mail,
                     char *msg, size_t msg_size)
{
    char tmp[4200], final[4200];
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return snprintf(msg, msg_size, "cannot create %s: %s", dir, strerror(errno)), 1;
    snprintf(tmp, sizeof tmp, "%s/.%s.%s.tmp", dir, id, ext);
    snprintf(final, sizeof final, "%s/%s.%s", dir, id, ext);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return snprintf(msg, msg_size, "cannot create %s: %s", tmp, strerror(errno)), 1;
    int bad = write_all(fd, mail->data, mail->len) || fsync(fd);
    close(fd);
    if (bad || rename(tmp, final) != 0) {
        snprintf(msg, msg_size, "cannot write %s: %s", final, strerror(errno));
        unlink(tmp);
        return 1;
    }
    return 0;
}

static int deliver(void *ud, const kt_plugin_message *m, char *msg, size_t msg_size)
{
    (void)ud;
    cJSON *s;
    if (kt_channel_settings_of(m, &s, msg, msg_size)) return KT_PLUGIN_FAIL;
    const char *ws = kt_channel_opt(s, "workspace"), *mbox = kt_channel_opt(s, "mbox");
    const char *dir = kt_channel_opt(s, "dir"), *from = kt_channel_opt(s, "from");
    const char *delay = kt_channel_opt(s, "delay_ms");
    if (delay) {
        struct timespec ts = {0, 0};
        long ms = atol(delay);
        ts.tv_sec = ms / 1000;
        ts.tv_nsec = (ms % 1000) * 1000000L;
        nanosleep(&ts, NULL);
    }
    kt_buf mail = KT_BUF_INIT;
    char path[4096];
    const char *kind = kt_channel_opt(s, "kind");
    int sms = kind && !strcmp(kind, "sms");
    int rc = sms ? kt_sms_format(m, &mail)
                 : kt_mail_format(m, from ? from : "kartoteka@localhost", 0, &mail);
    if (rc)
        snprintf(msg, msg_size, "out of memory formatting message %s", m->id);
    else if (mbox && !sms)
        path_in(ws, mbox, path, sizeof path), rc = to_mbox(ws, path, &mail, msg, msg_size);
    else
        path_in(ws, dir ? dir : "outbox", path, sizeof path),
            rc = to_folder(path, m->id, sms ? "sms" : "eml", &mail, msg, msg_size);
    kt_buf_free(&mail);
    cJSON_Delete(s);
    return rc ? KT_PLUGIN_FAIL : KT_PLUGIN_OK;
}

const kt_plugin_channel kt_channel_file = {"file", deliver, NULL};
