/* kt_auth_change: the record of who changed which user or token. Owns that table's SQL. */
#include <sodium.h>

#include "auth/auth_int.h"

kt_status auth_sodium(kt_error *err)
{
    if (sodium_init() < 0) return kt_error_set(err, KT_INTERNAL, "libsodium could not start");
    return KT_OK;
}

kt_status auth_change_begin(kt_ws *ws, const char *what, const char *name, kt_error *err)
{
    kt_status st = kt_auth_allow(ws, KT_ACT_USERS, NULL, err);
    if (st) return st;
    if (!kt_auth_name_ok(name))
        return kt_error_set(err, KT_USAGE,
                            "\"%s\" is not a %s name: up to %d of a-z, 0-9, '.', '_', '-', "
                            "starting with a letter or digit",
                            name ? name : "", what, KT_AUTH_NAME_MAX);
    if ((st = auth_sodium(err))) return st;
    return kt_store_begin(kt_ws_store(ws), err);
}

kt_status auth_change_log(kt_ws *ws, const char *action, const char *subject, const char *detail,
                          kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *st;
    kt_status rc = kt_store_prepare(s,
                                    "INSERT INTO kt_auth_change(at, action, subject, detail, "
                                    "source) VALUES (?1, ?2, ?3, ?4, ?5)",
                                    &st, err);
    if (rc) return rc;
    char now[32], source[KT_AUTH_SOURCE_MAX + 16];
    kt_store_now(now);
    kt_stmt_bind_text_copy(st, 1, now, (size_t)-1);
    kt_stmt_bind_text(st, 2, action);
    kt_stmt_bind_text(st, 3, subject);
    if (detail) kt_stmt_bind_text(st, 4, detail);
    kt_stmt_bind_text_copy(st, 5, kt_auth_source(ws, "cli", source, sizeof source), (size_t)-1);
    rc = kt_stmt_step(st) == KT_STMT_DONE ? KT_OK : kt_store_fail(s, err, "recording the change");
    kt_stmt_reset(st);
    return rc;
}

kt_status auth_write_row(kt_ws *ws, const char *sql, const char *const *texts, int n,
                         kt_status none, const char *what, const char *name, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *st;
    kt_status rc = kt_store_prepare(s, sql, &st, err);
    if (rc) return rc;
    for (int i = 0; i < n; i++)
        if (texts[i]) kt_stmt_bind_text(st, i + 1, texts[i]);
    if (kt_stmt_step(st) != KT_STMT_DONE)
        rc = kt_store_fail(s, err, what);
    else if (none != KT_OK && kt_store_changes(s) == 0)
        rc = kt_error_set(err, none,
                          none == KT_EXISTS ? "there is already a %s '%s'" : "there is no %s '%s'",
                          what, name);
    kt_stmt_reset(st);
    return rc;
}

kt_status auth_change_end(kt_ws *ws, kt_status st, kt_error *err)
{
    if (st) {
        kt_store_rollback(kt_ws_store(ws));
        return st;
    }
    return kt_store_commit(kt_ws_store(ws), err);
}
