/* Import: upload a file, pick one of the workspace's import scripts (imports/NAME.lua), see the
 * dry run (the summary, the diff, the rejects with their reasons), then run it; the batch list
 * with undo. An upload is kept, private (0600), in imports/uploads/ under a random name until
 * it is run, so the run imports exactly the file the dry run showed. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kartoteka/alloc.h"
#include "kartoteka/import.h"
#include "web.h"

#define MAX_DIFF 200
#define REJECTS_SHOWN (64 * 1024)

/* Names we accept from a form: letters, digits, '_', '-' and '.', not starting with '.'. */
static int plain_name(const char *s, size_t max)
{
    if (!s || !*s || *s == '.' || strlen(s) > max) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-' || *s == '.'))
            return 0;
    return 1;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(a, b);
}

static void script_select(web_req *w, html *h, const char *chosen)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/imports", kt_ws_dir(w->ws));
    html_el(h, "label", web_word(w, "Script"), "for", "script", HTML_END);
    html_open(h, "select", "id", "script", "name", "script", HTML_END);
    DIR *d = opendir(dir);
    struct dirent *e;
    char names[64][128];
    size_t n = 0;
    while (d && (e = readdir(d)) && n < 64) {
        size_t len = strlen(e->d_name);
        if (len > 4 && len < 128 && !strcmp(e->d_name + len - 4, ".lua") &&
            plain_name(e->d_name, 127))
            memcpy(names[n++], e->d_name, len + 1);
    }
    if (d) closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    for (size_t i = 0; i < n; i++)
        html_el(h, "option", names[i], "value", names[i], "selected",
                chosen && !strcmp(chosen, names[i]) ? "" : NULL, HTML_END);
    html_close(h, "select");
}

static int on_batch(void *ud, const kt_batch_info *b)
{
    web_req *w = ((void **)ud)[0];
    html *h = ((void **)ud)[1];
    char id[32];
    snprintf(id, sizeof id, "%lld", b->id);
    html_open(h, "tr", HTML_END);
    html_el(h, "td", id, HTML_END);
    html_el(h, "td", b->source, HTML_END);
    html_el(h, "td", b->started_at, HTML_END);
    html_el(h, "td", b->status, "class", "status", HTML_END);
    html_el(h, "td", b->summary, HTML_END);
    html_open(h, "td", HTML_END);
    if (!strcmp(b->status, "done") || !strcmp(b->status, "interrupted")) {
        const char *hidden[] = {"batch", id, NULL};
        web_button_form(w, h, "/import/undo", web_word(w, "Undo"), hidden);
    }
    html_close(h, "td");
    html_close(h, "tr");
    return 0;
}

static void batches(web_req *w, html *h)
{
    html_el(h, "h2", web_word(w, "Batches"), HTML_END);
    html_open(h, "table", "id", "batches", HTML_END);
    html_open(h, "tbody", HTML_END);
    void *ud[2] = {w, h};
    kt_error err;
    if (kt_import_list(w->ws, on_batch, ud, &err)) srv_log_error(w->r, &err);
    html_close(h, "tbody");
    html_close(h, "table");
}

static void upload_form(web_req *w, html *h, const char *script)
{
    html_open(h, "form", "method", "post", "action", "/import", "enctype", "multipart/form-data",
              "class", "import", HTML_END);
    web_csrf_input(w, h);
    html_el(h, "label", web_word(w, "File"), "for", "file", HTML_END);
    html_open(h, "input", "type", "file", "id", "file", "name", "file", HTML_END);
    script_select(w, h, script);
    html_el(h, "button", web_word(w, "Dry run"), "type", "submit", "name", "action", "value", "dry",
            "id", "dry-run", HTML_END);
    html_close(h, "form");
}

/* An upload whose dry run was never followed by a run: removed after a day, so personal data
 * does not pile up in the uploads folder. */
#define UPLOAD_MAX_AGE (24 * 60 * 60)

/* Removes the files of dir (uploads and their rejects) older than UPLOAD_MAX_AGE. */
static void sweep_uploads(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    time_t now = time(NULL);
    struct dirent *de;
    char path[1400];
    struct stat st;
    while ((de = readdir(d)))
        if (de->d_name[0] != '.' &&
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name) < (int)sizeof path &&
            lstat(path, &st) == 0 && S_ISREG(st.st_mode) && now - st.st_mtime > UPLOAD_MAX_AGE)
            unlink(path);
    closedir(d);
}

