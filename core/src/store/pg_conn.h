/* Internal to the store: the PostgreSQL connection behind a kt_store, shared by the engine
 * (pg_engine.c) and its statements (pg_stmt.c). */
#ifndef KT_STORE_PG_CONN_H
#define KT_STORE_PG_CONN_H

#include <libpq-fe.h>

#include "kartoteka/store.h"

typedef struct pg_conn {
    PGconn *c;
    char state[6];     /* SQLSTATE of the last failure, "" when none */
    char message[512]; /* the server's words for it */
    long long changes; /* rows the last statement changed */
    unsigned serial;   /* names server-side prepared statements: kt_1, kt_2, ... */
    int read_only;
} pg_conn;

pg_conn *kt_pg_conn(kt_store *s);
/* Keeps res's failure (SQLSTATE and message) as the connection's last; res is not freed. */
void kt_pg_keep_failure(pg_conn *pc, const PGresult *res);
/* Inside a transaction a statement that fails would abort it: kt_pg_fenced(pc, "SAVEPOINT
 * kt_stmt") before it (0 when that failed, kept), kt_pg_unfence(pc, ok) after, which keeps its
 * work or undoes it alone. */
int kt_pg_fenced(pg_conn *pc, const char *sql);
void kt_pg_unfence(pg_conn *pc, int ok);
/* A statement of s for sql (SQLite's dialect); persistent ones are prepared on the server.
 * NULL when out of memory or when the server refuses it (the failure is kept). */
kt_stmt *kt_pg_stmt_new(kt_store *s, const char *sql, int persistent, const char **tail);

#endif
