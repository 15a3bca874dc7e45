/* Output files (exports, reports, rejects): written to a temporary file beside the target,
 * synced, and renamed into place only when everything was written, so a failure (a full disk,
 * a crash, an error half-way) never leaves a 0-byte or half file and never removes what was
 * there before. A target that is one of the workspace's own files (its database with the
 * -wal/-shm/-journal files, its lock file, kartoteka.lua) or any file this process holds open
 * is refused, compared by device and inode so "./kartoteka.db", symbolic and hard links are
 * caught; an existing file is replaced only when asked. Devices and pipes (/dev/stdout, a FIFO)
 * are written directly: there is nothing to rename over them. */
#ifndef KARTOTEKA_OUTPUT_H
#define KARTOTEKA_OUTPUT_H

#include <stdio.h>

#include "kartoteka/error.h"
#include "kartoteka/workspace.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kt_output kt_output;

enum {
    KT_OUTPUT_REPLACE = 1, /* an existing regular file may be replaced */
};

/* Opens a writer for path (created 0600: outputs hold personal data). ws (may be NULL) names
 * the workspace whose files are refused. KT_EXISTS when the target exists (without
 * KT_OUTPUT_REPLACE), is a folder or is a file of the workspace; KT_IO when the temporary file
 * cannot be created. *out is finished by kt_output_commit or kt_output_abort. */
kt_status kt_output_open(kt_ws *ws, const char *path, int flags, kt_output **out, kt_error *err);

/* The stream to write to: borrowed until commit or abort. */
FILE *kt_output_file(kt_output *o);

/* The temporary file's path, for a writer that must open it by name (SQLite's backup): borrowed
 * until commit or abort; NULL when writing a device or a pipe directly. */
const char *kt_output_temp_path(const kt_output *o);

/* Flushes and syncs what was written to the temporary file: after KT_OK only the rename of
 * kt_output_commit is left, so work that must not happen without its output (an import's
 * commit) can wait for it. */
kt_status kt_output_sync(kt_output *o, kt_error *err);

/* Syncs (when not yet done), renames the temporary file over the target and syncs the folder.
 * On failure the temporary file is removed and the target is as it was. Frees o either way. */
kt_status kt_output_commit(kt_output *o, kt_error *err);

/* Removes the temporary file (the target is untouched) and frees o. Accepts NULL. */
void kt_output_abort(kt_output *o);

/* The refusal kt_output_open makes, for a writer that appends instead (an mbox): KT_EXISTS
 * when path is a file of the workspace in ws_dir (may be NULL: none), a folder, or a file this
 * process holds open. */
kt_status kt_output_refuse_own(const char *ws_dir, const char *path, kt_error *err);

#ifdef __cplusplus
}
#endif
#endif
