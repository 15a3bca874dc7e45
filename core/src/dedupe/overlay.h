/* The keys of the records an import changes, held in memory while it runs (overlay.c): its rows
 * look duplicates up without writing kt_dupe_key row by row. For the import's driver (run.c)
 * and the on-entry lookup (entry.c). */
#ifndef KT_DEDUPE_OVERLAY_H
#define KT_DEDUPE_OVERLAY_H

#include <stddef.h>
#include <stdint.h>

#include "kartoteka/dedupe.h"

typedef struct dd_overlay dd_overlay;

/* Called inside the import's transaction, before its first row; pairs with dd_overlay_end,
 * after that transaction ends. Until then the overlay listens to the store: each row's
 * savepoint (one level below the import's) that commits keeps its changes, one rolled back
 * forgets them, and the held keys are written just before the import's level commits. */
kt_status dd_overlay_begin(kt_ws *ws, kt_error *err);
/* Between rows (at the import's own level, outside the row's time budget): writes the held keys
 * out when they have grown large. */
kt_status dd_overlay_spill(kt_ws *ws, kt_error *err);
/* Writes the held keys to kt_dupe_key, complete up to the last change (the listener calls it
 * as the import's transaction commits). */
kt_status dd_overlay_flush(kt_ws *ws, kt_error *err);
/* Forgets the held keys (whatever happened to the transaction). */
void dd_overlay_end(kt_ws *ws);
/* For tests: write the held keys out between rows past this many keys (0: the default). */
kt_status dd_overlay_spill_at(kt_ws *ws, size_t keys, kt_error *err);

/* The running import's overlay (borrowed), NULL outside one. */
dd_overlay *dd_overlay_active(kt_ws *ws);
/* Takes in the changes to r's entity since its last look (the first look reads the stored
 * state, rebuilding the stored keys when the rule changed). r must outlive the import. */
kt_status dd_overlay_sync(dd_overlay *o, kt_ws *ws, const kt_dedupe_rule *r, kt_error *err);
/* dd_overlay_sync outside any row: what it takes in (a rebuild too) stays whatever the first row
 * does. */
kt_status dd_overlay_prime(dd_overlay *o, kt_ws *ws, const kt_dedupe_rule *r, kt_error *err);
/* Before an import's first row (entry.c): brings every rule's keys up to date, into the active
 * overlay or else the table, so a rebuild after a rule change or a catch-up after an import
 * without duplicate detection is not charged to one row's time budget. */
kt_status dd_overlay_prime_rules(kt_ws *ws, kt_error *err);
/* Might kt_dupe_key hold key (0: certainly not, no need to look)? */
int dd_overlay_may_store(const dd_overlay *o, uint64_t key);
/* Does the overlay hold record id's keys (so its stored ones are out of date)? */
int dd_overlay_holds(const dd_overlay *o, kt_id id);
/* Appends to ids the records holding key k in the overlay, except self and those already in
 * ids[start..n), until n reaches cap. Returns the new n. */
size_t dd_overlay_ids(const dd_overlay *o, uint64_t k, kt_id self, kt_id *ids, size_t start,
                      size_t n, size_t cap);

/* dd_rows_sql(r, KT_ROWS_IDS) for r, kept while the import runs (borrowed), or NULL. */
const char *dd_overlay_fetch_sql(const dd_overlay *o, const kt_dedupe_rule *r);
/* The prepared values of candidate id its import read before (borrowed until the next
 * dd_overlay_keep_row), or NULL. Forgotten as soon as the record changes. */
const char *const *dd_overlay_row(const dd_overlay *o, const kt_dedupe_rule *r, kt_id id);
/* Prepares a candidate's values (raw, as read) and keeps them; *row as dd_overlay_row's. */
kt_status dd_overlay_keep_row(dd_overlay *o, const kt_dedupe_rule *r, kt_id id,
                              const char *const *raw, const char *const **row, kt_error *err);

#endif
