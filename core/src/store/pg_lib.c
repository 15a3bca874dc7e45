/* libpq, opened with dlopen when the first PostgreSQL store opens (see pg_lib.h). */
#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

#include "store/pg_lib.h"

pq_api kt_pq;

static int loaded;

kt_status kt_pq_load(kt_error *err)
{
    if (loaded) return KT_OK;
    /* kept for the process's life: statements and connections may outlive any one store */
    void *h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return kt_error_set(err, KT_NOTFOUND,
                            "a PostgreSQL store needs libpq (Debian's libpq5): %s", dlerror());
    static const struct {
        const char *name;
        size_t at;
    } fns[] = {
        {"PQclear", offsetof(pq_api, clear)},
        {"PQcmdTuples", offsetof(pq_api, cmdTuples)},
        {"PQconnectdb", offsetof(pq_api, connectdb)},
        {"PQdescribePrepared", offsetof(pq_api, describePrepared)},
        {"PQerrorMessage", offsetof(pq_api, errorMessage)},
        {"PQexec", offsetof(pq_api, exec)},
        {"PQexecParams", offsetof(pq_api, execParams)},
        {"PQexecPrepared", offsetof(pq_api, execPrepared)},
        {"PQfinish", offsetof(pq_api, finish)},
        {"PQfname", offsetof(pq_api, fname)},
        {"PQfreemem", offsetof(pq_api, freemem)},
        {"PQftype", offsetof(pq_api, ftype)},
        {"PQgetisnull", offsetof(pq_api, getisnull)},
        {"PQgetvalue", offsetof(pq_api, getvalue)},
        {"PQnfields", offsetof(pq_api, nfields)},
        {"PQntuples", offsetof(pq_api, ntuples)},
        {"PQprepare", offsetof(pq_api, prepare)},
        {"PQresultErrorField", offsetof(pq_api, resultErrorField)},
        {"PQresultStatus", offsetof(pq_api, resultStatus)},
        {"PQstatus", offsetof(pq_api, status)},
        {"PQtransactionStatus", offsetof(pq_api, transactionStatus)},
        {"PQunescapeBytea", offsetof(pq_api, unescapeBytea)},
    };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        void *f = dlsym(h, fns[i].name);
        if (!f) {
            dlclose(h);
            return kt_error_set(err, KT_NOTFOUND, "libpq.so.5 lacks %s", fns[i].name);
        }
        /* POSIX lets a data pointer from dlsym hold a function's address */
        memcpy((char *)&kt_pq + fns[i].at, &f, sizeof f);
    }
    loaded = 1;
    return KT_OK;
}
