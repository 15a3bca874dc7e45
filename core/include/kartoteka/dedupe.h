/* Duplicate detection and merging: rules per entity (kartoteka.lua's `dedupe "person" {...}`
 * or the built-in ones), candidate pairs from blocking keys (never all pairs), weighted scores
 * with an explanation, clusters (the weakest link scores a cluster), decisions that two records
 * are distinct, the on-entry check of the write door, merge and unmerge.
 *
 * Declaration syntax (kartoteka.lua):
 *   dedupe "person" {
 *     threshold = 0.85,
 *     compare = {
 *       { field = "email", method = "email", weight = 4 },
 *       { field = "last_name", method = "name", weight = 3 }, ...
 *     },
 *   }
 * Methods are those of match.h. A score is the weighted mean of the field scores over the
 * fields present on both sides; first_name and last_name (both method "name") are scored as
 * a pair, so swapped names match. */
#ifndef KARTOTEKA_DEDUPE_H
#define KARTOTEKA_DEDUPE_H

#include <stddef.h>

#include "kartoteka/error.h"
#include "kartoteka/record.h"
#include "kartoteka/save.h"
#include "kartoteka/workspace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The built-in rules' threshold, chosen on data with ground truth (tests/bench/accept_dupes.sh):
 * persons.csv F1 1.000 from 0.60 to 0.85; FEBRL 1 and 2 F1 0.970 and 0.963 at 0.65 but 0.90 and
 * 0.86 at 0.85, where copies with one field replaced wholesale fall short. Two different people
 * sharing a name but not a birth date score 0.625, below it. */
#define KT_DEDUPE_THRESHOLD 0.65
/* Refusing a new record, or merging an import row into an existing one, happens without a person
 * looking: that needs a higher score than proposing a pair for review. entry_threshold defaults
 * to the larger of this and the rule's threshold (declarable as entry_threshold). */
#define KT_DEDUPE_ENTRY_THRESHOLD 0.85

typedef struct kt_dedupe_field {
    char *field;  /* owned */
    char *method; /* owned: exact, email, phone, name, company, date, text */
    double weight;
} kt_dedupe_field;

typedef struct kt_dedupe_rule {
    char *entity;            /* owned */
    double threshold;        /* kt dupes: pairs at or above it are proposed for review */
    double entry_threshold;  /* kt add and imports, which act without review: the stricter one */
    kt_dedupe_field *fields; /* owned */
    size_t n;
    int builtin;     /* 1 when no declaration was given */
    int first, last; /* indexes of first_name/last_name scored as a pair, or -1 */
} kt_dedupe_rule;

/* The rule for an entity: the declared one, else the built-in one (person, company).
 * KT_NOTFOUND when there is neither; KT_INVALID for a declaration naming an unknown field or
 * method (message with file:line). *out is freed with kt_dedupe_rule_free. */
kt_status kt_dedupe_rule_get(kt_ws *ws, const char *entity, kt_dedupe_rule **out, kt_error *err);
void kt_dedupe_rule_free(kt_dedupe_rule *r); /* accepts NULL */

/* Installs the on-entry check in the write door (kt_ws_set_dupe_check) after checking every
 * declared rule. Call once the configuration is applied. */
kt_status kt_dedupe_install(kt_ws *ws, kt_error *err);

/* One compared field of a pair. Strings borrowed from the explanation's owner. */
typedef struct kt_dedupe_part {
    const char *field, *method;
    char *a, *b;         /* the stored values (owned by the explanation), NULL when empty */
    double score;        /* KT_MATCH_MISSING (-1) when either is missing */
    double weight;       /* the declared weight */
    double contribution; /* weight * score / total weight of present fields; 0 when missing */
} kt_dedupe_part;

typedef struct kt_dedupe_explain {
    kt_id a, b;
    double score;
    int distinct;          /* the pair was declared distinct */
    kt_dedupe_part *parts; /* owned, one per compared field */
    size_t n;
} kt_dedupe_explain;

