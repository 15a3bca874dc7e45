/* The statements of kt_dupe_review: probable duplicates nobody acted on because the evidence was
 * too thin (an import row created beside a similar record), kept for kt dupes to propose. */
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
    kt_store *s = kt_ws_store(ws);
    kt_stmt *q;
    kt_status st =
        kt_store_prepare(s,
                         "INSERT OR REPLACE INTO kt_dupe_review(a, b, score, at, source) "
                         "VALUES (?1, ?2, ?3, ?4, ?5)",
                         &q, err);
    if (st) return st;
    char now[32];
    kt_store_now(now);
    kt_stmt_bind_int(q, 1, a);
    kt_stmt_bind_int(q, 2, b);
    kt_stmt_bind_double(q, 3, score);
    kt_stmt_bind_text(q, 4, now);
    kt_stmt_bind_text(q, 5, source);
    int rc = kt_stmt_step(q);
    kt_stmt_reset(q);
    return rc == KT_STMT_DONE ? KT_OK : kt_store_fail(s, err, "queueing a pair for review");
}

kt_status kt_dupes_queued(kt_ws *ws, const char *entity, kt_dupe_pair **out, size_t *n,
                          kt_error *err)
{
    *out = NULL;
    *n = 0;
    kt_store *s = kt_ws_store(ws);
    kt_stmt *q;
    kt_status st =
        kt_store_prepare_new(s, "SELECT a, b, score FROM kt_dupe_review ORDER BY score DESC, a, b",
                             "reading the review queue", &q, err);
    if (st) return st;
    size_t cap = 0;
    int rc = KT_STMT_DONE;
    while (!st && (rc = kt_stmt_step(q)) == KT_STMT_ROW) {
        kt_dupe_pair p = {kt_stmt_int(q, 0), kt_stmt_int(q, 1), kt_stmt_double(q, 2)};
        int keep = 0;
        if ((st = dd_both_active(ws, entity, p.a, p.b, &keep, err)) || !keep ||
            kt_dupes_label_of(ws, p.a, p.b) != KT_DUPE_UNLABELLED)
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            kt_dupe_pair *np = kt_realloc(*out, cap * sizeof *np);
            if (!np) {
                st = kt_error_set(err, KT_NOMEM, "out of memory");
                break;
            }
            *out = np;
        }
        (*out)[(*n)++] = p;
    }
    if (!st && rc != KT_STMT_DONE) st = kt_store_fail(s, err, "reading the review queue");
    kt_stmt_free(q);
    if (st) {
        kt_free(*out);
        *out = NULL;
        *n = 0;
    }
    return st;
}
