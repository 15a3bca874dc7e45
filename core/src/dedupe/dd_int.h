/* Inside the dedupe module: blocking keys, pair scores and the in-memory table of prepared
 * values that kt dupes works on. */
#ifndef KT_DEDUPE_INT_H
#define KT_DEDUPE_INT_H

#include <stdint.h>

#include "kartoteka/dedupe.h"
#include "kartoteka/store.h"
#include "record/record_table.h"

/* Blocks larger than this are not compared in full: a key shared by that many records (a
 * common name prefix with a common date, a placeholder e-mail) says too little to be worth n^2.
 * kt dupes walks them with a window (block.h); the on-entry check meets an exact copy by the
 * record's fingerprint key, which is never dropped however many records share it. */
#define DD_BLOCK_CAP KT_DUPE_BLOCK_CAP
#define DD_MAX_KEYS 48

/* The blocking keys of one record, from its raw values (one per rule field, NULL = empty),
 * as 64-bit hashes. Returns how many (at most DD_MAX_KEYS), or -1 when out of memory. */
int dd_record_keys(const kt_dedupe_rule *r, const char *const *raw, uint64_t *out);
/* The fingerprint among them, always out[0] when the record has a value: all its values folded
 * (case, spacing and punctuation aside), so exact copies share it whatever else they share. */
#define DD_FINGERPRINT 0
/* With declared blocking (rule->blocking) a key's top 4 bits say which rule made it (1 and up;
 * 0 the fingerprint), so --stats counts blocks and pairs per rule. */
#define DD_RULE_SHIFT 60
#define DD_TAGGED(h, rule)                                                                         \
    (((h) & ~((uint64_t)0xf << DD_RULE_SHIFT)) | ((uint64_t)(rule) << DD_RULE_SHIFT))
#define DD_RULE_OF(key) ((size_t)((key) >> DD_RULE_SHIFT))

/* The score of two records from their prepared values (rule->n each). parts, when not NULL,
 * gets each field's score (KT_MATCH_MISSING when missing). -1 when nothing is comparable. */
double dd_score(const kt_dedupe_rule *r, const char *const *a, const char *const *b, double *parts);

/* Each field's score of a pair (KT_MATCH_MISSING when missing), the name pair scored together. */
void dd_score_parts(const kt_dedupe_rule *r, const char *const *a, const char *const *b,
                    double *parts);

/* Field indexes heaviest first (order has rule->n slots). */
void dd_order(const kt_dedupe_rule *r, size_t *order);
/* dd_score, or -1 as soon as the pair cannot reach threshold any more. */
double dd_score_cut(const kt_dedupe_rule *r, const size_t *order, const char *const *a,
                    const char *const *b, double threshold);

/* Prepared values of many records, in one arena. */
typedef struct dd_table {
    const kt_dedupe_rule *rule;
    size_t n, cap;
    kt_id *ids;        /* ascending */
    const char **vals; /* n * rule->n */
    char **chunks;
    size_t nchunks, used; /* used bytes of the last chunk */
} dd_table;

void dd_table_init(dd_table *t, const kt_dedupe_rule *rule);
void dd_table_free(dd_table *t);
/* Adds a record from its raw values: prepares them. */
kt_status dd_table_add(dd_table *t, kt_id id, const char *const *raw, kt_error *err);
const char *const *dd_table_row(const dd_table *t, size_t i);
/* The row of record id, -1 when t does not hold it. */
long dd_table_find(const dd_table *t, kt_id id);
/* The memory t holds. */
size_t dd_table_bytes(const dd_table *t);

/* The active records of r's entity read into t (initialised, empty) and the pairs kt dupes
 * compares, as sorted unique (a << 32 | b) of table rows, a < b. *pairs allocated (kt_free). */
kt_status dd_candidates(kt_ws *ws, const kt_dedupe_rule *r, dd_table *t, uint64_t **pairs,
                        size_t *n, kt_error *err);

/* The active records of r's entity read into t (initialised, empty) and the pairs kt dupes
 * compares, as sorted unique (a << 32 | b) of table rows, a < b. *pairs allocated (kt_free). */
kt_status dd_candidates(kt_ws *ws, const kt_dedupe_rule *r, dd_table *t, uint64_t **pairs,
                        size_t *n, kt_error *err);

/* The record module's reading (record/record_table.h) of r's fields over r's entity. *sql
 * allocated (kt_free). */
kt_status dd_rows_sql(const kt_dedupe_rule *r, kt_record_rows_kind kind, char **sql, kt_error *err);
#define DD_FETCH KT_ROWS_FETCH

/* Ids declared distinct from each other, as sorted (a << 32 | b) of table indexes. */
kt_status dd_distinct_pairs(kt_ws *ws, const dd_table *t, uint64_t **out, size_t *n, kt_error *err);
/* Ids labelled the same (kt_dupe_same), the same way. */
kt_status dd_same_pairs(kt_ws *ws, const dd_table *t, uint64_t **out, size_t *n, kt_error *err);

/* The rows of the two label tables (a < b; label.c keeps one label a pair). */
kt_status dd_distinct_put(kt_store *s, kt_id a, kt_id b, const char *source, kt_error *err);
kt_status dd_distinct_drop(kt_store *s, kt_id a, kt_id b, kt_error *err);
kt_status dd_same_put(kt_store *s, kt_id a, kt_id b, const char *source, kt_error *err);
kt_status dd_same_drop(kt_store *s, kt_id a, kt_id b, kt_error *err);
int dd_is_same(kt_store *s, kt_id a, kt_id b);
/* Both records still active records of entity (merged or archived since: no longer a question). */
kt_status dd_both_active(kt_ws *ws, const char *entity, kt_id a, kt_id b, int *yes, kt_error *err);
/* Every pair labelled the same, a then b, in id order. *out allocated (kt_free). */
kt_status dd_same_all(kt_store *s, kt_id **out, size_t *n, kt_error *err);

