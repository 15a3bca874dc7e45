/* kt_session: browser sessions after a password login. Owns that table's SQL. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/auth_int.h"

kt_status kt_session_open(kt_ws *ws, const char *name, const char *password,
                          char id[KT_SESSION_TEXT_MAX], char csrf[KT_SESSION_TEXT_MAX],
                          kt_actor *actor, kt_error *err)
{
    id[0] = csrf[0] = '\0';
    kt_status rc = kt_user_login(ws, name, password, actor, err);
    if (rc) return rc;
    auth_secret("", id);
    auth_secret("", csrf);
    char hid[AUTH_HASH_HEX], hcsrf[AUTH_HASH_HEX], now[32], stale[32];
    auth_hash(id, hid);
    auth_hash(csrf, hcsrf);
    kt_store_now(now);
    auth_time_after(-KT_SESSION_MAX_AGE, stale);
    kt_store *s = kt_ws_store(ws);
    if ((rc = kt_store_begin(s, err))) return rc;
    /* the ended sessions go as new ones come, so the table stays small */
    const char *old[] = {stale};
    const char *texts[] = {hid, hcsrf, name, now};
    rc = auth_write_row(ws, "DELETE FROM kt_session WHERE created_at < ?1", old, 1, KT_OK,
                        "session", name, err);
    if (!rc)
        rc = auth_write_row(ws,
                            "INSERT INTO kt_session(hash, csrf, user, created_at, seen_at) "
                            "VALUES (?1, ?2, ?3, ?4, ?4)",
                            texts, 4, KT_EXISTS, "session", name, err);
    rc = auth_change_end(ws, rc, err);
    if (rc) {
        sodium_memzero(id, KT_SESSION_TEXT_MAX);
        sodium_memzero(csrf, KT_SESSION_TEXT_MAX);
    }
    return rc;
}

kt_status kt_session_check(kt_ws *ws, const char *id, const char *csrf, kt_actor *actor,
                           kt_error *err)
{
    kt_status rc = auth_sodium(err);
    if (rc) return rc;
    if (!id || !*id || strlen(id) >= KT_SESSION_TEXT_MAX)
        return kt_error_set(err, KT_DENIED, "no session: log in again");
    char hid[AUTH_HASH_HEX], idle[32], born[32];
    auth_hash(id, hid);
    auth_time_after(-KT_SESSION_IDLE, idle);
    auth_time_after(-KT_SESSION_MAX_AGE, born);
    kt_store *s = kt_ws_store(ws);
    kt_stmt *st;
    if ((rc = kt_store_prepare(s,
                               "SELECT s.csrf, u.name, u.role, s.seen_at FROM kt_session s JOIN "
                               "kt_user u ON u.name = s.user WHERE s.hash = ?1 AND "
                               "u.disabled_at IS NULL AND s.seen_at >= ?2 AND s.created_at >= ?3",
                               &st, err)))
        return rc;
    kt_stmt_bind_text(st, 1, hid);
    kt_stmt_bind_text(st, 2, idle);
    kt_stmt_bind_text(st, 3, born);
    char name[KT_AUTH_NAME_MAX + 1] = "", role[16] = "", seen[32] = "";
    int found = 0, csrf_ok = 1, step = kt_stmt_step(st);
    if (step == KT_STMT_ROW) {
        found = 1;
        if (csrf) {
            char hcsrf[AUTH_HASH_HEX];
            auth_hash(csrf, hcsrf);
            csrf_ok = auth_same_hash(kt_stmt_text(st, 0), hcsrf);
        }
        snprintf(name, sizeof name, "%s", kt_stmt_text(st, 1));
        snprintf(role, sizeof role, "%s", kt_stmt_text(st, 2));
        snprintf(seen, sizeof seen, "%s", kt_stmt_text(st, 3));
    } else if (step != KT_STMT_DONE) {
        rc = kt_store_fail(s, err, "reading a session");
    }
    kt_stmt_reset(st);
    if (rc) return rc;
    kt_role r;
    if (!found || kt_role_parse(role, &r, NULL))
        return kt_error_set(err, KT_DENIED, "no session: log in again");
    if (!csrf_ok)
        return kt_error_set(err, KT_DENIED, "the request lacks this session's CSRF token");
    /* idle time is renewed at most once a minute: a write per minute, not per request */
    char renew[32];
    auth_time_after(-60, renew);
    if (strcmp(seen, renew) < 0) {
        char now[32];
        kt_store_now(now);
        const char *texts[] = {hid, now};
        if ((rc = auth_write_row(ws, "UPDATE kt_session SET seen_at = ?2 WHERE hash = ?1", texts, 2,
                                 KT_OK, "session", name, err)))
            return rc;
    }
    memset(actor, 0, sizeof *actor);
    snprintf(actor->name, sizeof actor->name, "%s", name);
    actor->role = r;
    snprintf(actor->source, sizeof actor->source, "web:%s", name);
    return KT_OK;
}

kt_status kt_session_close(kt_ws *ws, const char *id, kt_error *err)
{
    char hid[AUTH_HASH_HEX];
    kt_status rc = auth_sodium(err);
    if (rc) return rc;
    auth_hash(id ? id : "", hid);
    const char *texts[] = {hid};
    return auth_write_row(ws, "DELETE FROM kt_session WHERE hash = ?1", texts, 1, KT_OK, "session",
                          "", err);
}
