/* POST /import: a multipart/form-data upload with the parts `file` (the data), `script` (the
 * name of an import script in the workspace's imports/ folder) and optionally `dry_run` (1 or
 * true) and `on_match`. The file is written to a private temporary folder, imported through the
 * core (which asks for the manager role) and removed. The reply is the summary as `kt import
 * --json` prints it, with "rejects": each refused row's line and reasons. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kartoteka/alloc.h"
#include "kartoteka/import.h"
#include "kartoteka/json.h"
#include "server.h"

typedef struct form {
    kt_buf file, script, dry_run, on_match;
    char filename[128];
    int bad;
} form;

static int plain_name(const char *s, int dots)
{
    if (!*s || *s == '.') return 0;
    for (; *s; s++) {
        int ok = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
                 *s == '_' || *s == '-' || (dots && *s == '.');
        if (!ok) return 0;
    }
    return 1;
}

static enum MHD_Result part(void *cls, enum MHD_ValueKind kind, const char *key,
                            const char *filename, const char *content_type,
                            const char *transfer_encoding, const char *data, uint64_t off,
                            size_t size)
{
    (void)kind;
    (void)content_type;
    (void)transfer_encoding;
    (void)off;
    form *f = cls;
    kt_buf *to = !strcmp(key, "file")       ? &f->file
                 : !strcmp(key, "script")   ? &f->script
                 : !strcmp(key, "dry_run")  ? &f->dry_run
                 : !strcmp(key, "on_match") ? &f->on_match
                                            : NULL;
    if (!to) return MHD_YES; /* an unknown part is ignored, as an unknown form field */
    if (to == &f->file && filename && !f->filename[0]) {
        /* only the name's last part, and only when it is plain: it names the format */
        const char *base = strrchr(filename, '/');
        base = base ? base + 1 : filename;
        if (plain_name(base, 1) && strlen(base) < sizeof f->filename)
            snprintf(f->filename, sizeof f->filename, "%s", base);
    }
    if (size && kt_buf_append(to, data, size, NULL)) f->bad = 1;
    return MHD_YES;
}

static void form_free(form *f)
{
    kt_buf_free(&f->file);
    kt_buf_free(&f->script);
    kt_buf_free(&f->dry_run);
    kt_buf_free(&f->on_match);
}

static int write_file(const char *path, const kt_buf *b)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return -1;
    size_t done = 0;
    while (done < b->len) {
        ssize_t w = write(fd, b->data + done, b->len - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;
        done += (size_t)w;
    }
    return close(fd) != 0 || done != b->len ? -1 : 0;
}

/* The refused rows from the import's NDJSON log. */
static cJSON *rejects(const char *log)
{
    cJSON *a = cJSON_CreateArray();
    FILE *f = fopen(log, "r");
    char *line = NULL;
    size_t cap = 0;
    while (a && f && getline(&line, &cap, f) > 0) {
        cJSON *row = cJSON_Parse(line);
        const cJSON *fate = cJSON_GetObjectItemCaseSensitive(row, "fate");
        if (cJSON_IsString(fate) && !strcmp(fate->valuestring, "rejected"))
            cJSON_AddItemToArray(a, row);
        else
            cJSON_Delete(row);
    }
    free(line);
    if (f) fclose(f);
    return a;
}

static enum MHD_Result run(srv_req *r, form *f)
{
    char script[4300], dir[256], file[512], log[512], source[200];
    snprintf(script, sizeof script, "%s/imports/%s%s", kt_ws_dir(r->ws), kt_buf_str(&f->script),
             strstr(kt_buf_str(&f->script), ".lua") ? "" : ".lua");
    if (access(script, R_OK) != 0)
        return srv_reply_error(r, MHD_HTTP_NOT_FOUND, "there is no such import script in imports/",
                               NULL);
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/kt-import.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return srv_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "cannot store the upload", NULL);
    snprintf(file, sizeof file, "%s/%s", dir, f->filename[0] ? f->filename : "upload.csv");
    snprintf(log, sizeof log, "%s/log.ndjson", dir);
    snprintf(source, sizeof source, "import %s", f->filename[0] ? f->filename : "upload");
    const char *dry = kt_buf_str(&f->dry_run), *om = kt_buf_str(&f->on_match);
    kt_import_opts o = {.script = script,
                        .dry_run = !strcmp(dry, "1") || !strcmp(dry, "true"),
                        .log = log,
                        .source = source};
    enum MHD_Result res;
    int mode = *om ? kt_on_match_parse(om) : (int)o.on_match;
    if (mode >= 0) o.on_match = (kt_on_match)mode;
    if (mode < 0) {
        res = srv_reply_error(r, MHD_HTTP_BAD_REQUEST, "on_match is update, skip, merge or create",
                              NULL);
    } else if (write_file(file, &f->file) != 0) {
        res = srv_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "cannot store the upload", NULL);
    } else {
        kt_import_summary s;
        kt_error err;
        if (kt_import_run(r->ws, file, &o, &s, &err)) {
            res = srv_reply_status(r, &err, NULL);
        } else {
            cJSON *j = kt_json_import_summary(&s);
            if (j) cJSON_AddItemToObject(j, "rejects", rejects(log));
            res = j ? srv_reply_json(r, MHD_HTTP_OK, j, NULL)
                    : srv_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory", NULL);
        }
    }
    unlink(file);
    unlink(log);
    rmdir(dir);
    return res;
}

enum MHD_Result srv_import(srv_req *r)
{
    if (strcmp(r->method, "POST") != 0)
        return srv_reply_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "use POST", NULL);
    kt_error err;
    kt_status st = kt_auth_allow(r->ws, KT_ACT_IMPORT, NULL, &err);
    if (st) return srv_reply_status(r, &err, NULL);
    const char *type =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!type || strncmp(type, "multipart/form-data", 19) != 0)
        return srv_reply_error(r, MHD_HTTP_BAD_REQUEST,
                               "send multipart/form-data with the parts file and script", NULL);
    form f;
    memset(&f, 0, sizeof f);
    f.file.max = r->cfg->max_body;
    struct MHD_PostProcessor *pp = MHD_create_post_processor(r->conn, 16 * 1024, part, &f);
    if (!pp || MHD_post_process(pp, r->body.data ? r->body.data : "", r->body.len) != MHD_YES)
        f.bad = 1;
    if (pp) MHD_destroy_post_processor(pp);
    enum MHD_Result res;
    if (f.bad || !f.file.len || !f.script.len)
        res = srv_reply_error(r, MHD_HTTP_BAD_REQUEST,
                              "send multipart/form-data with the parts file and script", NULL);
    else if (!plain_name(kt_buf_str(&f.script), 1) || strstr(kt_buf_str(&f.script), ".."))
        res = srv_reply_error(r, MHD_HTTP_BAD_REQUEST,
                              "script names a file in imports/: letters, digits, '_', '-'", NULL);
    else
        res = run(r, &f);
    form_free(&f);
    return res;
}
