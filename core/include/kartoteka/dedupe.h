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
 * Methods are those of match.h; weight is optional (1). Until kt dupes train has learned a model
 * for the rule's fields, a score is the weighted mean of the field scores over the fields present
 * on both sides; once trained, it is the match probability of the Fellegi-Sunter model (per
 * field and level of agreement m and u, the prior, term frequencies). Either way first_name and
 * last_name (both method "name") are scored as a pair, so swapped names match. */
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

/* Acting on a probable duplicate (refusing a new record, merging an import row) also needs this
 * many independent pieces of evidence agreeing, or all the pair has when it has fewer (setting
 * dedupe_min_agreeing). */
#define KT_DEDUPE_MIN_AGREEING 2

typedef struct kt_dedupe_field {
    char *field;  /* owned */
    char *method; /* owned: exact, email, phone, name, company, date, text */
    double weight;
} kt_dedupe_field;

/* One declared blocking rule (blocking = { {"last_name:soundex", "birth_date:year"}, ... }):
 * records that share a key made of every part's key are compared. */
#define KT_DEDUPE_BLOCK_PARTS 4
#define KT_DEDUPE_MAX_BLOCKING 15
typedef enum kt_dedupe_block_how {
    KT_BLOCK_VALUE,   /* "field": the value as the field's method prepares it */
    KT_BLOCK_SOUNDEX, /* "field:soundex": the sound code of each word (name, company) */
    KT_BLOCK_PREFIX,  /* "field:prefix": the first three letters of each word (name, company) */
    KT_BLOCK_YEAR,    /* "field:year": the year of a date */
    KT_BLOCK_KEYS     /* "field:keys": the method's own blocking keys */
} kt_dedupe_block_how;
typedef struct kt_dedupe_block {
    size_t field[KT_DEDUPE_BLOCK_PARTS]; /* indexes into the rule's fields */
    kt_dedupe_block_how how[KT_DEDUPE_BLOCK_PARTS];
    size_t n;
    char *name; /* owned: "last_name:soundex + birth_date:year", as --stats names it */
} kt_dedupe_block;

typedef struct kt_dedupe_rule {
    char *entity;            /* owned */
    double threshold;        /* kt dupes: pairs at or above it are proposed for review */
    double entry_threshold;  /* kt add and imports, which act without review: the stricter one */
    kt_dedupe_field *fields; /* owned */
    size_t n;
    int builtin;               /* 1 when no declaration was given */
    int first, last;           /* indexes of first_name/last_name scored as a pair, or -1 */
    struct dd_model *model;    /* owned: the trained model (kt dupes train), NULL: the weights */
    kt_dedupe_block *blocking; /* owned: the declared blocking rules, OR-ed; NULL: automatic */
    size_t nblocking;
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
    double contribution; /* weight * score / total weight of present fields; 0 when missing;
                            trained: the field's match weight in bits (log2 m/u, tf-adjusted) */
    int level;           /* trained: -1 missing, 0 far, 1 close, 2 exact */
} kt_dedupe_part;

