/* kt_user: people who log in to the server, with argon2id passwords. Owns that table's SQL. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/auth_int.h"

#define PASSWORD_MIN 8
#define PASSWORD_MAX 1024
#define LOCK_AFTER_TEXT "5"
#define LOCK_SECONDS (15 * 60)

/* Hashing takes a tenth of a second and 64 MB on purpose; it runs before the write lock. */
static kt_status hash_password(const char *password, char out[crypto_pwhash_STRBYTES],
                               kt_error *err)
{
    size_t n = password ? strlen(password) : 0;
    if (n < PASSWORD_MIN || n > PASSWORD_MAX)
        return kt_error_set(err, KT_INVALID, "a password has %d to %d characters", PASSWORD_MIN,
                            PASSWORD_MAX);
    kt_status st = auth_sodium(err);
    if (st) return st;
    if (crypto_pwhash_str(out, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return kt_error_set(err, KT_NOMEM, "out of memory hashing the password");
    return KT_OK;
}

kt_status kt_user_add(kt_ws *ws, const char *name, kt_role role, const char *password,
                      kt_error *err)
{
    char hash[crypto_pwhash_STRBYTES];
    kt_status rc = kt_auth_allow(ws, KT_ACT_USERS, NULL, err);
    if (rc || (rc = hash_password(password, hash, err)) ||
        (rc = auth_change_begin(ws, "user", name, err)))
        return rc;
    char now[32];
    kt_store_now(now);
    const char *texts[] = {name, kt_role_name(role), hash, now};
    rc = auth_write_row(ws,
                        "INSERT INTO kt_user(name, role, password, created_at, updated_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT(name) DO NOTHING",
                        texts, 4, KT_EXISTS, "user", name, err);
    sodium_memzero(hash, sizeof hash);
    if (!rc) rc = auth_change_log(ws, "user.add", name, kt_role_name(role), err);
    return auth_change_end(ws, rc, err);
}

/* One UPDATE of one user's row: sql takes ?1 name, ?2 the value, ?3 now. */
static kt_status update_user(kt_ws *ws, const char *name, const char *sql, const char *value,
                             const char *action, const char *detail, kt_error *err)
{
    kt_status rc = auth_change_begin(ws, "user", name, err);
    if (rc) return rc;
    char now[32];
    kt_store_now(now);
    const char *texts[] = {name, value, now};
    rc = auth_write_row(ws, sql, texts, 3, KT_NOTFOUND, "user", name, err);
    if (!rc) rc = auth_change_log(ws, action, name, detail, err);
    return auth_change_end(ws, rc, err);
}

kt_status kt_user_passwd(kt_ws *ws, const char *name, const char *password, kt_error *err)
{
    char hash[crypto_pwhash_STRBYTES];
    kt_status rc = kt_auth_allow(ws, KT_ACT_USERS, NULL, err);
    if (rc || (rc = hash_password(password, hash, err))) return rc;
    rc = update_user(ws, name, "UPDATE kt_user SET password = ?2, updated_at = ?3 WHERE name = ?1",
                     hash, "user.passwd", NULL, err);
    sodium_memzero(hash, sizeof hash);
    return rc;
}

kt_status kt_user_set_role(kt_ws *ws, const char *name, kt_role role, kt_error *err)
{
    return update_user(ws, name, "UPDATE kt_user SET role = ?2, updated_at = ?3 WHERE name = ?1",
                       kt_role_name(role), "user.role", kt_role_name(role), err);
}

kt_status kt_user_disable(kt_ws *ws, const char *name, int disabled, kt_error *err)
{
    if (disabled)
        return update_user(ws, name,
                           "UPDATE kt_user SET disabled_at = coalesce(disabled_at, ?3), "
                           "updated_at = ?3 WHERE name = ?1",
                           NULL, "user.disable", NULL, err);
    return update_user(ws, name,
                       "UPDATE kt_user SET disabled_at = NULL, updated_at = ?3 WHERE name = ?1",
                       NULL, "user.enable", NULL, err);
}

kt_status kt_user_list(kt_ws *ws, kt_user_cb cb, void *ud, kt_error *err)
{
    kt_status rc = kt_auth_allow(ws, KT_ACT_USERS, NULL, err);
    if (rc) return rc;
    kt_store *s = kt_ws_store(ws);
    kt_stmt *st;
    if ((rc = kt_store_prepare(s,
                               "SELECT name, role, disabled_at IS NOT NULL, created_at, updated_at "
                               "FROM kt_user ORDER BY name",
                               &st, err)))
        return rc;
    int step;
    while ((step = kt_stmt_step(st)) == KT_STMT_ROW) {
        kt_user_info u = {kt_stmt_text(st, 0), KT_ROLE_VIEWER, kt_stmt_int(st, 2),
                          kt_stmt_text(st, 3), kt_stmt_text(st, 4)};
        kt_role_parse(kt_stmt_text(st, 1), &u.role, NULL);
        if (cb(ud, &u)) break;
    }
    if (step != KT_STMT_ROW && step != KT_STMT_DONE) rc = kt_store_fail(s, err, "listing users");
    kt_stmt_reset(st);
    return rc;
}

/* Wrong passwords are counted; the LOCK_AFTER-th locks the name for LOCK_SECONDS, so guessing
 * a password online takes years. A good one clears the count. */
static kt_status count_login(kt_ws *ws, const char *name, int ok, kt_error *err)
{
    char until[32];
    auth_time_after(LOCK_SECONDS, until);
    const char *texts[] = {name, until};
    return auth_write_row(ws,
                          ok ? "UPDATE kt_user SET failed = 0, locked_until = NULL WHERE name = ?1 "
                               "AND (failed > 0 OR locked_until IS NOT NULL)"
                             : "UPDATE kt_user SET failed = (failed + 1) % " LOCK_AFTER_TEXT ", "
                               "locked_until = CASE WHEN failed + 1 >= " LOCK_AFTER_TEXT
                               " THEN ?2 ELSE locked_until END WHERE name = ?1",
                          texts, 2, KT_OK, "user", name, err);
}

kt_status kt_user_login(kt_ws *ws, const char *name, const char *password, kt_actor *actor,
                        kt_error *err)
{
    kt_status rc = auth_sodium(err);
    if (rc) return rc;
    kt_store *s = kt_ws_store(ws);
    kt_stmt *st;
    if ((rc = kt_store_prepare(s,
                               "SELECT role, password, disabled_at IS NOT NULL, "
                               "coalesce(locked_until, '') FROM kt_user WHERE name = ?1",
                               &st, err)))
        return rc;
    kt_stmt_bind_text(st, 1, name ? name : "");
    char hash[crypto_pwhash_STRBYTES] = "";
    char role_text[16] = "", locked[32] = "";
    int found = 0, disabled = 0, step = kt_stmt_step(st);
    if (step == KT_STMT_ROW) {
        found = 1;
        snprintf(role_text, sizeof role_text, "%s", kt_stmt_text(st, 0));
        snprintf(hash, sizeof hash, "%s", kt_stmt_text(st, 1));
        disabled = kt_stmt_int(st, 2);
        snprintf(locked, sizeof locked, "%s", kt_stmt_text(st, 3));
    } else if (step != KT_STMT_DONE) {
        rc = kt_store_fail(s, err, "reading a user");
    }
    kt_stmt_reset(st);
    if (rc) return rc;
    char now[32];
    kt_store_now(now);
    if (found && locked[0] && strcmp(now, locked) < 0) {
        sodium_memzero(hash, sizeof hash);
        return kt_error_set(err, KT_LIMIT, "too many wrong passwords: try again after %s", locked);
    }
    size_t n = password ? strlen(password) : 0;
    /* An unknown name costs one hashing too, so timing does not tell which names exist. */
    int ok = found && n <= PASSWORD_MAX && crypto_pwhash_str_verify(hash, password, n) == 0;
    if (!found) {
        char dummy[crypto_pwhash_STRBYTES];
        if (crypto_pwhash_str(dummy, "not a password", 14, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0)
            sodium_memzero(dummy, sizeof dummy);
    }
    sodium_memzero(hash, sizeof hash);
    if (found && (rc = count_login(ws, name, ok, err))) return rc;
    kt_role role;
    if (!ok || disabled || kt_role_parse(role_text, &role, NULL))
        return kt_error_set(err, KT_DENIED, "wrong user name or password");
    memset(actor, 0, sizeof *actor);
    snprintf(actor->name, sizeof actor->name, "%s", name);
    actor->role = role;
    snprintf(actor->source, sizeof actor->source, "web:%s", name);
    return KT_OK;
}
