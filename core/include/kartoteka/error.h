/* The one error pattern of Kartoteka: every fallible function returns a kt_status and, when it
 * fails, fills a caller-owned kt_error. Filling an error never allocates, so out-of-memory paths
 * stay honest. Codes are never renumbered, only added. */
#ifndef KARTOTEKA_ERROR_H
#define KARTOTEKA_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kt_status {
    KT_OK = 0,
    KT_NOTFOUND = 1,   /* a record, file, field or entity that does not exist */
    KT_INVALID = 2,    /* a value or request that breaks a rule (bad data) */
    KT_CONSTRAINT = 3, /* a unique value taken, a duplicate, a conflicting change */
    KT_LIMIT = 4,      /* a configured maximum reached (cell size, memory budget, ...) */
    KT_TIMEOUT = 5,    /* a time budget ran out */
    KT_SCRIPT = 6,     /* a Lua script failed */
    KT_ABI = 7,        /* a plugin built for another ABI, or not a plugin */
    KT_DENIED = 8,     /* refused for safety: permissions, sandbox, read-only */
    KT_IO = 9,         /* reading or writing a file failed */
    KT_BUSY = 10,      /* the database is locked by another process for too long */
    KT_NOMEM = 11,     /* out of memory */
    KT_USAGE = 12,     /* a caller passed arguments that make no sense */
    KT_INTERNAL = 13,  /* a bug or an unexpected SQLite failure */
    KT_EXISTS = 14,    /* something to create is already there */
} kt_status;

#define KT_ERROR_MESSAGE_MAX 2048
#define KT_ERROR_WHERE_MAX 512

typedef struct kt_error {
    kt_status code;
    char message[KT_ERROR_MESSAGE_MAX]; /* for people: what failed and why */
    char where[KT_ERROR_WHERE_MAX];     /* optional: "script.lua:12", "import line 7", "plugin x" */
} kt_error;

/* A stable English name for a status code ("not found"). Returns a static string. */
const char *kt_strerror(kt_status code);

/* Sets code and a printf-style message; err may be NULL. Returns code so callers can
 * `return kt_error_set(err, KT_INVALID, "...")`. Truncates, never allocates. */
kt_status kt_error_set(kt_error *err, kt_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sets the `where` part; err may be NULL. */
void kt_error_where(kt_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prefixes the message with context ("import line 7: " + old message); err may be NULL. */
void kt_error_prefix(kt_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Resets err to KT_OK with empty texts; err may be NULL. */
void kt_error_clear(kt_error *err);

#ifdef __cplusplus
}
#endif
#endif
