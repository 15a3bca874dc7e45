/* Shared by the fuzz targets that need a workspace: a folder under /tmp made once per process
 * with the built-in schema applied, removed at exit. */
#ifndef KT_FUZZ_WS_H
#define KT_FUZZ_WS_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kartoteka/config.h"
#include "kartoteka/workspace.h"

static char fuzz_ws_dir[64];

static void fuzz_ws_cleanup(void)
{
    char cmd[128];
    if (!fuzz_ws_dir[0]) return;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fuzz_ws_dir);
    if (system(cmd) != 0) fprintf(stderr, "fuzz: cannot remove %s\n", fuzz_ws_dir);
}

/* A new workspace folder with its database (built-in schema only); aborts on failure, since
 * a target without its workspace would fuzz nothing. */
static kt_ws *fuzz_ws_make(void)
{
    snprintf(fuzz_ws_dir, sizeof fuzz_ws_dir, "/tmp/kt-fuzz-XXXXXX");
    if (!mkdtemp(fuzz_ws_dir)) abort();
    atexit(fuzz_ws_cleanup);
    kt_ws *ws = NULL;
    kt_error err;
    kt_config_opts o = {0};
    o.skip_workspace = 1;
    if (kt_ws_open(fuzz_ws_dir, &ws, &err) || kt_config_apply(ws, &o, &err)) {
        fprintf(stderr, "fuzz: cannot make a workspace: %s\n", err.message);
        abort();
    }
    return ws;
}

#endif
