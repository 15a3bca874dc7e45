/* Users, tokens and roles through the public API: who may log in, which token is live, and
 * that the write door, the lifecycle changes, the registry and the readers obey the actor. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/auth.h"
#include "kartoteka/query.h"
#include "kartoteka/save.h"
#include "ws_fixture.h"

static int setup(void **state)
{
    kt_test_ws *t = calloc(1, sizeof *t);
    kt_test_ws_open(t, "kt-auth");
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    kt_test_ws_close(*state);
    free(*state);
    unsetenv("KT_NOW");
    return 0;
}

static void act_as(kt_ws *ws, const char *name, kt_role role, const char *source)
{
    kt_actor a = {"", role, ""};
    snprintf(a.name, sizeof a.name, "%s", name);
    snprintf(a.source, sizeof a.source, "%s", source);
    kt_error err;
    assert_int_equal(kt_auth_set_actor(ws, &a, &err), KT_OK);
}

static kt_id add_person(kt_ws *ws, const char *last, const char *email, kt_status want)
{
    kt_record *r = kt_record_new("person");
    kt_error err;
    assert_int_equal(kt_record_set(r, "first_name", "Anna", &err), KT_OK);
    assert_int_equal(kt_record_set(r, "last_name", last, &err), KT_OK);
    assert_int_equal(kt_record_set(r, "email", email, &err), KT_OK);
    kt_save_opts o = {.allow_duplicate = 1};
    assert_int_equal(kt_save(ws, r, &o, NULL, &err), want);
    kt_id id = r->id;
    kt_record_free(r);
    return id;
}

static void test_users_log_in(void **state)
{
    kt_ws *ws = ((kt_test_ws *)*state)->ws;
    kt_error err;
    kt_actor a;
    assert_int_equal(kt_user_add(ws, "anna", KT_ROLE_STAFF, "correct horse", &err), KT_OK);
    assert_int_equal(kt_user_add(ws, "anna", KT_ROLE_VIEWER, "another one", &err), KT_EXISTS);
    assert_int_equal(kt_user_add(ws, "Bad Name", KT_ROLE_VIEWER, "long enough", &err), KT_USAGE);
    assert_int_equal(kt_user_add(ws, "bob", KT_ROLE_VIEWER, "short", &err), KT_INVALID);
    assert_int_equal(kt_user_login(ws, "anna", "correct horse", &a, &err), KT_OK);
    assert_string_equal(a.source, "web:anna");
    assert_int_equal(a.role, KT_ROLE_STAFF);
    assert_int_equal(kt_user_login(ws, "anna", "wrong horse", &a, &err), KT_DENIED);
    assert_int_equal(kt_user_login(ws, "nobody", "correct horse", &a, &err), KT_DENIED);
    assert_int_equal(kt_user_disable(ws, "anna", 1, &err), KT_OK);
    assert_int_equal(kt_user_login(ws, "anna", "correct horse", &a, &err), KT_DENIED);
    assert_int_equal(kt_user_disable(ws, "anna", 0, &err), KT_OK);
    assert_int_equal(kt_user_passwd(ws, "anna", "battery staple", &err), KT_OK);
    assert_int_equal(kt_user_login(ws, "anna", "correct horse", &a, &err), KT_DENIED);
    assert_int_equal(kt_user_login(ws, "anna", "battery staple", &a, &err), KT_OK);
    assert_int_equal(kt_user_set_role(ws, "nobody", KT_ROLE_OWNER, &err), KT_NOTFOUND);
    /* the password is kept only as an argon2id string */
    assert_int_equal(kt_test_ws_value(ws, "SELECT count(*) FROM kt_user WHERE password LIKE "
                                          "'$argon2id$%' AND instr(password, 'staple') = 0"),
                     1);
}

