/* The duplicate detection engine as the matcher's fallback: a record its match keys do not
 * find is about the best probable duplicate the engine proposes (above its rule's threshold),
 * if any. Such a match only fills empty fields (run.c). */
#include "import/import_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/dedupe.h"

static kt_status best_duplicate(void *ud, kt_ws *ws, const kt_record *rec, kt_id *id, double *score,
                                kt_error *err)
{
    (void)ud;
    kt_dupe_match *m = NULL;
    size_t n = 0;
    kt_status st = kt_dupes_for_record(ws, rec, -1, &m, &n, 1, err);
    if (st == KT_NOTFOUND) return KT_OK; /* no rule for this entity */
    if (!st && n) *id = m[0].id, *score = m[0].score;
    kt_free(m);
    return st;
}

void imp_matcher_use_dedupe(imp_matcher *m)
{
    imp_matcher_set_fallback(m, best_duplicate, NULL);
}
