/* The review queue: probable duplicates nobody acted on because the evidence was too thin (an
 * import row created beside a similar record), kept for kt dupes to propose (review_table.c). */
#include <stdlib.h>
#include <string.h>

#include "dedupe/dd_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/dedupe.h"
#include "kartoteka/query.h"
#include "kartoteka/store.h"

kt_status kt_dupes_queue(kt_ws *ws, kt_id a, kt_id b, double score, const char *source,
                         kt_error *err)
{
    if (a == b) return KT_OK;
    if (a > b) {
        kt_id t = a;
        a = b;
        b = t;
    }
    char now[32];
    kt_store_now(now);
    return dd_review_put(kt_ws_store(ws), a, b, score, now, source, err);
}

/* The queued pairs still in question for an entity. */
typedef struct queued {
    kt_ws *ws;
    const char *entity;
    kt_dupe_pair **out;
    size_t *n, cap;
} queued;

static kt_status keep_pair(void *ud, kt_id a, kt_id b, double score, kt_error *err)
{
    queued *x = ud;
    int keep = 0;
    kt_status st = dd_both_active(x->ws, x->entity, a, b, &keep, err);
    if (st || !keep || kt_dupes_label_of(x->ws, a, b) != KT_DUPE_UNLABELLED) return st;
    if (*x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 16;
        kt_dupe_pair *np = kt_realloc(*x->out, x->cap * sizeof *np);
        if (!np) return kt_error_set(err, KT_NOMEM, "out of memory");
        *x->out = np;
    }
    (*x->out)[(*x->n)++] = (kt_dupe_pair){a, b, score};
    return KT_OK;
}

kt_status kt_dupes_queued(kt_ws *ws, const char *entity, kt_dupe_pair **out, size_t *n,
                          kt_error *err)
{
    *out = NULL;
    *n = 0;
    queued x = {ws, entity, out, n, 0};
    kt_status st = dd_review_each(kt_ws_store(ws), keep_pair, &x, err);
    if (st) {
        kt_free(*out);
        *out = NULL;
        *n = 0;
    }
    return st;
}