static void test_tokens_live_expire_revoke(void **state)
{
    kt_ws *ws = ((kt_test_ws *)*state)->ws;
    kt_error err;
    kt_actor a;
    char text[KT_TOKEN_TEXT_MAX], other[KT_TOKEN_TEXT_MAX], bad[KT_TOKEN_TEXT_MAX];
    setenv("KT_NOW", "2027-01-10T12:00:00", 1);
    assert_int_equal(kt_token_add(ws, "shop-sync", KT_ROLE_STAFF, "2027-01-31", text, &err), KT_OK);
    assert_int_equal(strlen(text), 46);
    assert_int_equal(kt_token_add(ws, "phone", KT_ROLE_VIEWER, NULL, other, &err), KT_OK);
    assert_string_not_equal(text, other);
    assert_int_equal(kt_token_add(ws, "bad", KT_ROLE_VIEWER, "31.01.2027", bad, &err), KT_USAGE);
    assert_int_equal(kt_token_check(ws, text, &a, &err), KT_OK);
    assert_string_equal(a.source, "api:shop-sync");
    assert_int_equal(a.role, KT_ROLE_STAFF);
    /* only the hash is stored */
    assert_int_equal(kt_test_ws_value(ws, "SELECT count(*) FROM kt_token WHERE length(hash) = 64"),
                     2);
    char kept = text[10];
    text[10] = kept == 'A' ? 'B' : 'A';
    assert_int_equal(kt_token_check(ws, text, &a, &err), KT_DENIED);
    text[10] = kept;
    assert_int_equal(kt_token_check(ws, "", &a, &err), KT_DENIED);
    setenv("KT_NOW", "2027-01-31T23:59:59", 1);
    assert_int_equal(kt_token_check(ws, text, &a, &err), KT_OK);
    setenv("KT_NOW", "2027-02-01T00:00:00", 1);
    assert_int_equal(kt_token_check(ws, text, &a, &err), KT_DENIED);
    assert_int_equal(kt_token_check(ws, other, &a, &err), KT_OK);
    assert_int_equal(kt_token_revoke(ws, "phone", &err), KT_OK);
    assert_int_equal(kt_token_check(ws, other, &a, &err), KT_DENIED);
    assert_int_equal(kt_token_revoke(ws, "nothing", &err), KT_NOTFOUND);
}

static void test_sessions_expire(void **state)
{
    kt_ws *ws = ((kt_test_ws *)*state)->ws;
    kt_error err;
    kt_actor a;
    char id[KT_SESSION_TEXT_MAX], csrf[KT_SESSION_TEXT_MAX];
    setenv("KT_NOW", "2027-03-01T08:00:00", 1);
    assert_int_equal(kt_user_add(ws, "anna", KT_ROLE_STAFF, "correct horse", &err), KT_OK);
    assert_int_equal(kt_session_open(ws, "anna", "correct horse", id, csrf, &a, &err), KT_OK);
    assert_int_equal(kt_session_check(ws, id, csrf, &a, &err), KT_OK);
    assert_string_equal(a.source, "web:anna");
    assert_int_equal(kt_session_check(ws, id, "forged", &a, &err), KT_DENIED);
    assert_int_equal(kt_session_check(ws, csrf, NULL, &a, &err), KT_DENIED);
    /* used every 29 minutes it lives; 12 hours after login it ends however used */
    const char *const uses[] = {"2027-03-01T08:29:00", "2027-03-01T08:58:00",
                                "2027-03-01T09:27:00"};
    for (size_t i = 0; i < 3; i++) {
        setenv("KT_NOW", uses[i], 1);
        assert_int_equal(kt_session_check(ws, id, NULL, &a, &err), KT_OK);
    }
    setenv("KT_NOW", "2027-03-01T09:58:00", 1); /* 31 minutes idle */
    assert_int_equal(kt_session_check(ws, id, NULL, &a, &err), KT_DENIED);
    setenv("KT_NOW", "2027-03-01T10:00:00", 1);
    assert_int_equal(kt_session_open(ws, "anna", "correct horse", id, csrf, &a, &err), KT_OK);
    for (int h = 10; h < 22; h++) {
        char now[32];
        for (int m = 0; m < 60; m += 20) {
            snprintf(now, sizeof now, "2027-03-01T%02d:%02d:00", h, m);
            setenv("KT_NOW", now, 1);
            assert_int_equal(kt_session_check(ws, id, NULL, &a, &err), KT_OK);
        }
    }
    setenv("KT_NOW", "2027-03-01T22:00:01", 1);
    assert_int_equal(kt_session_check(ws, id, NULL, &a, &err), KT_DENIED);
    /* logout */
    assert_int_equal(kt_session_open(ws, "anna", "correct horse", id, csrf, &a, &err), KT_OK);
    assert_int_equal(kt_session_close(ws, id, &err), KT_OK);
    assert_int_equal(kt_session_check(ws, id, NULL, &a, &err), KT_DENIED);
}

