/* The on-entry check: a new record is compared with the stored records sharing one of its
 * blocking keys (kt_dupe_key, by index), never with the whole table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dedupe/dd_int.h"
#include "dedupe/merge_int.h"
#include "dedupe/model.h"
#include "dedupe/overlay.h"
#include "kartoteka/alloc.h"
#include "kartoteka/config.h"
#include "kartoteka/match.h"
#include "kartoteka/store.h"

#define CACHE_TAG "dedupe.rules"
#define MAX_CANDIDATES 2000

/* Rules per entity, read once per open workspace (the declarations do not change while it is
 * open). A NULL rule remembers that an entity has none. */
typedef struct cache {
    char **entities;
    kt_dedupe_rule **rules;
    size_t n;
} cache;

static void cache_free(void *p)
{
    cache *c = p;
    for (size_t i = 0; i < c->n; i++) {
        kt_free(c->entities[i]);
        kt_dedupe_rule_free(c->rules[i]);
    }
    kt_free(c->entities);
    kt_free(c->rules);
    kt_free(c);
}

/* The cached rule (borrowed), NULL when the entity has none. */
static kt_status cached_rule(kt_ws *ws, const char *entity, const kt_dedupe_rule **out,
                             kt_dedupe_rule **owned, kt_error *err)
{
    *out = NULL;
    *owned = NULL;
    cache *c = kt_ws_attachment(ws, CACHE_TAG);
    for (size_t i = 0; c && i < c->n; i++)
        if (!strcmp(c->entities[i], entity)) {
            *out = c->rules[i];
            return KT_OK;
        }
    kt_dedupe_rule *r = NULL;
    kt_status st = kt_dedupe_rule_get(ws, entity, &r, err);
    if (st == KT_NOTFOUND) st = KT_OK;
    if (st) return st;
    if (!c) {
        *out = *owned = r;
        return KT_OK;
    }
    char **ne = kt_realloc(c->entities, (c->n + 1) * sizeof *ne);
    if (ne) c->entities = ne;
    kt_dedupe_rule **nr = ne ? kt_realloc(c->rules, (c->n + 1) * sizeof *nr) : NULL;
    if (nr) c->rules = nr;
    char *name = nr ? kt_strdup(entity) : NULL;
    if (!name) {
        kt_dedupe_rule_free(r);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    c->entities[c->n] = name;
    c->rules[c->n++] = r;
    *out = r;
    return KT_OK;
}

static int by_score(const void *a, const void *b)
{
    const kt_dupe_match *x = a, *y = b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int by_id(const void *a, const void *b)
{
    kt_id x = *(const kt_id *)a, y = *(const kt_id *)b;
    return x < y ? -1 : x > y;
}

/* The stored holders of one key gathered into ids, up to cap. */
typedef struct gather {
    const dd_overlay *o;
    kt_id self, *ids;
    size_t *n, cap;
} gather;

static int holder(void *ud, kt_id id)
{
    gather *g = ud;
    if (id != g->self && !(g->o && dd_overlay_holds(g->o, id))) g->ids[(*g->n)++] = id;
    return *g->n >= g->cap;
}

/* Ids sharing a key with raw (its own id left out), unique. A key shared by DD_BLOCK_CAP others
 * says nothing, unless it is the fingerprint (exact copies). During an import the overlay's keys
 * stand in for the stored keys of the records it holds. */
static kt_status lookup(kt_ws *ws, const kt_dedupe_rule *r, const dd_overlay *o,
                        const char *const *raw, kt_id self, kt_id **ids, size_t *n, kt_error *err)
{
    uint64_t k[DD_MAX_KEYS];
    int nk = dd_record_keys(r, raw, k);
    if (nk < 0) return kt_error_set(err, KT_NOMEM, "out of memory");
    kt_store *s = kt_ws_store(ws);
    kt_status st = KT_OK;
    *ids = kt_malloc((size_t)(nk + 1) * DD_BLOCK_CAP * sizeof **ids);
    if (!*ids) return kt_error_set(err, KT_NOMEM, "out of memory");
    *n = 0;
    for (int i = 0; !st && i < nk; i++) {
        size_t start = *n, cap = start + DD_BLOCK_CAP;
        gather g = {o, self, *ids, n, cap};
        if (!o || dd_overlay_may_store(o, k[i])) st = dd_keys_holders(s, k[i], holder, &g, err);
        if (o && *n < cap) *n = dd_overlay_ids(o, k[i], self, *ids, start, *n, cap);
        /* a block too big to say anything, but for the fingerprint's: all exact copies */
        if (*n >= cap && i != DD_FINGERPRINT) *n = start;
    }
    if (st) {
        kt_free(*ids);
        *ids = NULL;
        return st;
    }
    qsort(*ids, *n, sizeof **ids, by_id);
    size_t w = 0;
    for (size_t i = 0; i < *n; i++)
        if (!w || (*ids)[w - 1] != (*ids)[i]) (*ids)[w++] = (*ids)[i];
    *n = w;
    return KT_OK;
}

typedef struct judge {
    kt_ws *ws;
    const kt_dedupe_rule *r;
    const dd_table *t; /* row 0: the record itself */
    size_t order[64];
    kt_id self;
    double threshold;
    kt_dupe_match *m;
    size_t *nm;
    double act;       /* when min_agreeing > 0: only pairs from act up with enough evidence */
    int min_agreeing; /* go to m, the best of the others to review */
    kt_dupe_match review;
} judge;

/* Does the pair have enough independent evidence to act on? */
static int enough(const judge *j, const char *const *me, const char *const *row,
                  const double *parts)
{
    int levels[64], agreeing, present;
    for (size_t f = 0; f < j->r->n; f++)
        levels[f] = dd_level(j->r->fields[f].method, parts[f], me[f], row[f]);
    dd_evidence(j->r, levels, me, row, &agreeing, &present);
    return agreeing >= (present < j->min_agreeing ? present : j->min_agreeing);
}

/* Most candidates fall short on their heaviest fields already: those are dropped without the
 * costly name and text comparisons. A pair that may reach the threshold is scored in full, so
 * the scores (and which pairs pass) are exactly dd_score's; the margin covers rounding. */
static void consider(judge *j, kt_id id, const char *const *row)
{
    const char *const *me = dd_table_row(j->t, 0);
    if (dd_score_cut(j->r, j->order, me, row, j->threshold - 1e-9) < 0) return;
    double parts[64];
    double s = dd_score(j->r, me, row, parts);
    if (s < j->threshold || (j->self && kt_dupes_is_distinct(j->ws, j->self, id))) return;
    if (j->min_agreeing > 0 && !(s >= j->act && enough(j, me, row, parts))) {
        if (s > j->review.score) j->review = (kt_dupe_match){id, s};
        return;
    }
    j->m[(*j->nm)++] = (kt_dupe_match){id, s};
}

/* Scores the candidates: prepared values from the import's cache when it has them, the others'
 * rows read DD_FETCH at a time (only the active ones come back). */
static kt_status score_candidates(dd_overlay *o, dd_table *t, judge *jp, const kt_id *ids,
                                  size_t nids, kt_error *err)
{
    judge j = *jp;
    kt_ws *ws = j.ws;
    const kt_dedupe_rule *r = j.r;
    dd_order(r, j.order);
    if (nids > MAX_CANDIDATES) nids = MAX_CANDIDATES;
    kt_id *fetch = kt_malloc(nids * sizeof *fetch);
    if (!fetch) return kt_error_set(err, KT_NOMEM, "out of memory");
    size_t nf = 0;
    for (size_t i = 0; i < nids; i++) {
        const char *const *row = o ? dd_overlay_row(o, r, ids[i]) : NULL;
        if (row)
            consider(&j, ids[i], row);
        else
            fetch[nf++] = ids[i];
    }
    char *sql = NULL;
    const char *kept = o ? dd_overlay_fetch_sql(o, r) : NULL;
    kt_status st = nf && !kept ? dd_rows_sql(r, KT_ROWS_IDS, &sql, err) : KT_OK;
    kt_stmt *q = NULL;
    if (nf && !st) st = kt_record_rows_prepare(kt_ws_store(ws), kept ? kept : sql, NULL, &q, err);
    kt_free(sql);
    const char *raw[64];
    for (size_t i = 0; !st && i < nf; i += DD_FETCH) {
        kt_stmt_clear(q); /* NULL matches no id */
        for (size_t k = i; k < nf && k < i + DD_FETCH; k++)
            kt_stmt_bind_int(q, (int)(k - i) + 1, fetch[k]);
        int rc = KT_STMT_DONE;
        while (!st && (rc = kt_stmt_step(q)) == KT_STMT_ROW) {
            kt_id id = kt_stmt_int(q, 0);
            for (size_t f = 0; f < r->n; f++)
                raw[f] = kt_stmt_text(q, (int)f + 1);
            const char *const *row = NULL;
            if (o)
                st = dd_overlay_keep_row(o, r, id, raw, &row, err);
            else if (!(st = dd_table_add(t, id, raw, err)))
                row = dd_table_row(t, t->n - 1);
            if (!st) consider(&j, id, row);
        }
        if (!st && rc != KT_STMT_DONE) st = kt_store_fail(kt_ws_store(ws), err, "reading records");
        kt_stmt_reset(q);
    }
    kt_free(fetch);
    jp->review = j.review;
    return st;
}

/* The setting dedupe_min_agreeing (at least 1). */
static int min_agreeing(const kt_ws *ws)
{
    const char *v = kt_ws_setting(ws, "dedupe_min_agreeing");
    long n = v ? strtol(v, NULL, 10) : KT_DEDUPE_MIN_AGREEING;
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/* The candidates of rec judged by j (its ws, threshold, act and min_agreeing set): the matches
 * into *out (best first, at most max), the best one below the acting bar into j->review. */
static kt_status judge_record(judge *j, const kt_record *rec, kt_dupe_match **out, size_t *n,
                              size_t max, kt_error *err)
{
    *out = NULL;
    *n = 0;
    kt_ws *ws = j->ws;
    const kt_dedupe_rule *r;
    kt_dedupe_rule *owned;
    kt_status st = cached_rule(ws, rec->entity, &r, &owned, err);
    if (st || !r) return st;
    if (r->n > 64) {
        kt_dedupe_rule_free(owned);
        return kt_error_set(err, KT_INVALID, "dedupe \"%s\" compares too many fields", r->entity);
    }
    if (j->threshold < 0) j->threshold = r->entry_threshold;
    if (j->act < 0) j->act = r->entry_threshold;
    if (j->act < j->threshold) j->act = j->threshold;
    const char *raw[64];
    char *texts[64] = {0};
    for (size_t f = 0; f < r->n; f++) {
        const kt_value *v = kt_record_get(rec, r->fields[f].field);
        raw[f] = texts[f] = kt_value_empty(v) ? NULL : kt_value_to_text(v);
        if (!kt_value_empty(v) && !texts[f]) /* not a missing value: that would match less */
            st = kt_error_set(err, KT_NOMEM, "out of memory");
    }
    kt_id *ids = NULL;
    size_t nids = 0;
    dd_table t;
    dd_table_init(&t, r);
    kt_dupe_match *m = NULL;
    size_t nm = 0;
    /* an import's overlay holds cached rules only: they live as long as the workspace */
    dd_overlay *o = owned ? NULL : dd_overlay_active(ws);
    if (!st) st = o ? dd_overlay_sync(o, ws, r, err) : dd_keys_sync(ws, r, err);
    if (!st && !(st = lookup(ws, r, o, raw, rec->id, &ids, &nids, err)) &&
        !(st = dd_table_add(&t, rec->id, raw, err)) && nids) {
        m = kt_malloc((nids < MAX_CANDIDATES ? nids : MAX_CANDIDATES) * sizeof *m);
        if (!m) {
            st = kt_error_set(err, KT_NOMEM, "out of memory");
        } else {
            j->r = r;
            j->t = &t;
            j->self = rec->id;
            j->m = m;
            j->nm = &nm;
            st = score_candidates(o, &t, j, ids, nids, err);
        }
    }
    for (size_t f = 0; f < r->n; f++)
        kt_free(texts[f]);
    kt_free(ids);
    dd_table_free(&t);
    kt_dedupe_rule_free(owned);
    if (st) {
        kt_free(m);
        return st;
    }
    if (nm) qsort(m, nm, sizeof *m, by_score);
    *out = m;
    *n = nm < max ? nm : max;
    return KT_OK;
}

kt_status kt_dupes_for_record(kt_ws *ws, const kt_record *rec, double threshold,
                              kt_dupe_match **out, size_t *n, size_t max, kt_error *err)
{
    /* the rule's entry threshold acts without review: only on enough evidence */
    judge j = {.ws = ws, .threshold = threshold, .act = -1};
    j.min_agreeing = threshold < 0 ? min_agreeing(ws) : 0;
    return judge_record(&j, rec, out, n, max, err);
}

kt_status kt_dupes_decide(kt_ws *ws, const kt_record *rec, kt_dupe_match *act,
                          kt_dupe_match *review, kt_error *err)
{
    *act = *review = (kt_dupe_match){0, 0};
    const kt_dedupe_rule *r;
    kt_dedupe_rule *owned;
    kt_status st = cached_rule(ws, rec->entity, &r, &owned, err);
    if (!st && !r) st = kt_error_set(err, KT_NOTFOUND, "no duplicate rule for %s", rec->entity);
    double threshold = st ? 0 : r->threshold;
    kt_dedupe_rule_free(owned);
    if (st) return st;
    judge j = {.ws = ws, .threshold = threshold, .act = -1, .min_agreeing = min_agreeing(ws)};
    kt_dupe_match *m = NULL;
    size_t n = 0;
    if ((st = judge_record(&j, rec, &m, &n, 1, err))) return st;
    if (n) *act = m[0];
    *review = j.review;
    kt_free(m);
    return KT_OK;
}

kt_status kt_dupes_queue_similar(kt_ws *ws, const kt_record *rec, const char *source, kt_error *err)
{
    kt_dupe_match act, review;
    kt_status st = kt_dupes_decide(ws, rec, &act, &review, err);
    if (st == KT_NOTFOUND) return KT_OK; /* no rule for the entity: nothing is similar */
    if (st || !review.id || act.id) return st;
    /* only what the check would have refused on a stronger score: a pair merely above the
     * rule's threshold is kt dupes' to find, not a question raised by every add */
    const kt_dedupe_rule *r;
    kt_dedupe_rule *owned;
    if ((st = cached_rule(ws, rec->entity, &r, &owned, err))) return st;
    int strong = r && review.score >= r->entry_threshold;
    kt_dedupe_rule_free(owned);
    return strong ? kt_dupes_queue(ws, review.id, rec->id, review.score, source, err) : KT_OK;
}

kt_status dd_overlay_prime_rules(kt_ws *ws, kt_error *err)
{
    dd_overlay *o = dd_overlay_active(ws);
    const cache *c = kt_ws_attachment(ws, CACHE_TAG);
    kt_status st = KT_OK;
    for (size_t i = 0; !st && c && i < c->n; i++)
        if (c->rules[i] && c->rules[i]->n <= 64) /* kt_dupes_for_record refuses the others */
            st = o ? dd_overlay_prime(o, ws, c->rules[i], err) : dd_keys_sync(ws, c->rules[i], err);
    return st;
}

kt_status dd_entry_check(void *ud, kt_ws *ws, const kt_record *rec, kt_failures *out, kt_error *err)
{
    (void)ud;
    kt_dupe_match *m = NULL;
    size_t n = 0;
    kt_status st = kt_dupes_for_record(ws, rec, -1, &m, &n, 10, err);
    for (size_t i = 0; !st && i < n; i++) {
        char msg[160], id[32];
        snprintf(id, sizeof id, "%lld", m[i].id);
        snprintf(msg, sizeof msg,
                 "probably the same %s as record %lld (score %.2f); add it anyway "
                 "with --allow-duplicate",
                 rec->entity, m[i].id, m[i].score);
        st = kt_failures_add(out, KT_SEVERITY_ERROR, NULL, id, "duplicate", msg);
        if (st) st = kt_error_set(err, st, "out of memory");
    }
    kt_free(m);
    return st;
}

/* A declared duplicate rule comparing a field keeps it from being removed; a rename carries
 * the merge log along (kartoteka.lua's rule is the user's to change). */
static kt_status field_hook(void *ud, kt_ws *ws, const kt_field *f, const char *new_name,
                            kt_error *err)
{
    (void)ud;
    if (new_name) return dd_merge_rename_field(ws, f->entity, f->name, new_name, err);
    const kt_dedupe_rule *r;
    kt_dedupe_rule *owned;
    kt_status st = cached_rule(ws, f->entity, &r, &owned, err);
    int uses = 0;
    for (size_t i = 0; !st && r && !r->builtin && i < r->n; i++)
        uses |= !strcmp(r->fields[i].field, f->name);
    kt_dedupe_rule_free(owned);
    if (st) return st;
    return uses ? kt_error_set(err, KT_DENIED, "dedupe \"%s\"", f->entity) : KT_OK;
}

kt_status kt_dedupe_install(kt_ws *ws, kt_error *err)
{
    void *c;
    kt_status made = kt_ws_attachment_make(ws, CACHE_TAG, sizeof(cache), cache_free, &c, err);
    if (made) return made;
    /* check every declared rule now, so a typo in kartoteka.lua shows at once */
    const kt_registry *reg = kt_ws_registry(ws);
    for (size_t i = 0; i < kt_registry_entity_count(reg); i++) {
        const kt_dedupe_rule *r;
        kt_dedupe_rule *owned;
        kt_status st = cached_rule(ws, kt_registry_entity_at(reg, i)->name, &r, &owned, err);
        if (st) return st;
    }
    kt_status st = kt_ws_set_dupe_check(ws, dd_entry_check, NULL, err);
    if (st) return st;
    return kt_ws_add_field_hook(ws, field_hook, NULL, err);
}
