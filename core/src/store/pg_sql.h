/* Internal to the store: SQL written for SQLite made readable by PostgreSQL. */
#ifndef KT_STORE_PG_SQL_H
#define KT_STORE_PG_SQL_H

#include <stddef.h>

/* Rewrites sql's parameters (?N and bare ?) as $N, leaving strings, quoted names and comments
 * alone; *nparams is the highest number. *tail (when tail is not NULL) points past the first
 * statement (its ';'), and only that statement is translated. Returns a kt_malloc'd string or
 * NULL when out of memory. */
char *kt_pg_translate(const char *sql, int *nparams, const char **tail);

#endif