/* Keeps the uploaded file as imports/uploads/RANDOM.EXT (0600); its name into out. Stale
 * uploads go first. */
static kt_status keep_upload(web_req *w, const web_value *file, char *out, size_t size,
                             kt_error *err)
{
    char dir[1024], path[1200], ext[8] = "";
    snprintf(dir, sizeof dir, "%s/imports/uploads", kt_ws_dir(w->ws));
    if (mkdir(dir, 0700) && errno != EEXIST)
        return kt_error_set(err, KT_IO, "cannot make the uploads folder");
    sweep_uploads(dir);
    const char *dot = file->filename ? strrchr(file->filename, '.') : NULL;
    if (dot && strlen(dot) < sizeof ext && plain_name(dot + 1, 6))
        for (size_t i = 0; dot[i]; i++)
            ext[i] = (char)(dot[i] >= 'A' && dot[i] <= 'Z' ? dot[i] + 32 : dot[i]);
    unsigned char rnd[12];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    ssize_t got = fd >= 0 ? read(fd, rnd, sizeof rnd) : -1;
    if (fd >= 0) close(fd);
    if (got != (ssize_t)sizeof rnd) return kt_error_set(err, KT_IO, "no randomness");
    char name[64];
    for (size_t i = 0; i < sizeof rnd; i++)
        snprintf(name + 2 * i, 3, "%02x", rnd[i]);
    snprintf(out, size, "%s%s", name, ext);
    snprintf(path, sizeof path, "%s/%s", dir, out);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return kt_error_set(err, KT_IO, "cannot keep the upload");
    size_t done = 0;
    while (done < file->value.len) {
        ssize_t n = write(fd, file->value.data + done, file->value.len - done);
        if (n <= 0) break;
        done += (size_t)n;
    }
    if (close(fd) || done != file->value.len) {
        unlink(path);
        return kt_error_set(err, KT_IO, "cannot keep the upload");
    }
    return KT_OK;
}

typedef struct diff {
    html *h;
    long n;
} diff;

static void on_diff(void *ud, long line, const char *action, const char *entity, kt_id id,
                    const kt_import_change *changes, size_t n)
{
    diff *d = ud;
    if (d->n++ >= MAX_DIFF) return;
    char head[160];
    snprintf(head, sizeof head, "line %ld: %s %s %lld", line, action, entity, id);
    html_open(d->h, "li", HTML_END);
    html_text(d->h, head);
    html_open(d->h, "ul", HTML_END);
    for (size_t i = 0; i < n; i++) {
        html_open(d->h, "li", HTML_END);
        html_el(d->h, "strong", changes[i].field, HTML_END);
        html_text(d->h, ": ");
        if (changes[i].old) {
            html_el(d->h, "del", changes[i].old, HTML_END);
            html_text(d->h, " → ");
        }
        html_text(d->h, changes[i].new_);
        html_close(d->h, "li");
    }
    html_close(d->h, "ul");
    html_close(d->h, "li");
}

static void show_rejects(web_req *w, html *h, const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return;
    char *text = kt_malloc(REJECTS_SHOWN + 1);
    size_t n = text ? fread(text, 1, REJECTS_SHOWN, fp) : 0;
    fclose(fp);
    if (n) {
        html_el(h, "h2", web_word(w, "Rejected rows"), HTML_END);
        html_open(h, "pre", "id", "rejects", HTML_END);
        html_textn(h, text, n);
        html_close(h, "pre");
    }
    kt_free(text);
}

