/* What the files of auth/ share: one transaction per change to users or tokens, recorded. */
#ifndef KT_AUTH_AUTH_INT_H
#define KT_AUTH_AUTH_INT_H

#include "kartoteka/auth.h"

/* Checks that the actor may change users and tokens and that name is valid, then opens the
 * transaction. */
kt_status auth_change_begin(kt_ws *ws, const char *what, const char *name, kt_error *err);
/* Records the change (action "user.add", subject, detail or NULL) with the actor's source. */
kt_status auth_change_log(kt_ws *ws, const char *action, const char *subject, const char *detail,
                          kt_error *err);
/* Runs sql (one INSERT or UPDATE) with texts bound to ?1..?n (a NULL binds null). When it
 * touches no row it fails with none: KT_EXISTS ("there is already a user 'x'") or KT_NOTFOUND
 * ("there is no token 'x'"), what and name naming the thing; none = KT_OK accepts no row. */
kt_status auth_write_row(kt_ws *ws, const char *sql, const char *const *texts, int n,
                         kt_status none, const char *what, const char *name, kt_error *err);
/* Commits when st is KT_OK, else rolls back; returns the final status. */
kt_status auth_change_end(kt_ws *ws, kt_status st, kt_error *err);
/* Makes libsodium ready (once; safe from any thread). */
kt_status auth_sodium(kt_error *err);

/* secret.c: a secret's text, prefix and 43 URL-safe base64 characters of 256 random bits
 * (out holds 64); the hex SHA-256 kept instead of a secret; their comparison in constant time;
 * the time `seconds` from now ("YYYY-MM-DDTHH:MM:SSZ", honouring KT_NOW). */
#define AUTH_HASH_HEX 65
void auth_secret(const char *prefix, char out[64]);
void auth_hash(const char *text, char hex[AUTH_HASH_HEX]);
int auth_same_hash(const char *stored, const char *hex);
void auth_time_after(long seconds, char out[32]);

#endif
