/* The duplicate detection engine as the matcher's fallback: a record its match keys do not
 * find is about the best probable duplicate the engine proposes (above its rule's threshold),
 * if any, on enough evidence. Such a match only fills empty fields (run.c); a similar record
 * with too little agreeing is proposed for review instead. */
#include "import/import_int.h"
#include "kartoteka/dedupe.h"

static kt_status best_duplicate(void *ud, kt_ws *ws, const kt_record *rec, kt_id *id, double *score,
                                kt_id *review, double *review_score, kt_error *err)
{
    (void)ud;
    kt_dupe_match act, maybe;
    kt_status st = kt_dupes_decide(ws, rec, &act, &maybe, err);
    if (st == KT_NOTFOUND) return KT_OK; /* no rule for this entity */
    if (st) return st;
    *id = act.id;
    *score = act.score;
    *review = maybe.id;
    *review_score = maybe.score;
    return KT_OK;
}

void imp_matcher_use_dedupe(imp_matcher *m)
{
    imp_matcher_set_fallback(m, best_duplicate, NULL);
}
