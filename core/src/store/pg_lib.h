/* Internal to the store: libpq, loaded when the first PostgreSQL store opens. kt itself does not
 * link it: libpq brings Kerberos, LDAP and TLS libraries that a workspace in a file never needs
 * (the same reason the net and xlsx plugins load theirs on demand). */
#ifndef KT_STORE_PG_LIB_H
#define KT_STORE_PG_LIB_H

#include <libpq-fe.h>

#include "kartoteka/error.h"

/* The calls the engine makes, each the libpq function of the same name with PQ in front. */
typedef struct pq_api {
    void (*clear)(PGresult *res);
    char *(*cmdTuples)(PGresult *res);
    PGconn *(*connectdb)(const char *conninfo);
    PGresult *(*describePrepared)(PGconn *conn, const char *stmt);
    char *(*errorMessage)(const PGconn *conn);
    PGresult *(*exec)(PGconn *conn, const char *query);
    PGresult *(*execParams)(PGconn *conn, const char *command, int nParams, const Oid *paramTypes,
                            const char *const *paramValues, const int *paramLengths,
                            const int *paramFormats, int resultFormat);
    PGresult *(*execPrepared)(PGconn *conn, const char *stmtName, int nParams,
                              const char *const *paramValues, const int *paramLengths,
                              const int *paramFormats, int resultFormat);
    void (*finish)(PGconn *conn);
    char *(*fname)(const PGresult *res, int field_num);
    void (*freemem)(void *ptr);
    Oid (*ftype)(const PGresult *res, int field_num);
    int (*getisnull)(const PGresult *res, int tup_num, int field_num);
    char *(*getvalue)(const PGresult *res, int tup_num, int field_num);
    int (*nfields)(const PGresult *res);
    int (*ntuples)(const PGresult *res);
    PGresult *(*prepare)(PGconn *conn, const char *stmtName, const char *query, int nParams,
                         const Oid *paramTypes);
    char *(*resultErrorField)(const PGresult *res, int fieldcode);
    ExecStatusType (*resultStatus)(const PGresult *res);
    ConnStatusType (*status)(const PGconn *conn);
    PGTransactionStatusType (*transactionStatus)(const PGconn *conn);
    unsigned char *(*unescapeBytea)(const unsigned char *strtext, size_t *retbuflength);
} pq_api;

extern pq_api kt_pq;

/* Loads libpq once (KT_OK after the first success); KT_NOTFOUND naming the package when it is
 * not installed. */
kt_status kt_pq_load(kt_error *err);

#endif