/* Clusters from scored links: Kruskal on descending scores, never joining two groups that hold
 * a distinct pair, nor two where fewer than half of the pairs between them are links or score at
 * least support (the threshold less DD_SUPPORT_MARGIN). */
#define DD_SUPPORT_MARGIN 0.15
kt_status dd_cluster(const dd_table *t, kt_dupe_pair *links, size_t nlinks, double support,
                     const uint64_t *distinct, size_t ndistinct, kt_dupes *out, kt_error *err);

/* The hook of the write door. */
kt_status dd_entry_check(void *ud, kt_ws *ws, const kt_record *rec, kt_failures *out,
                         kt_error *err);

/* Brings kt_dupe_key up to date for an entity (records changed since the last sync). */
kt_status dd_keys_sync(kt_ws *ws, const kt_dedupe_rule *r, kt_error *err);

/* ---- distinct_table.c owns kt_dupe_distinct, review_table.c kt_dupe_review (pairs a < b) ---- */

/* Called with each stored pair (score 0 for distinct ones); a failure stops the reading. */
typedef kt_status (*dd_stored_pair_fn)(void *ud, kt_id a, kt_id b, double score, kt_error *err);
/* 1 when a and b were declared different (0 too when that cannot be read). */
int dd_distinct_has(kt_store *s, kt_id a, kt_id b);
kt_status dd_distinct_each(kt_store *s, dd_stored_pair_fn fn, void *ud, kt_error *err);
/* For the owners of pair tables (pair_table.c): sql reads one pair (?1, ?2) or every pair. */
int dd_pair_has(kt_store *s, const char *sql, kt_id a, kt_id b);
kt_status dd_pair_each(kt_store *s, const char *sql, dd_stored_pair_fn fn, void *ud, kt_error *err);
/* Each pair labelled the same (same_table.c). */
kt_status dd_same_each(kt_store *s, dd_stored_pair_fn fn, void *ud, kt_error *err);
/* Queues a and b for review with their score (replacing an older score). */
kt_status dd_review_put(kt_store *s, kt_id a, kt_id b, double score, const char *at,
                        const char *source, kt_error *err);
/* The queued pairs, best score first. */
kt_status dd_review_each(kt_store *s, dd_stored_pair_fn fn, void *ud, kt_error *err);

/* ---- keys_table.c: owns kt_dupe_key, kt_dupe_rec and kt_dupe_key_state ---- */

/* What kt_dupe_key_state says of the entity: keys made with this rule (*same_rule), and the
 * last kt_change row they reflect (-1: never synced). */
kt_status dd_keys_state(kt_store *s, const kt_dedupe_rule *r, int *same_rule, long long *last,
                        kt_error *err);
kt_status dd_keys_set_state(kt_store *s, const kt_dedupe_rule *r, long long last, kt_error *err);
/* Removes a record's rows from kt_dupe_key (and kt_dupe_rec, which lists them). */
kt_status dd_keys_drop(kt_store *s, kt_id id, kt_error *err);
/* Lists a record's keys in kt_dupe_rec (its kt_dupe_key rows are the caller's). */
kt_status dd_keys_put_record(kt_store *s, kt_id id, const uint64_t *k, int nk, kt_error *err);
/* A record's keys into kt_dupe_key and kt_dupe_rec (it has none stored). */
kt_status dd_keys_put(kt_store *s, kt_id id, const uint64_t *k, int nk, kt_error *err);
/* n (key, record) rows into kt_dupe_key, in the order given (their kt_dupe_rec rows are the
 * caller's). */
kt_status dd_keys_put_pairs(kt_store *s, const int64_t (*kv)[2], size_t n, kt_error *err);
/* Removes the rows of every record of entity from kt_dupe_key and kt_dupe_rec. */
kt_status dd_keys_drop_entity(kt_store *s, const char *entity, kt_error *err);
/* Calls fn with each record holding key, until it returns non-zero. */
typedef int (*dd_holder_fn)(void *ud, kt_id id);
kt_status dd_keys_holders(kt_store *s, uint64_t key, dd_holder_fn fn, void *ud, kt_error *err);
/* Calls fn with every stored key. */
kt_status dd_keys_each(kt_store *s, void (*fn)(void *ud, uint64_t key), void *ud, kt_error *err);
/* How many records have keys stored (rows of kt_dupe_rec). */
kt_status dd_keys_records(kt_store *s, long long *n, kt_error *err);
/* ---- key_index.c: kt_dupe_key kept in step with the records ---- */

/* Calls fn for each record of the entity changed after kt_change row since, with its values and
 * keys (raw NULL and no keys when it is no longer active); both borrowed for the call. A record
 * changed again after another one's change comes again: fn must not mind.
 * changed_sql: dd_rows_sql(r, KT_ROWS_CHANGED) when the caller keeps it, else NULL. */
typedef kt_status (*dd_keyed_fn)(void *ud, kt_id id, const char *const *raw, const uint64_t *keys,
                                 int n, kt_error *err);
kt_status dd_keys_changed(kt_store *s, const kt_dedupe_rule *r, const char *changed_sql,
                          long long since, dd_keyed_fn fn, void *ud, kt_error *err);

uint64_t dd_hash(const char *s, uint64_t h);

/* Sorts a ascending in place (no copy of it, unlike qsort). */
void dd_sort_u64(uint64_t *a, size_t n);

#endif
