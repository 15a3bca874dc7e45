/* The import's own check of what it is about to report: the history of the batch must hold at
 * least the records the summary says were created and a change for every row it says was
 * updated. A script that ended the batch's transaction under the import (the SQL guard now
 * refuses that) or any other loss would otherwise be reported as done. */
#include "import/import_int.h"
#include "record/history.h"

kt_status imp_verify_counts(kt_ws *ws, const kt_import_summary *sum, kt_error *err)
{
    if (!sum->batch) return KT_OK;
    long long created = 0, updates = 0;
    kt_status st = kt_history_batch_counts(ws, sum->batch, &created, &updates, err);
    if (st) return st;
    if (created < sum->created || updates < sum->updated)
        return kt_error_set(err, KT_INTERNAL,
                            "import batch %lld: the summary says %ld created and %ld updated, "
                            "but its history holds %lld created records and %lld field changes; "
                            "nothing was kept (a bug: please report it)",
                            sum->batch, sum->created, sum->updated, created, updates);
    return KT_OK;
}
