/* Inside the dedupe module: blocking keys, pair scores and the in-memory table of prepared
 * values that kt dupes works on. */
#ifndef KT_DEDUPE_INT_H
#define KT_DEDUPE_INT_H

#include <stdint.h>

#include "kartoteka/dedupe.h"

/* Blocks larger than this are not compared: a key shared by that many records (a common
 * name prefix with a common date, a placeholder e-mail) says too little to be worth n^2. */
#define DD_BLOCK_CAP 12
#define DD_MAX_KEYS 48

/* The blocking keys of one record, from its raw values (one per rule field, NULL = empty),
 * as 64-bit hashes. Returns how many (at most DD_MAX_KEYS), or -1 when out of memory. */
int dd_record_keys(const kt_dedupe_rule *r, const char *const *raw, uint64_t *out);

/* The score of two records from their prepared values (rule->n each). parts, when not NULL,
 * gets each field's score (KT_MATCH_MISSING when missing). -1 when nothing is comparable. */
double dd_score(const kt_dedupe_rule *r, const char *const *a, const char *const *b, double *parts);

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

/* The SELECT of id and the rule's fields over active records of the entity (id order):
 * "SELECT r.id, t.a, t.b ... ". *sql allocated (kt_free). */
kt_status dd_select_sql(const kt_dedupe_rule *r, const char *extra_where, char **sql,
                        kt_error *err);

/* Ids declared distinct from each other, as sorted (a << 32 | b) of table indexes. */
kt_status dd_distinct_pairs(kt_ws *ws, const dd_table *t, uint64_t **out, size_t *n, kt_error *err);

/* Clusters from scored links: Kruskal on descending scores, never joining two groups that hold
 * a distinct pair. */
kt_status dd_cluster(const dd_table *t, kt_dupe_pair *links, size_t nlinks,
                     const uint64_t *distinct, size_t ndistinct, kt_dupes *out, kt_error *err);

/* The hook of the write door. */
kt_status dd_entry_check(void *ud, kt_ws *ws, const kt_record *rec, kt_failures *out,
                         kt_error *err);

/* Brings kt_dupe_key up to date for an entity (records changed since the last sync). */
kt_status dd_keys_sync(kt_ws *ws, const kt_dedupe_rule *r, kt_error *err);

uint64_t dd_hash(const char *s, uint64_t h);

#endif
