/* kt_consent's statements. Rows are only ever inserted: a change of mind is a new row, so the
 * table is the proof of what each person agreed to and when. */
#include <stdio.h>
#include <string.h>

#include "record/consent_table.h"

#define COLUMNS                                                                                    \
    "id, person, purpose, given, at, source, by_whom, wording, wording_text, note, batch, "        \
    "expires_at"

static const char *text_at(kt_stmt *st, int i)
{
    return kt_stmt_text(st, i);
}

/* sql prepared with ?1 = person and ?2 = purpose (unbound when NULL): from the cache, or of its
 * own (own 1) when a callback may run another statement while it steps. */
static kt_status prepare_for(kt_store *s, const char *sql, int own, kt_id person,
                             const char *purpose, kt_stmt **st, kt_error *err)
{
    kt_status rc = own ? kt_store_prepare_new(s, sql, "reading consents", st, err)
                       : kt_store_prepare(s, sql, st, err);
    if (rc) return rc;
    kt_stmt_bind_int(*st, 1, person);
    if (purpose) kt_stmt_bind_text(*st, 2, purpose);
    return KT_OK;
}

kt_status kt_consent_row_add(kt_store *s, const kt_consent_row *r, kt_error *err)
{
    return kt_store_run(s,
                        "INSERT INTO kt_consent(person, purpose, given, at, source, by_whom, "
                        "wording, wording_text, note, batch, expires_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                        "recording a consent", err, "itittttttzt", (long long)r->person, r->purpose,
                        (long long)(r->given != 0), r->at, r->source, r->by, r->wording,
                        r->wording_text, r->note, r->batch, r->expires_at);
}

kt_status kt_consent_rows_scrub(kt_store *s, kt_id person, const char *value, const char *with,
                                kt_error *err)
{
    return kt_store_run(s,
                        "UPDATE kt_consent SET note = replace(note, ?2, ?3), "
                        "wording_text = replace(wording_text, ?2, ?3) WHERE person = ?1 AND "
                        "(instr(note, ?2) > 0 OR instr(wording_text, ?2) > 0)",
                        "erasing from consents", err, "itt", (long long)person, value, with);
}

kt_status kt_consent_rows(kt_store *s, kt_id person, const char *purpose, kt_consent_cb cb,
                          void *ud, kt_error *err)
{
    kt_stmt *st;
    kt_status rc = prepare_for(s,
                               "SELECT " COLUMNS " FROM kt_consent WHERE person = ?1 "
                               "AND (?2 IS NULL OR purpose = ?2) ORDER BY id",
                               1, person, purpose, &st, err);
    if (rc) return rc;
    int step;
    while ((step = kt_stmt_step(st)) == KT_STMT_ROW) {
        kt_consent_row r = {kt_stmt_int(st, 0), kt_stmt_int(st, 1), text_at(st, 2),
                            kt_stmt_int(st, 3), text_at(st, 4),     text_at(st, 5),
                            text_at(st, 6),     text_at(st, 7),     text_at(st, 8),
                            text_at(st, 9),     text_at(st, 11),    kt_stmt_int(st, 10)};
        if (cb(ud, &r)) {
            step = KT_STMT_DONE;
            break;
        }
    }
    if (step != KT_STMT_DONE) rc = kt_store_fail(s, err, "reading consents");
    kt_stmt_free(st);
    return rc;
}

kt_status kt_consent_row_latest(kt_store *s, kt_id person, const char *purpose, int *found,
                                int *given, char expires[32], kt_error *err)
{
    kt_stmt *st;
    kt_status rc = prepare_for(s,
                               "SELECT given, expires_at FROM kt_consent WHERE person = ?1 "
                               "AND purpose = ?2 ORDER BY id DESC LIMIT 1",
                               0, person, purpose, &st, err);
    if (rc) return rc;
    int step = kt_stmt_step(st);
    *found = step == KT_STMT_ROW;
    *given = *found && kt_stmt_int(st, 0);
    const char *e = *found ? text_at(st, 1) : NULL;
    snprintf(expires, 32, "%s", e ? e : "");
    kt_stmt_reset(st);
    if (step != KT_STMT_ROW && step != KT_STMT_DONE)
        return kt_store_fail(s, err, "reading consents");
    return KT_OK;
}

kt_status kt_consent_row_purposes(kt_store *s, kt_id person,
                                  int (*cb)(void *ud, const char *purpose), void *ud, kt_error *err)
{
    kt_stmt *st;
    kt_status rc = prepare_for(s,
                               "SELECT purpose FROM kt_consent WHERE person = ?1 "
                               "GROUP BY purpose ORDER BY min(id)",
                               1, person, NULL, &st, err);
    if (rc) return rc;
    int step;
    while ((step = kt_stmt_step(st)) == KT_STMT_ROW)
        if (cb(ud, text_at(st, 0))) {
            step = KT_STMT_DONE;
            break;
        }
    if (step != KT_STMT_DONE) rc = kt_store_fail(s, err, "reading consents");
    kt_stmt_free(st);
    return rc;
}

kt_status kt_consent_rows_pending(kt_store *s, int *pending, kt_error *err)
{
    long long todo = 0, person = 0;
    *pending = 0;
    if (kt_store_read_only(s)) return KT_OK;
    kt_status rc = kt_store_int(s,
                                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                                "name = 'kt_consent_todo'",
                                "reading consents", &todo, err);
    if (!rc && todo)
        rc =
            kt_store_int(s, "SELECT count(*) FROM kt_consent_todo", "reading consents", &todo, err);
    if (!rc && todo)
        rc = kt_store_int(s,
                          "SELECT count(*) FROM pragma_table_info('person') WHERE name = "
                          "'marketing_consent'",
                          "reading consents", &person, err);
    *pending = !rc && todo && person;
    return rc;
}

kt_status kt_consent_rows_migrate(kt_store *s, const char *const *purposes, size_t n,
                                  const char *now, kt_error *err)
{
    kt_status rc = KT_OK;
    for (size_t i = 0; !rc && i < n; i++)
        rc = kt_store_run(s,
                          "INSERT INTO kt_consent(person, purpose, given, at, source, by_whom, "
                          "note) SELECT p.id, ?1, p.marketing_consent = 'yes', ?2, 'migrated', "
                          "'kt', 'marketing_consent was ' || p.marketing_consent FROM person p "
                          "WHERE p.marketing_consent IN ('yes', 'no') AND NOT EXISTS (SELECT 1 "
                          "FROM kt_consent c WHERE c.person = p.id AND c.source <> 'migrated') "
                          "ORDER BY p.id",
                          "migrating marketing_consent", err, "tt", purposes[i], now);
    if (!rc) rc = kt_store_run(s, "DELETE FROM kt_consent_todo", "migrating", err, "");
    return rc;
}
