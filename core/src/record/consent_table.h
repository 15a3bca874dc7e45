/* Internal: the owner of kt_consent's statements (consent_table.c): rows are appended and read
 * here only, so the append-only rule has one file to hold it. */
#ifndef KT_RECORD_CONSENT_TABLE_H
#define KT_RECORD_CONSENT_TABLE_H

#include "kartoteka/consent.h"
#include "kartoteka/store.h"

/* Appends row (its id is ignored; every string copied by SQLite). */
kt_status kt_consent_row_add(kt_store *s, const kt_consent_row *row, kt_error *err);
/* Erasure: value (a person's erased value) in the free text of person's rows (note, wording
 * text) becomes with; who, when, what purpose and the wording's version stay as the proof. */
kt_status kt_consent_rows_scrub(kt_store *s, kt_id person, const char *value, const char *with,
                                kt_error *err);
/* person's rows, oldest first (purpose NULL: all). cb's row is valid during the call. */
kt_status kt_consent_rows(kt_store *s, kt_id person, const char *purpose, kt_consent_cb cb,
                          void *ud, kt_error *err);
/* The newest row of person and purpose: *found 0 when none; else *given, and expires (the
 * row's expires_at, "" when none). */
kt_status kt_consent_row_latest(kt_store *s, kt_id person, const char *purpose, int *found,
                                int *given, char expires[32], kt_error *err);
/* The purposes person's rows name, in the order they first appear. */
kt_status kt_consent_row_purposes(kt_store *s, kt_id person,
                                  int (*cb)(void *ud, const char *purpose), void *ud,
                                  kt_error *err);
/* The one-time migration of marketing_consent values (see schema/013_consent.sql). pending:
 * it is still to do, the person table exists and the database is writable. migrate: each yes
 * or no becomes a row per purpose of purposes (n of them) at now, unless the person already
 * has rows of their own; then it is done. */
kt_status kt_consent_rows_pending(kt_store *s, int *pending, kt_error *err);
kt_status kt_consent_rows_migrate(kt_store *s, const char *const *purposes, size_t n,
                                  const char *now, kt_error *err);

#endif
