/* The fault walk shared by the test_fault_* programs: fail the 1st, 2nd, ... call of one
 * kind inside a command and check that each failure is clean. */
#include <stdio.h>
#include <stdlib.h>

#include "fault.h"
#include "kartoteka/alloc.h"

static unsigned long arm(kt_fault_kind kind, unsigned long n)
{
    switch (kind) {
    case KT_FAULT_CORE_ALLOC:
        return kt_alloc_fail_at(n);
    case KT_FAULT_SQLITE_ALLOC:
        return kt_fault_sqlite_fail_at(n);
    case KT_FAULT_IO:
        return kt_fault_vfs_fail_at(n);
    }
    return 0;
}

static const char *kind_name(kt_fault_kind kind)
{
    return kind == KT_FAULT_CORE_ALLOC     ? "core allocation"
           : kind == KT_FAULT_SQLITE_ALLOC ? "SQLite allocation"
                                           : "write/sync";
}

int kt_fault_walk(kt_fault_kind kind, const kt_fault_walk_opts *o, kt_fault_stats *stats, char *why,
                  size_t size)
{
    const char *db_path = o->db_path;
    *stats = (kt_fault_stats){0};
    uint64_t before, after;
    if (kt_fault_db_hash(db_path, o->skip_tables, &before)) {
        snprintf(why, size, "cannot hash %s before the walk", db_path);
        return 1;
    }
    unsigned long step = o->step > 1 ? o->step : 1;
    for (unsigned long n = 1; n <= o->max;
         n +=
         o->sparse_from && n > o->sparse_from && o->sparse_step > step ? o->sparse_step : step) {
        kt_error err;
        kt_error_clear(&err);
        if (o->prepare) {
            if (o->prepare(o->ud, &err)) {
                snprintf(why, size, "%s %lu: preparing the run failed: %s", kind_name(kind), n,
                         err.message);
                return 1;
            }
            if (kt_fault_db_hash(db_path, o->skip_tables, &before)) {
                snprintf(why, size, "cannot hash %s", db_path);
                return 1;
            }
        }
        arm(kind, n);
        kt_status st = o->cmd(o->ud, &err);
        unsigned long seen = arm(kind, 0);
        stats->runs++;
        stats->last = n;
        if (o->ws && *o->ws && kt_store_depth(kt_ws_store(*o->ws)) != 0) {
            snprintf(why, size, "%s %lu: a transaction was left open (status %d: %s)",
                     kind_name(kind), n, (int)st, err.message);
            return 1;
        }
        if (kt_fault_db_hash(db_path, o->skip_tables, &after)) {
            snprintf(why, size, "%s %lu: cannot read the database after the command",
                     kind_name(kind), n);
            return 1;
        }
        if (st != KT_OK) {
            stats->failed++;
            if (err.code != st || err.message[0] == '\0') {
                snprintf(why, size, "%s %lu: status %d with error code %d and message '%s'",
                         kind_name(kind), n, (int)st, (int)err.code, err.message);
                return 1;
            }
            if (after != before) {
                kt_error why_not;
                if (o->committed && o->committed(o->ud, &why_not) == KT_OK) {
                    before = after;
                } else {
                    snprintf(why, size,
                             "%s %lu: the command failed (%s) but changed the database%s%s",
                             kind_name(kind), n, err.message, o->committed ? ": " : "",
                             o->committed ? why_not.message : "");
                    return 1;
                }
            }
            if (seen < n) {
                snprintf(why, size, "%s %lu: the command failed without a fault: %s",
                         kind_name(kind), n, err.message);
                return 1;
            }
            continue;
        }
        if (after == before && !o->read_only) {
            snprintf(why, size, "%s %lu: the command succeeded but wrote nothing", kind_name(kind),
                     n);
            return 1;
        }
        if (o->verify && o->verify(o->ud, &err)) {
            snprintf(why, size, "%s %lu: the command succeeded%s but its result is wrong: %s",
                     kind_name(kind), n, seen >= n ? " after a fault" : "", err.message);
            return 1;
        }
        before = after;
        if (seen < n) {
            stats->calls = seen;
            if (!kt_fault_db_ok(db_path)) {
                snprintf(why, size, "integrity_check failed after the %s walk", kind_name(kind));
                return 1;
            }
            return 0;
        }
        stats->recovered++;
        if (getenv("KT_FAULT_VERBOSE"))
            fprintf(stderr, "fault: %s %lu met and recovered\n", kind_name(kind), n);
    }
    snprintf(why, size, "%s walk: the command still met a fault after %lu runs", kind_name(kind),
             o->max);
    return 1;
}
