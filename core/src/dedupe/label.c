/* Labels: what a person said about a pair (kt dupes --not, kt dupes review, kt dupes label, the
 * web), one label a pair: distinct (never proposed again, a non-match in training) or same
 * (reported as duplicates whatever they score, a match in training). */
#include <string.h>

#include "dedupe/dd_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/query.h"
#include "kartoteka/store.h"

int kt_dupes_label_parse(const char *text, kt_dupe_label *out)
{
    static const struct {
        const char *name;
        kt_dupe_label label;
    } names[] = {
        {"same", KT_DUPE_SAME}, {"distinct", KT_DUPE_DISTINCT}, {"clear", KT_DUPE_UNLABELLED}};
    for (size_t i = 0; text && i < sizeof names / sizeof *names; i++)
        if (!strcmp(text, names[i].name)) {
            *out = names[i].label;
            return 0;
        }
    return -1;
}

kt_status kt_dupes_label(kt_ws *ws, kt_id a, kt_id b, kt_dupe_label label, const char *source,
                         kt_error *err)
{
    if (a == b) return kt_error_set(err, KT_USAGE, "a record is not a pair with itself");
    if (a > b) {
        kt_id t = a;
        a = b;
        b = t;
    }
    char ea[64], eb[64];
    kt_status st = kt_ws_entity_of(ws, a, ea, sizeof ea, err);
    if (!st) st = kt_ws_entity_of(ws, b, eb, sizeof eb, err);
    if (st) return st;
    if (strcmp(ea, eb) != 0)
        return kt_error_set(err, KT_USAGE, "record %lld is a %s and %lld a %s: never duplicates", a,
                            ea, b, eb);
    kt_store *s = kt_ws_store(ws);
    if ((st = kt_store_begin(s, err))) return st;
    if (label != KT_DUPE_SAME) st = dd_same_drop(s, a, b, err);
    if (!st && label != KT_DUPE_DISTINCT) st = dd_distinct_drop(s, a, b, err);
    if (!st && label == KT_DUPE_SAME) st = dd_same_put(s, a, b, source, err);
    if (!st && label == KT_DUPE_DISTINCT) st = dd_distinct_put(s, a, b, source, err);
    if (st) {
        kt_store_rollback(s);
        return st;
    }
    return kt_store_commit(s, err);
}

kt_dupe_label kt_dupes_label_of(kt_ws *ws, kt_id a, kt_id b)
{
    if (a > b) {
        kt_id t = a;
        a = b;
        b = t;
    }
    if (kt_dupes_is_distinct(ws, a, b)) return KT_DUPE_DISTINCT;
    return dd_is_same(kt_ws_store(ws), a, b) ? KT_DUPE_SAME : KT_DUPE_UNLABELLED;
}

kt_status dd_both_active(kt_ws *ws, const char *entity, kt_id a, kt_id b, int *yes, kt_error *err)
{
    *yes = 0;
    kt_id ids[2] = {a, b};
    int ok = 1;
    for (int i = 0; ok && i < 2; i++) {
        kt_record *rec = NULL;
        kt_status st = kt_get(ws, ids[i], &rec, err);
        if (st == KT_NOTFOUND) return KT_OK;
        if (st) return st;
        ok = !strcmp(rec->entity, entity) && !strcmp(rec->state, "active");
        kt_record_free(rec);
    }
    *yes = ok;
    return KT_OK;
}

kt_status kt_dupes_same(kt_ws *ws, const char *entity, kt_dupe_pair **out, size_t *n, kt_error *err)
{
    *out = NULL;
    *n = 0;
    kt_id *all = NULL;
    size_t nall = 0;
    kt_status st = dd_same_all(kt_ws_store(ws), &all, &nall, err);
    if (!st && nall && !(*out = kt_malloc(nall * sizeof **out)))
        st = kt_error_set(err, KT_NOMEM, "out of memory");
    for (size_t i = 0; !st && i < nall; i++) {
        int keep = 0;
        st = dd_both_active(ws, entity, all[2 * i], all[2 * i + 1], &keep, err);
        if (!st && keep) (*out)[(*n)++] = (kt_dupe_pair){all[2 * i], all[2 * i + 1], -1};
    }
    kt_free(all);
    if (st) {
        kt_free(*out);
        *out = NULL;
        *n = 0;
    }
    return st;
}
