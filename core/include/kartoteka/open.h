/* Opening a workspace whole: what a program embedding the core calls to get the same workspace
 * kt works on (the configuration applied, the duplicate check in the write door). */
#ifndef KARTOTEKA_OPEN_H
#define KARTOTEKA_OPEN_H

#include "kartoteka/config.h"
#include "kartoteka/workspace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* kt_ws_open, then kartoteka.lua applied with o (kt_config_apply), then the on-entry duplicate
 * check installed (kt_dedupe_install). *out is closed with kt_ws_close; NULL on failure. */
kt_status kt_open(const char *dir, const kt_config_opts *o, kt_ws **out, kt_error *err);

#ifdef __cplusplus
}
#endif
#endif
