/* The import's own check of what it is about to report: the history of the batch must hold at
 * least the records the summary says were created and a change for every row it says was
 * updated. A script that ended the batch's transaction under the import (the SQL guard now
 * refuses that) or any other loss would otherwise be reported as done. */
#include <stdio.h>

#include "import/import_int.h"
#include "kartoteka/store.h"

kt_status imp_verify_counts(kt_ws *ws, const kt_import_summary *sum, kt_error *err)
{
    if (!sum->batch) return KT_OK;
    kt_store *s = kt_ws_store(ws);
    char sql[200];
    long long created = 0, updates = 0;
    /* the batch id is our own integer, never user text */
    snprintf(sql, sizeof sql,
             "SELECT count(DISTINCT record) FROM kt_change WHERE batch = %lld AND action = "
             "'create'",
             sum->batch);
    kt_status st = kt_store_int(s, sql, "checking the import's counts", &created, err);
    if (st) return st;
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM kt_change WHERE batch = %lld AND action = 'update'", sum->batch);
    if ((st = kt_store_int(s, sql, "checking the import's counts", &updates, err))) return st;
    if (created < sum->created || updates < sum->updated)
        return kt_error_set(err, KT_INTERNAL,
                            "import batch %lld: the summary says %ld created and %ld updated, "
                            "but its history holds %lld created records and %lld field changes; "
                            "nothing was kept (a bug: please report it)",
                            sum->batch, sum->created, sum->updated, created, updates);
    return KT_OK;
}
