/* Internal: the owner of the search tables' statements (search_table.c): kt_search, the FTS5
 * index over each record's folded searchable text, and kt_search_pending, where entries wait
 * inside a transaction (schema/005_search_staging.sql). What goes into an entry and how a
 * search is ordered is search.c's. */
#ifndef KT_QUERY_SEARCH_TABLE_H
#define KT_QUERY_SEARCH_TABLE_H

#include "kartoteka/query.h"
#include "kartoteka/store.h"

/* Record id's entry becomes body (NULL: the record has nothing searchable any more). Inside a
 * larger transaction it waits in kt_search_pending until kt_search_flush; alone it goes straight
 * in. fresh: the record was just created, so it has no entry to replace. */
kt_status kt_search_row_put(kt_store *s, kt_id id, const char *body, int fresh, kt_error *err);

/* A hit of a search: non-zero stops the reading. */
typedef int (*kt_search_hit_fn)(void *ud, kt_id id);
/* The best `window` entries matching match (an FTS5 query), by rank then id, to cb; *exhausted 1
 * when the reading reached the end of them (cb did not stop it). short_only: every word of the
 * search has one or two letters, so only the first few hundred matches are ranked. */
kt_status kt_search_ranked(kt_store *s, const char *match, int short_only, long window,
                           kt_search_hit_fn cb, void *ud, int *exhausted, kt_error *err);
/* Every record matching, merged ones left out: active before archived, each by rank, then id;
 * at most limit (<= 0: no limit). The statement is the caller's own while cb runs, so cb may
 * read records. */
kt_status kt_search_ordered(kt_store *s, const char *match, int short_only, long limit,
                            kt_search_hit_fn cb, void *ud, kt_error *err);

#endif
