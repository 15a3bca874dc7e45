/* Backup and restore of a workspace's database with SQLite's online backup API: a backup is a
 * consistent copy of the last committed state, taken while other commands go on writing (an
 * import running at the same time is in it wholly or not at all); a restore checks the file
 * before it replaces anything. */
#ifndef KARTOTEKA_BACKUP_H
#define KARTOTEKA_BACKUP_H

#include "kartoteka/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kt_backup_info {
    long long records; /* records (every state) in the copy */
    long long bytes;   /* size of the copy */
} kt_backup_info;

/* Copies the store's database into path, an empty file the caller made: the temporary file of
 * an output writer (kartoteka/output.h), which refuses the workspace's own files and renames the
 * copy into place only when whole. info may be NULL. */
kt_status kt_backup(kt_store *s, const char *path, kt_backup_info *info, kt_error *err);

/* Checks that path is a Kartoteka database (SQLite, with the core's tables, a schema this
 * build knows) that passes PRAGMA integrity_check; KT_INVALID naming what is wrong otherwise. */
kt_status kt_backup_check(const char *path, kt_backup_info *info, kt_error *err);

/* Replaces the store's database with the checked copy at path, in one step other connections
 * see whole. KT_EXISTS when the store holds records and !force. No transaction may be open on
 * s. The store's registry in memory is stale afterwards: close it. */
kt_status kt_restore_db(kt_store *s, const char *path, int force, kt_backup_info *info,
                        kt_error *err);
/* Bits of force beyond 1 (replace a workspace that holds records): KT_RESTORE_DRY_RUN checks
 * the file and fills info, and replaces nothing. */
#define KT_RESTORE_DRY_RUN 2

#ifdef __cplusplus
}
#endif
#endif