static enum MHD_Result run(web_req *w)
{
    const char *action = web_form_get(&w->form, "action");
    const char *script = web_form_get(&w->form, "script");
    const char *kept = web_form_get(&w->form, "upload");
    const web_value *file = web_form_value(&w->form, "file");
    int dry = !action || strcmp(action, "run") != 0;
    char upload[96], path[1200], spath[1200], rejects[1300], source[256];
    kt_error err;
    if (!web_may(w, KT_ACT_IMPORT, NULL))
        return web_fail(w, MHD_HTTP_FORBIDDEN, "your role may not import");
    if (!plain_name(script, 120))
        return web_fail(w, MHD_HTTP_BAD_REQUEST, "pick one of the workspace's import scripts");
    if (dry && file && file->value.len) {
        if (keep_upload(w, file, upload, sizeof upload, &err)) {
            srv_log_error(w->r, &err);
            return web_fail(w, MHD_HTTP_INTERNAL_SERVER_ERROR, err.message);
        }
    } else if (plain_name(kept, 60)) {
        snprintf(upload, sizeof upload, "%s", kept);
    } else {
        return web_fail(w, MHD_HTTP_BAD_REQUEST, "choose a file to import");
    }
    snprintf(path, sizeof path, "%s/imports/uploads/%s", kt_ws_dir(w->ws), upload);
    snprintf(spath, sizeof spath, "%s/imports/%s", kt_ws_dir(w->ws), script);
    snprintf(rejects, sizeof rejects, "%s.rejects.csv", path);
    snprintf(source, sizeof source, "import %s", file && file->filename ? file->filename : upload);
    if (access(path, R_OK) != 0) return web_fail(w, MHD_HTTP_NOT_FOUND, "the upload is gone");
    html h = HTML_INIT;
    web_page_begin(w, &h, web_word(w, "Import"));
    html part = HTML_INIT;
    diff d = {&part, 0};
    kt_import_opts o = {0};
    o.script = spath;
    o.dry_run = dry;
    o.rejects = rejects;
    o.rejects_replace = 1;
    o.diff = on_diff;
    o.diff_ud = &d;
    o.source = source;
    kt_import_summary sum = {0};
    kt_status st = kt_import_run(w->ws, path, &o, &sum, &err);
    if (st) {
        html_el(&h, "p", err.message, "class", "error", "role", "alert", HTML_END);
        html_free(&part);
    } else {
        char line[256];
        snprintf(line, sizeof line,
                 "%s: %ld rows: %ld created, %ld updated, %ld merged, %ld skipped, %ld rejected",
                 dry ? web_word(w, "Dry run") : web_word(w, "Import"), sum.rows, sum.created,
                 sum.updated, sum.merged, sum.skipped, sum.rejected);
        html_el(&h, "p", line, "id", "summary", "role", "status", HTML_END);
        if (dry) {
            html_open(&h, "form", "method", "post", "action", "/import", HTML_END);
            web_csrf_input(w, &h);
            html_open(&h, "input", "type", "hidden", "name", "upload", "value", upload, HTML_END);
            html_open(&h, "input", "type", "hidden", "name", "script", "value", script, HTML_END);
            html_el(&h, "button", web_word(w, "Run"), "type", "submit", "name", "action", "value",
                    "run", "id", "run-import", HTML_END);
            html_close(&h, "form");
        }
        show_rejects(w, &h, rejects);
        html_el(&h, "h2", web_word(w, "Changes"), HTML_END);
        html_open(&h, "ol", "id", "diff", HTML_END);
        html_append(&h, &part);
        html_close(&h, "ol");
    }
    if (!dry || st) {
        unlink(path);
        unlink(rejects);
    }
    batches(w, &h);
    web_page_end(w, &h);
    return web_send(w, &h, st ? srv_http_status(st) : MHD_HTTP_OK);
}

static enum MHD_Result undo(web_req *w)
{
    const char *batch = web_form_get(&w->form, "batch");
    long long id = batch ? strtoll(batch, NULL, 10) : 0;
    kt_undo_result res;
    kt_error err;
    if (id <= 0) return web_fail(w, MHD_HTTP_BAD_REQUEST, "name a batch");
    kt_status st = kt_import_undo(w->ws, id, 0, &res, &err);
    if (st) return web_fail(w, srv_http_status(st), err.message);
    return web_redirect(w, "/import", NULL);
}

enum MHD_Result web_import(web_req *w)
{
    if (!web_may(w, KT_ACT_IMPORT, NULL))
        return web_fail(w, MHD_HTTP_FORBIDDEN, "your role may not import");
    if (w->post && w->nseg == 2 && !strcmp(w->seg[1], "undo")) return undo(w);
    if (w->post && w->nseg == 1) return run(w);
    html h = HTML_INIT;
    web_page_begin(w, &h, web_word(w, "Import"));
    upload_form(w, &h, NULL);
    batches(w, &h);
    web_page_end(w, &h);
    return web_send(w, &h, MHD_HTTP_OK);
}