typedef struct kt_dedupe_explain {
    kt_id a, b;
    double score;          /* trained: the match probability */
    int trained;           /* scored by the trained model (parts' contribution in bits) */
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

/* How kt dupes blocked: what the candidate pairs came from and what holds the memory. A block
 * is the records sharing one blocking key; one too large to compare in full (more than
 * KT_DUPE_BLOCK_CAP records) is walked as a sorted neighbourhood of KT_DUPE_WINDOW instead. */
#define KT_DUPE_BLOCK_CAP 12
#define KT_DUPE_WINDOW 4
typedef struct kt_dupe_stats {
    size_t keys;          /* blocking keys of the records read (one per record and key) */
    size_t blocks;        /* keys shared by records that may pair */
    size_t blocks_full;   /* of them compared in full */
    size_t blocks_window; /* of them larger, walked with the window */
    size_t window_rows;   /* records in the windowed blocks (counted per block) */
    size_t largest;       /* records in the largest block */
    size_t window;        /* the window: each record meets the next this many per order */
    size_t orders;        /* the sort orders a windowed block is walked in */
    size_t pairs_found;   /* pairs the blocks gave, repeats included (candidates: without) */
    size_t bytes_values;  /* memory held by the prepared values of the records */
    size_t bytes_keys;    /* by the blocking keys */
    size_t bytes_pairs;   /* by the candidate pairs */
    size_t nrules;        /* declared blocking rules (0: the automatic keys), each with: */
    struct {
        size_t blocks, largest, pairs_found; /* as above, of that rule's keys alone */
    } rule[KT_DEDUPE_MAX_BLOCKING];
} kt_dupe_stats;

typedef struct kt_dupes {
    kt_dupe_cluster *clusters; /* by score descending, then first id */
    size_t n;
    kt_dupe_pair *pairs; /* the links that made the clusters (for --explain), score desc */
    size_t npairs;
    kt_id *id_store;   /* owned storage behind clusters[].ids */
    size_t candidates; /* pairs compared */
    size_t records;    /* active records read */
    kt_dupe_stats stats;
    kt_id *compared; /* owned; with keep_compared: the candidate pairs, a then b, ncompared */
    size_t ncompared;
} kt_dupes;

/* What kt_dupes_find_with compares. */
typedef struct kt_dupes_opts {
    double threshold;   /* < 0: the rule's */
    long long batch[2]; /* both nonzero: only pairs across records the two imports created */
    int keep_compared;  /* keep every candidate pair in kt_dupes.compared (benchmarks) */
} kt_dupes_opts;
#define KT_DUPES_OPTS_INIT                                                                         \
    {                                                                                              \
        -1, {0, 0}, 0                                                                              \
    }

/* Clusters of probable duplicates among the active records of an entity. threshold < 0 means
 * the rule's. Pairs declared distinct are never linked. */
kt_status kt_dupes_find(kt_ws *ws, const kt_dedupe_rule *rule, double threshold, kt_dupes *out,
                        kt_error *err);
kt_status kt_dupes_find_with(kt_ws *ws, const kt_dedupe_rule *rule, const kt_dupes_opts *opts,
                             kt_dupes *out, kt_error *err);
void kt_dupes_clear(kt_dupes *d);

/* Records that a and b are different (never proposed again, in batch or on entry): the label
 * KT_DUPE_DISTINCT with source "cli". */
kt_status kt_dupes_distinct(kt_ws *ws, kt_id a, kt_id b, kt_error *err);
int kt_dupes_is_distinct(kt_ws *ws, kt_id a, kt_id b);

/* What a person said about a pair; a pair holds one label. DISTINCT: never proposed again, a
 * non-match in training; SAME: reported by kt dupes whatever it scores, a match in training. */
typedef enum kt_dupe_label {
    KT_DUPE_UNLABELLED = 0,
    KT_DUPE_SAME = 1,
    KT_DUPE_DISTINCT = 2
} kt_dupe_label;
/* Sets the label of a and b (two records of one entity); KT_DUPE_UNLABELLED clears it. source:
 * "cli", "review", a user's... */
kt_status kt_dupes_label(kt_ws *ws, kt_id a, kt_id b, kt_dupe_label label, const char *source,
                         kt_error *err);
kt_dupe_label kt_dupes_label_of(kt_ws *ws, kt_id a, kt_id b);
/* "same", "distinct" or "clear" (KT_DUPE_UNLABELLED) into *out; -1 for anything else. */
int kt_dupes_label_parse(const char *text, kt_dupe_label *out);
/* The pairs labelled the same among entity's active records, a ascending, score -1 (not
 * scored). *out allocated (kt_free). */
kt_status kt_dupes_same(kt_ws *ws, const char *entity, kt_dupe_pair **out, size_t *n,
                        kt_error *err);

/* Active learning: the unlabelled candidate pairs (kt dupes' blocking) and the queued ones whose
 * score is nearest 0.5, nearest first, at most max (0: all); pairs nothing compares in are left
 * out. *out allocated (kt_free). */
kt_status kt_dupes_uncertain(kt_ws *ws, const kt_dedupe_rule *rule, size_t max, kt_dupe_pair **out,
                             size_t *n, kt_error *err);

/* One pair to review: why it scored as it did, and whether it was queued (too little agreed for
 * kt add or an import to act on it). */
typedef struct kt_dupe_review {
    kt_dedupe_explain why; /* owned */
    int queued;
} kt_dupe_review;
/* kt_dupes_uncertain's pairs explained (kt dupes review --json, the API and the web's review).
 * *out freed with kt_dupes_review_free. */
kt_status kt_dupes_review_list(kt_ws *ws, const kt_dedupe_rule *rule, size_t max,
                               kt_dupe_review **out, size_t *n, kt_error *err);
void kt_dupes_review_free(kt_dupe_review *items, size_t n);

/* A candidate of the on-entry check or an import's match: an existing record and its score. */
typedef struct kt_dupe_match {
    kt_id id;
    double score;
} kt_dupe_match;

/* Active records that rec (new or stored: its own id is skipped) probably duplicates, best
 * first, at most max. threshold < 0 means the rule's entry_threshold, and then only pairs with
 * dedupe_min_agreeing independent fields agreeing (the write door's check). *out allocated
 * (kt_free). */
kt_status kt_dupes_for_record(kt_ws *ws, const kt_record *rec, double threshold,
                              kt_dupe_match **out, size_t *n, size_t max, kt_error *err);

/* What the on-entry check and an import decide about rec: *act (id 0: none) the best record it
 * duplicates on enough evidence (entry_threshold and dedupe_min_agreeing agreeing fields), which
 * kt_dupes_for_record(-1) lists; *review (id 0: none) the best record it reaches the rule's
 * threshold with but not that: a pair to propose, never to act on. KT_NOTFOUND: no rule. */
kt_status kt_dupes_decide(kt_ws *ws, const kt_record *rec, kt_dupe_match *act,
                          kt_dupe_match *review, kt_error *err);

/* Queues a pair for review (kt dupes proposes it while both are active and not declared
 * distinct). source: "import", ... */
kt_status kt_dupes_queue(kt_ws *ws, kt_id a, kt_id b, double score, const char *source,
                         kt_error *err);
/* After rec was created on entry (kt add, the web, the API): queues it with the record it is
 * most similar to when it scores the entry threshold but too few fields agree to have refused
 * it (dedupe_min_agreeing), as an import queues a row. KT_OK when the entity has no rule. */
kt_status kt_dupes_queue_similar(kt_ws *ws, const kt_record *rec, const char *source,
                                 kt_error *err);
/* The queued pairs of an entity still worth proposing, score descending. *out allocated. */
kt_status kt_dupes_queued(kt_ws *ws, const char *entity, kt_dupe_pair **out, size_t *n,
                          kt_error *err);

/* ---- the learned model (kt dupes train / kt dupes model) ---- */

typedef struct kt_dupe_train_report {
    size_t records, pairs, random_pairs; /* pairs: blocked candidates EM fit m on */
    size_t labels_same, labels_distinct; /* labelled pairs among them, taken as certain */
    int iterations;
    double lambda;
} kt_dupe_train_report;

/* Learns and stores the model of entity's rule from its active records (no labels needed).
 * KT_USAGE when there are too few records or candidate pairs to learn from. */
kt_status kt_dupes_train(kt_ws *ws, const char *entity, kt_dupe_train_report *out, kt_error *err);

typedef struct kt_dupe_level_info {
    double m, u, weight; /* weight: log2(m / u), bits */
} kt_dupe_level_info;

typedef struct kt_dupe_field_info {
    const char *field, *method;  /* borrowed from the rule */
    kt_dupe_level_info level[3]; /* far, close, exact */
    size_t filled, common;       /* records with a value; values two records or more hold */
} kt_dupe_field_info;

typedef struct kt_dupe_model_info {
    int trained; /* 0: the declared weights are used, nothing else is set */
    double lambda;
    char trained_at[32];
    long long records, pairs, random_pairs;
    long long labels_same, labels_distinct; /* labelled pairs trained on as certain */
    int iterations;
    kt_dupe_field_info *fields; /* owned, one per rule field */
    size_t n;
} kt_dupe_model_info;

/* The model rule was read with. *out cleared with kt_dupes_model_info_clear. */
kt_status kt_dupes_model_info(const kt_dedupe_rule *rule, kt_dupe_model_info *out, kt_error *err);
void kt_dupes_model_info_clear(kt_dupe_model_info *info);

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