static void test_lockout_ends(void **state)
{
    kt_ws *ws = ((kt_test_ws *)*state)->ws;
    kt_error err;
    kt_actor a;
    setenv("KT_NOW", "2027-03-01T08:00:00", 1);
    assert_int_equal(kt_user_add(ws, "bob", KT_ROLE_VIEWER, "right password", &err), KT_OK);
    for (int i = 0; i < 4; i++)
        assert_int_equal(kt_user_login(ws, "bob", "wrong password", &a, &err), KT_DENIED);
    assert_int_equal(kt_user_login(ws, "bob", "right password", &a, &err), KT_OK); /* resets */
    for (int i = 0; i < 5; i++)
        assert_int_equal(kt_user_login(ws, "bob", "wrong password", &a, &err), KT_DENIED);
    assert_int_equal(kt_user_login(ws, "bob", "right password", &a, &err), KT_LIMIT);
    setenv("KT_NOW", "2027-03-01T08:14:59", 1);
    assert_int_equal(kt_user_login(ws, "bob", "right password", &a, &err), KT_LIMIT);
    setenv("KT_NOW", "2027-03-01T08:15:01", 1);
    assert_int_equal(kt_user_login(ws, "bob", "right password", &a, &err), KT_OK);
}

static int source_of_last(void *ud, const kt_change *c)
{
    snprintf(ud, 64, "%s", c->source);
    return 0;
}

static int collect_new(void *ud, const kt_change *c)
{
    if (c->field && !strcmp(c->field, "email")) snprintf(ud, 64, "%s", c->new_ ? c->new_ : "");
    return 0;
}

static void test_roles_at_the_door(void **state)
{
    kt_ws *ws = ((kt_test_ws *)*state)->ws;
    kt_error err;
    kt_id id = add_person(ws, "Nowak", "anna@example.com", KT_OK);
    char source[64] = "";
    assert_int_equal(kt_history(ws, id, source_of_last, source, &err), KT_OK);
    assert_string_equal(source, "api"); /* a local actor: the caller's own source stands */

    act_as(ws, "vera", KT_ROLE_VIEWER, "web:vera");
    add_person(ws, "Kowalska", "k@example.com", KT_DENIED);
    assert_int_equal(kt_test_ws_value(ws, "SELECT count(*) FROM person"), 1);
    kt_record *r = NULL;
    assert_int_equal(kt_get(ws, id, &r, &err), KT_OK);
    assert_string_equal(kt_record_text(r, "email"), "***");
    assert_string_equal(kt_record_text(r, "last_name"), "***");
    kt_record_free(r);
    char seen[64] = "";
    assert_int_equal(kt_history(ws, id, collect_new, seen, &err), KT_OK);
    assert_string_equal(seen, "***");
    assert_int_equal(kt_archive(ws, id, NULL, &err), KT_DENIED);
    kt_field_decl f = {"person", "shoe_size", "integer", "{}", "test", 0};
    assert_int_equal(kt_ws_declare_field(ws, &f, &err), KT_DENIED);

    act_as(ws, "anna", KT_ROLE_STAFF, "web:anna");
    kt_id id2 = add_person(ws, "Kowalska", "k@example.com", KT_OK);
    assert_int_equal(kt_history(ws, id2, source_of_last, source, &err), KT_OK);
    assert_string_equal(source, "web:anna");
    assert_int_equal(kt_get(ws, id2, &r, &err), KT_OK);
    assert_string_equal(kt_record_text(r, "email"), "k@example.com");
    kt_record_free(r);
    assert_int_equal(kt_archive(ws, id2, NULL, &err), KT_DENIED);
    assert_non_null(strstr(err.message, "manager"));
    assert_int_equal(kt_user_add(ws, "eve", KT_ROLE_OWNER, "long enough", &err), KT_DENIED);

    act_as(ws, "mike", KT_ROLE_MANAGER, "api:mike");
    kt_save_opts o = {.source = "import x.csv"};
    assert_int_equal(kt_archive(ws, id2, &o, &err), KT_OK);
    assert_int_equal(kt_history(ws, id2, source_of_last, source, &err), KT_OK);
    assert_string_equal(source, "api:mike import x.csv");
    assert_int_equal(kt_token_add(ws, "x", KT_ROLE_OWNER, NULL, (char[KT_TOKEN_TEXT_MAX]){0}, &err),
                     KT_DENIED);

    assert_int_equal(kt_auth_set_actor(ws, NULL, &err), KT_OK);
    assert_string_equal(kt_auth_actor(ws)->name, "cli");
    assert_int_equal(kt_auth_actor(ws)->role, KT_ROLE_OWNER);
    assert_int_equal(kt_ws_declare_field(ws, &f, &err), KT_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_users_log_in, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tokens_live_expire_revoke, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roles_at_the_door, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sessions_expire, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lockout_ends, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
