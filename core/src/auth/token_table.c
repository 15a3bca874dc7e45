/* kt_token: bearer tokens for other programs. A token's text is shown once; the table keeps
 * only its SHA-256. Owns that table's SQL. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/auth_int.h"
#include "kartoteka/date.h"

#define TOKEN_PREFIX "kt_"
kt_status kt_token_add(kt_ws *ws, const char *name, kt_role role, const char *expires,
                       char text[KT_TOKEN_TEXT_MAX], kt_error *err)
{
    text[0] = '\0';
    long days;
    char canon[KT_DATE_SIZE];
    if (expires) {
        if (kt_date_days(expires, &days, err))
            return kt_error_set(err, KT_USAGE, "--expires \"%s\" is not a date (YYYY-MM-DD)",
                                expires);
        kt_date_from_days(days, canon);
    }
    kt_status rc = auth_change_begin(ws, "token", name, err);
    if (rc) return rc;
    auth_secret(TOKEN_PREFIX, text);
    char hex[AUTH_HASH_HEX];
    auth_hash(text, hex);
    char now[32];
    kt_store_now(now);
    const char *texts[] = {name, kt_role_name(role), hex, expires ? canon : NULL, now};
    rc = auth_write_row(ws,
                        "INSERT INTO kt_token(name, role, hash, expires, created_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(name) DO NOTHING",
                        texts, 5, KT_EXISTS, "token", name, err);
    if (!rc) rc = auth_change_log(ws, "token.add", name, kt_role_name(role), err);
    rc = auth_change_end(ws, rc, err);
    if (rc) sodium_memzero(text, KT_TOKEN_TEXT_MAX);
    return rc;
}

kt_status kt_token_revoke(kt_ws *ws, const char *name, kt_error *err)
{
    kt_status rc = auth_change_begin(ws, "token", name, err);
    if (rc) return rc;
    char now[32];
    kt_store_now(now);
    const char *texts[] = {name, now};
    rc = auth_write_row(ws,
                        "UPDATE kt_token SET revoked_at = coalesce(revoked_at, ?2) WHERE name = ?1",
                        texts, 2, KT_NOTFOUND, "token", name, err);
    if (!rc) rc = auth_change_log(ws, "token.revoke", name, NULL, err);
    return auth_change_end(ws, rc, err);
}

static const char *token_state(const char *expires, int revoked, const char *today)
{
    if (revoked) return "revoked";
    if (expires && strcmp(today, expires) > 0) return "expired";
    return "active";
}

static void today(char out[KT_DATE_SIZE])
{
    char now[32];
    kt_store_now(now);
    snprintf(out, KT_DATE_SIZE, "%.10s", now);
}

kt_status kt_token_list(kt_ws *ws, kt_token_cb cb, void *ud, kt_error *err)
{
    kt_status rc = kt_auth_allow(ws, KT_ACT_USERS, NULL, err);
    if (rc) return rc;
    kt_store *s = kt_ws_store(ws);
    kt_stmt *st;
    if ((rc = kt_store_prepare(s,
                               "SELECT name, role, expires, revoked_at IS NOT NULL, created_at "
                               "FROM kt_token ORDER BY name",
                               &st, err)))
        return rc;
    char day[KT_DATE_SIZE];
    today(day);
    int step;
    while ((step = kt_stmt_step(st)) == KT_STMT_ROW) {
        const char *expires = kt_stmt_text(st, 2);
        kt_token_info t = {kt_stmt_text(st, 0), KT_ROLE_VIEWER, expires,
                           token_state(expires, kt_stmt_int(st, 3), day), kt_stmt_text(st, 4)};
        kt_role_parse(kt_stmt_text(st, 1), &t.role, NULL);
        if (cb(ud, &t)) break;
    }
    if (step != KT_STMT_ROW && step != KT_STMT_DONE) rc = kt_store_fail(s, err, "listing tokens");
    kt_stmt_reset(st);
    return rc;
}

kt_status kt_token_check(kt_ws *ws, const char *text, kt_actor *actor, kt_error *err)
{
    kt_status rc = auth_sodium(err);
    if (rc) return rc;
    if (!text || strncmp(text, TOKEN_PREFIX, strlen(TOKEN_PREFIX)) != 0 ||
        strlen(text) >= KT_TOKEN_TEXT_MAX)
        return kt_error_set(err, KT_DENIED, "the token is not valid");
    char hex[AUTH_HASH_HEX], day[KT_DATE_SIZE];
    auth_hash(text, hex);
    today(day);
    kt_store *s = kt_ws_store(ws);
    kt_stmt *st;
    if ((rc = kt_store_prepare(s,
                               "SELECT name, role, hash, expires, revoked_at IS NOT NULL "
                               "FROM kt_token",
                               &st, err)))
        return rc;
    /* Every row is compared in full, so the time taken says nothing of where a match is. */
    int found = 0, step;
    char name[KT_AUTH_NAME_MAX + 1] = "", role[16] = "";
    while ((step = kt_stmt_step(st)) == KT_STMT_ROW) {
        const char *h = kt_stmt_text(st, 2);
        int same = auth_same_hash(h, hex);
        const char *expires = kt_stmt_text(st, 3);
        if (same && strcmp(token_state(expires, kt_stmt_int(st, 4), day), "active") == 0) {
            found = 1;
            snprintf(name, sizeof name, "%s", kt_stmt_text(st, 0));
            snprintf(role, sizeof role, "%s", kt_stmt_text(st, 1));
        }
    }
    if (step != KT_STMT_DONE) rc = kt_store_fail(s, err, "reading tokens");
    kt_stmt_reset(st);
    if (rc) return rc;
    kt_role r;
    if (!found || kt_role_parse(role, &r, NULL))
        return kt_error_set(err, KT_DENIED, "the token is not valid");
    memset(actor, 0, sizeof *actor);
    snprintf(actor->name, sizeof actor->name, "%s", name);
    actor->role = r;
    snprintf(actor->source, sizeof actor->source, "api:%s", name);
    return KT_OK;
}
