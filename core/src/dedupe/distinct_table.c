/* The statements of kt_dupe_distinct: pairs (a < b) declared to be different records. */
#include "dedupe/dd_int.h"
#include "kartoteka/store.h"

kt_status dd_distinct_put(kt_store *s, kt_id a, kt_id b, const char *source, kt_error *err)
{
    char now[32];
    kt_store_now(now);
    return kt_store_run(s,
                        "INSERT OR IGNORE INTO kt_dupe_distinct(a, b, at, source) "
                        "VALUES (?1, ?2, ?3, ?4)",
                        "recording a decision", err, "iitt", (long long)a, (long long)b, now,
                        source);
}

kt_status dd_distinct_drop(kt_store *s, kt_id a, kt_id b, kt_error *err)
{
    return kt_store_run(s, "DELETE FROM kt_dupe_distinct WHERE a = ?1 AND b = ?2",
                        "clearing a decision", err, "ii", (long long)a, (long long)b);
}

int dd_distinct_has(kt_store *s, kt_id a, kt_id b)
{
    return dd_pair_has(s, "SELECT 1 FROM kt_dupe_distinct WHERE a = ?1 AND b = ?2", a, b);
}

kt_status dd_distinct_each(kt_store *s, dd_stored_pair_fn fn, void *ud, kt_error *err)
{
    return dd_pair_each(s, "SELECT a, b FROM kt_dupe_distinct", fn, ud, err);
}
