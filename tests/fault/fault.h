/* Test-only fault injection (built with -DKT_FAULT=ON, linked into tests/unit/test_fault_*):
 * SQLite's allocator and a VFS shim over "unix" that fail the N-th call, and a canonical hash
 * of a database's content so a test can prove a failed command changed nothing.
 *
 * kt_fault_install must run before anything touches SQLite (sqlite3_config only works before
 * sqlite3_initialize): call it first in main(). The core's own allocator has kt_alloc_fail_at. */
#ifndef KT_FAULT_H
#define KT_FAULT_H

#include <stdint.h>

#include <sqlite3.h>

/* Wraps SQLite's allocator and registers the VFS shim as the default. Aborts on failure: a
 * fault test that silently runs without its faults would prove nothing. */
void kt_fault_install(void);

/* SQLite's allocator: fail the n-th allocation (xMalloc or growing xRealloc) from now, once;
 * 0 disables. Returns how many allocations were attempted since the last call. */
unsigned long kt_fault_sqlite_fail_at(unsigned long n);

/* The VFS shim: fail the n-th write or sync (on any file: database, WAL, journal) from now,
 * once, with SQLITE_IOERR_WRITE / SQLITE_IOERR_FSYNC; 0 disables. Returns how many writes and
 * syncs were attempted since the last call. */
unsigned long kt_fault_vfs_fail_at(unsigned long n);

/* Registers the VFS shim (kt_fault_install does). */
int kt_fault_vfs_register(void);

/* A hash of everything a user could lose: every table's rows in a fixed order (sqlite_schema,
 * sqlite_sequence, FTS shadow tables included) and user_version, read through a connection of
 * its own; tables named in skip (NULL-terminated, may be NULL) are left out. Returns 0 and sets
 * *hash, or an SQLite error code. Run it with faults disarmed. */
int kt_fault_db_hash(const char *path, const char *const *skip, uint64_t *hash);

/* PRAGMA integrity_check and FTS5's integrity-check of every full-text table, through a
 * connection of its own: 1 when both say the database is sound. */
int kt_fault_db_ok(const char *path);

/* The walk: run cmd with the n-th fault of one kind armed, for n = 1, 2, ... until a run
 * reaches no fault (fewer calls than n) or max. Every run that fails must return a status
 * with err.code equal to it and a message, leave no transaction open on store and leave the
 * database's hash as it was; a run may also succeed (SQLite recovers from some failures),
 * and then it must have changed the database. */
#include "kartoteka/error.h"
#include "kartoteka/record.h"
#include "kartoteka/store.h"
#include "kartoteka/workspace.h"

typedef enum kt_fault_kind {
    KT_FAULT_CORE_ALLOC,   /* kt_alloc_fail_at */
    KT_FAULT_SQLITE_ALLOC, /* kt_fault_sqlite_fail_at */
    KT_FAULT_IO,           /* kt_fault_vfs_fail_at */
} kt_fault_kind;

typedef kt_status (*kt_fault_cmd)(void *ud, kt_error *err);

typedef struct kt_fault_stats {
    unsigned long runs;      /* how many n were tried */
    unsigned long last;      /* the last n tried */
    unsigned long failed;    /* runs that ended in a clean error */
    unsigned long recovered; /* runs that met a fault and still succeeded */
    unsigned long calls;     /* calls of that kind in a run with no fault */
} kt_fault_stats;

typedef struct kt_fault_walk_opts {
    const char *db_path; /* the database to hash */
    kt_ws *const *ws;    /* its store is checked for an open transaction after each run (a
                            slot: prepare may reopen the workspace); may be NULL */
    kt_fault_cmd cmd;
    void *ud;
    unsigned long max;    /* give up (and fail) after this many runs */
    int read_only;        /* the command writes nothing even when it succeeds */
    unsigned long step;   /* try every step-th n (0 or 1: every n): long walks in CI */
    kt_fault_cmd prepare; /* run before each run, faults disarmed (make its input); or NULL */
    const char *const *skip_tables; /* bookkeeping a failed command may leave (kt_batch) */
    kt_fault_cmd committed;         /* after a failed run that changed the database: KT_OK when the
                                       change is a whole unit committed before the failure (a
                                       campaign's per-record transaction); NULL: no change allowed */
    kt_fault_cmd verify; /* after a successful run, faults disarmed: did it do all of its job
                            (a swallowed failure must not lose a value)? or NULL */
    /* Past n = sparse_from (0: never), every sparse_step-th n: a command whose tail is long and
     * uniform (a VACUUM's thousands of allocations) is walked densely where its work is. */
    unsigned long sparse_from, sparse_step;
} kt_fault_walk_opts;

/* 0 when every run kept the promises; else 1 with why filled (for fail_msg). */
int kt_fault_walk(kt_fault_kind kind, const kt_fault_walk_opts *o, kt_fault_stats *stats, char *why,
                  size_t size);

/* A workspace for a fault test, opened as the kt command opens one: dir is made (mkdtemp
 * template, e.g. "/tmp/kt-fault-XXXXXX", changed in place), config written as its
 * kartoteka.lua, configuration applied and the duplicate check installed. */
kt_status kt_fault_ws_open(char *dir_template, const char *config, kt_ws **out, kt_error *err);
/* Opens an existing one the same way. */
kt_status kt_fault_ws_reopen(const char *dir, kt_ws **out, kt_error *err);
/* Removes the folder (rm -rf). */
void kt_fault_ws_remove(const char *dir);

/* What a fault test's fixture starts with. */
typedef struct kt_fault_fixture {
    char dir[64];
    char db[96];   /* dir/kartoteka.db */
    char file[96]; /* dir/<the test's input file> */
    kt_ws *ws;
} kt_fault_fixture;
/* cmocka setup: *state becomes a zeroed block of size bytes (a struct that starts with a
 * kt_fault_fixture) with a workspace opened with config; file names the input file. */
int kt_fault_setup(void **state, size_t size, const char *config, const char *file);
/* Saves a new record of entity with kv's field/value pairs (NULL-terminated) through the write
 * door, duplicates allowed, faults as armed; *id gets its id. */
kt_status kt_fault_add(kt_ws *ws, const char *entity, const char *const *kv, kt_id *id,
                       kt_error *err);
/* cmocka teardown for kt_fault_setup: closes the workspace, removes its folder. */
int kt_fault_teardown(void **state);

#endif