/* Scores two stored records of the rule's entity field by field. *out owned by the caller:
 * kt_dedupe_explain_clear. */
kt_status kt_dedupe_explain_pair(kt_ws *ws, const kt_dedupe_rule *rule, kt_id a, kt_id b,
                                 kt_dedupe_explain *out, kt_error *err);
void kt_dedupe_explain_clear(kt_dedupe_explain *e);

typedef struct kt_dupe_cluster {
    kt_id *ids; /* ascending */
    size_t n;
    double score; /* the weakest link */
} kt_dupe_cluster;

typedef struct kt_dupe_pair {
    kt_id a, b; /* a < b */
    double score;
} kt_dupe_pair;

typedef struct kt_dupes {
    kt_dupe_cluster *clusters; /* by score descending, then first id */
    size_t n;
    kt_dupe_pair *pairs; /* the links that made the clusters (for --explain), score desc */
    size_t npairs;
    kt_id *id_store;   /* owned storage behind clusters[].ids */
    size_t candidates; /* pairs compared */
    size_t records;    /* active records read */
} kt_dupes;

/* Clusters of probable duplicates among the active records of an entity. threshold < 0 means
 * the rule's. Pairs declared distinct are never linked. */
kt_status kt_dupes_find(kt_ws *ws, const kt_dedupe_rule *rule, double threshold, kt_dupes *out,
                        kt_error *err);
void kt_dupes_clear(kt_dupes *d);

/* Records that a and b are different (never proposed again, in batch or on entry). */
kt_status kt_dupes_distinct(kt_ws *ws, kt_id a, kt_id b, kt_error *err);
int kt_dupes_is_distinct(kt_ws *ws, kt_id a, kt_id b);

/* A candidate of the on-entry check or an import's match: an existing record and its score. */
typedef struct kt_dupe_match {
    kt_id id;
    double score;
} kt_dupe_match;

/* Active records that rec (new or stored: its own id is skipped) probably duplicates, best
 * first, at most max. threshold < 0 means the rule's. *out allocated (kt_free). */
kt_status kt_dupes_for_record(kt_ws *ws, const kt_record *rec, double threshold,
                              kt_dupe_match **out, size_t *n, size_t max, kt_error *err);

/* Merges losers into winner in one transaction (see the contract in the issue): empty winner
 * fields take the losers' values, conflicting values go to history or to a free field of the
 * same type (personal_email, work_phone), refs to the losers point at the winner, the losers
 * get state merged. source NULL = "merge". */
kt_status kt_merge(kt_ws *ws, kt_id winner, const kt_id *losers, size_t nlosers, const char *source,
                   kt_error *err);

/* Reverses the merge of loser. KT_CONSTRAINT naming the fields when records changed since in a
 * conflicting way (nothing is changed then). */
kt_status kt_unmerge(kt_ws *ws, kt_id loser, const char *source, kt_error *err);

/* One merge of the log. Strings borrowed for the callback. */
typedef struct kt_merge_row {
    long long id;
    kt_id winner, loser;
    const char *at, *source;
    const char *undone_at; /* NULL while the merge stands */
} kt_merge_row;
typedef int (*kt_merge_cb)(void *ud, const kt_merge_row *m); /* non-zero stops */
/* The merges record id took part in (as winner or loser), oldest first. */
kt_status kt_merge_each(kt_ws *ws, kt_id id, kt_merge_cb cb, void *ud, kt_error *err);
/* Erasure: the merge log of record id keeps no value of field. */
kt_status kt_merge_erase_field(kt_ws *ws, kt_id id, const char *field, kt_error *err);
/* Erasure: record id has no duplicate keys (made again from its values at the next check). */
kt_status kt_dedupe_forget(kt_ws *ws, kt_id id, kt_error *err);

#ifdef __cplusplus
}
#endif
#endif
