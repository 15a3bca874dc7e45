/* Workspaces for the fault tests, opened the way the kt command opens them (cli_open): the
 * configuration applied, then the duplicate check installed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fault.h"
#include "kartoteka/config.h"
#include "kartoteka/dedupe.h"
#include "kartoteka/save.h"

kt_status kt_fault_ws_reopen(const char *dir, kt_ws **out, kt_error *err)
{
    kt_status st = kt_ws_open(dir, out, err);
    if (st) return st;
    kt_config_opts o = {0};
    if ((st = kt_config_apply(*out, &o, err)) || (st = kt_dedupe_install(*out, err))) {
        kt_ws_close(*out);
        *out = NULL;
    }
    return st;
}

kt_status kt_fault_ws_open(char *dir_template, const char *config, kt_ws **out, kt_error *err)
{
    *out = NULL;
    if (!mkdtemp(dir_template)) return kt_error_set(err, KT_IO, "cannot make %s", dir_template);
    char path[512];
    snprintf(path, sizeof path, "%s/kartoteka.lua", dir_template);
    FILE *f = fopen(path, "w");
    if (!f || fputs(config, f) < 0 || fclose(f) != 0)
        return kt_error_set(err, KT_IO, "cannot write %s", path);
    return kt_fault_ws_reopen(dir_template, out, err);
}

void kt_fault_ws_remove(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "fault: cannot remove %s\n", dir);
}

int kt_fault_setup(void **state, size_t size, const char *config, const char *file)
{
    kt_fault_fixture *f = calloc(1, size);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/kt-fault-XXXXXX");
    kt_error err;
    if (kt_fault_ws_open(f->dir, config, &f->ws, &err)) fail_msg("%s", err.message);
    snprintf(f->db, sizeof f->db, "%s/kartoteka.db", f->dir);
    snprintf(f->file, sizeof f->file, "%s/%s", f->dir, file ? file : "input");
    *state = f;
    return 0;
}

int kt_fault_teardown(void **state)
{
    kt_fault_fixture *f = *state;
    kt_ws_close(f->ws);
    kt_fault_ws_remove(f->dir);
    free(f);
    return 0;
}

kt_status kt_fault_add(kt_ws *ws, const char *entity, const char *const *kv, kt_id *id,
                       kt_error *err)
{
    kt_record *r = kt_record_new(entity);
    if (!r) return kt_error_set(err, KT_NOMEM, "out of memory");
    kt_status st = KT_OK;
    for (; !st && kv[0]; kv += 2)
        st = kt_record_set(r, kv[0], kv[1], err);
    kt_save_opts o = {.source = "fault test", .allow_duplicate = 1};
    if (!st) st = kt_save(ws, r, &o, NULL, err);
    *id = r->id;
    kt_record_free(r);
    return st;
}
