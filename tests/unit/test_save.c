/* The write door through the public API: a real workspace on disk, the built-in schema,
 * declarations, saves that pass and fail, history, archive. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kartoteka/alloc.h"
#include "kartoteka/config.h"
#include "kartoteka/dedupe.h"
#include "kartoteka/external.h"
#include "kartoteka/query.h"
#include "kartoteka/save.h"
#include "kartoteka/store.h"
#include "store/store_db.h"
#include "ws_fixture.h"

typedef struct fixture {
    kt_test_ws t;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    kt_test_ws_open(&f->t, "kt-unit");
    kt_error err;
    kt_field_decl pets = {"person", "pets",
                          "set",    "{\"required\":true,\"options\":[\"dog\",\"cat\",\"none\"]}",
                          "test",   0};
    assert_int_equal(kt_ws_declare_field(f->t.ws, &pets, &err), KT_OK);
    kt_field_decl card = {"person", "card", "text", "{\"pattern\":\"^[0-9]{8}$\",\"unique\":true}",
                          "test",   0};
    assert_int_equal(kt_ws_declare_field(f->t.ws, &card, &err), KT_OK);
    *state = f;
    return 0;
}

static kt_record *person(const char *first, const char *pets, const char *card)
{
    kt_record *r = kt_record_new("person");
    kt_error err;
    assert_int_equal(kt_record_set(r, "first_name", first, &err), KT_OK);
    if (pets) assert_int_equal(kt_record_set_csv(r, "pets", pets, &err), KT_OK);
    if (card) assert_int_equal(kt_record_set(r, "card", card, &err), KT_OK);
    return r;
}

static void save_and_get(void **state)
{
    fixture *f = *state;
    kt_record *r = person("Łukasz", "cat,dog", "12345678");
    kt_error err;
    kt_failures fails;
    kt_failures_init(&fails);
    assert_int_equal(kt_save(f->t.ws, r, NULL, &fails, &err), KT_OK);
    assert_true(r->id > 0);
    assert_int_equal(fails.n, 0);
    kt_record *got = NULL;
    assert_int_equal(kt_get(f->t.ws, r->id, &got, &err), KT_OK);
    assert_string_equal(kt_record_text(got, "first_name"), "Łukasz");
    const kt_value *pets = kt_record_get(got, "pets");
    assert_int_equal(pets->nitems, 2);
    assert_string_equal(pets->items[0], "dog"); /* stored in the order of the options */
    assert_string_equal(got->state, "active");
    kt_test_ws_assert_idle(f->t.ws); /* kt_get used to leave its entity lookup on a row */
    kt_record_free(got);
    kt_record_free(r);
    kt_failures_free(&fails);
}

static void every_failure_listed(void **state)
{
    fixture *f = *state;
    kt_record *r = person("Anna", "lizard", "12ab");
    kt_record_set(r, "birth_date", "2001-02-31", NULL);
    kt_record_set(r, "email", "nope", NULL);
    kt_error err;
    kt_failures fails;
    kt_failures_init(&fails);
    assert_int_equal(kt_save(f->t.ws, r, NULL, &fails, &err), KT_INVALID);
    assert_int_equal(r->id, 0);
    assert_int_equal(kt_failures_errors(&fails), 4);
    const char *rules[] = {"date", "email", "options", "pattern"};
    for (size_t i = 0; i < 4; i++) {
        int seen = 0;
        for (size_t j = 0; j < fails.n; j++)
            seen |= strcmp(fails.items[j].rule, rules[i]) == 0;
        assert_true(seen);
    }
    kt_failures_free(&fails);
    kt_record_free(r);
}

static void unique_and_update(void **state)
{
    fixture *f = *state;
    kt_error err;
    kt_record *a = person("A", "none", "11111111");
    assert_int_equal(kt_save(f->t.ws, a, NULL, NULL, &err), KT_OK);
    kt_record *b = person("B", "none", "11111111");
    assert_int_equal(kt_save(f->t.ws, b, NULL, NULL, &err), KT_INVALID);
    /* an update of the holder itself is fine */
    kt_record *patch = kt_record_new("person");
    patch->id = a->id;
    kt_record_set(patch, "city", "Kraków", NULL);
    assert_int_equal(kt_save(f->t.ws, patch, NULL, NULL, &err), KT_OK);
    int changes = 0;
    kt_record *got = NULL;
    assert_int_equal(kt_get(f->t.ws, a->id, &got, &err), KT_OK);
    assert_string_equal(kt_record_text(got, "card"), "11111111");
    assert_string_equal(kt_record_text(got, "city"), "Kraków");
    (void)changes;
    kt_record_free(got);
    kt_record_free(patch);
    kt_record_free(a);
    kt_record_free(b);
}

static int count_changes(void *ud, const kt_change *c)
{
    (void)c;
    (*(int *)ud)++;
    return 0;
}

static void archive_keeps_history(void **state)
{
    fixture *f = *state;
    kt_error err;
    kt_record *a = person("C", "dog", NULL);
    assert_int_equal(kt_save(f->t.ws, a, NULL, NULL, &err), KT_OK);
    assert_int_equal(kt_archive(f->t.ws, a->id, NULL, &err), KT_OK);
    assert_int_equal(kt_archive(f->t.ws, a->id, NULL, &err), KT_OK); /* idempotent */
    assert_int_equal(kt_restore(f->t.ws, a->id, NULL, &err), KT_OK);
    int n = 0;
    assert_int_equal(kt_history(f->t.ws, a->id, count_changes, &n, &err), KT_OK);
    /* create + first_name + pets + client_status default + archive + restore */
    assert_int_equal(n, 6);
    assert_int_equal(kt_archive(f->t.ws, 987654, NULL, &err), KT_NOTFOUND);
    kt_record_free(a);
}

static int stop_after_two(void *ud, const kt_change *c)
{
    (void)c;
    return ++*(int *)ud == 2;
}
/* kt_history's entries, copied out of the callback. */
typedef struct entries {
    size_t n;
    long long seq[64], batch[64];
    char *action[64], *field[64], *old[64], *new_[64], *at[64], *source[64];
} entries;

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static int collect(void *ud, const kt_change *c)
{
    entries *e = ud;
    assert_true(e->n < 64);
    size_t i = e->n++;
    e->seq[i] = c->seq;
    e->batch[i] = c->batch;
    e->action[i] = dup_or_null(c->action);
    e->field[i] = dup_or_null(c->field);
    e->old[i] = dup_or_null(c->old);
    e->new_[i] = dup_or_null(c->new_);
    e->at[i] = dup_or_null(c->at);
    e->source[i] = dup_or_null(c->source);
    return 0;
}

static void entries_free(entries *e)
{
    for (size_t i = 0; i < e->n; i++) {
        free(e->action[i]);
        free(e->field[i]);
        free(e->old[i]);
        free(e->new_[i]);
        free(e->at[i]);
        free(e->source[i]);
    }
    e->n = 0;
}

static long long sql_int(kt_ws *ws, const char *sql, long long arg, const char *text)
{
    sqlite3 *db = kt_store_db(kt_ws_store(ws));
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, arg);
    if (text) sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Values that JSON must escape or carry as they are, in the entity's field order. */
static const char *const tricky[][2] = {
    {"first_name", "Ann \"Q\" O\\Brien"},
    {"last_name", "Волкова-Łącka"},
    {"street", "خیابان\xe2\x80\x8c"
               "آزادی 12"}, /* with a ZWNJ */
    {"city", "تهران"},
    {"client_status", "prospect"}, /* the default */
    {"notes", "line one\nline two\x01\x1f end\ttab \xe2\x80\xa8 /\\u0041"},
    {"pets", "[\"dog\",\"cat\"]"}, /* a set: its JSON array text */
    {"card", "87654321"},
};
#define NTRICKY (sizeof tricky / sizeof tricky[0])

static kt_id save_tricky(fixture *f)
{
    kt_record *r = kt_record_new("person");
    kt_error err;
    for (size_t i = 0; i < NTRICKY; i++) {
        if (!strcmp(tricky[i][0], "pets"))
            assert_int_equal(kt_record_set_csv(r, "pets", "cat,dog", &err), KT_OK);
        else if (strcmp(tricky[i][0], "client_status") != 0)
            assert_int_equal(kt_record_set(r, tricky[i][0], tricky[i][1], &err), KT_OK);
    }
    kt_save_opts o = {.source = "unit test"};
    kt_failures fails;
    kt_failures_init(&fails);
    kt_status st = kt_save(f->t.ws, r, &o, &fails, &err);
    if (st) fail_msg("save: %s (%s)", err.message, fails.n ? fails.items[0].message : "");
    kt_failures_free(&fails);
    kt_id id = r->id;
    kt_record_free(r);
    return id;
}

/* The create entry, then one entry per field with its exact text, all of one change. */
static void assert_tricky_history(kt_ws *ws, kt_id id)
{
    entries e = {0};
    kt_error err;
    assert_int_equal(kt_history(ws, id, collect, &e, &err), KT_OK);
    assert_int_equal(e.n, 1 + NTRICKY);
    assert_string_equal(e.action[0], "create");
    assert_null(e.field[0]);
    assert_null(e.old[0]);
    assert_null(e.new_[0]);
    assert_string_equal(e.source[0], "unit test");
    for (size_t i = 1; i < e.n; i++) {
        assert_string_equal(e.action[i], "create");
        assert_string_equal(e.field[i], tricky[i - 1][0]);
        assert_null(e.old[i]);
        assert_string_equal(e.new_[i], tricky[i - 1][1]);
        assert_true(e.seq[i] >= e.seq[0]);
        assert_string_equal(e.at[i], e.at[0]);
        assert_string_equal(e.source[i], e.source[0]);
        assert_int_equal(e.batch[i], e.batch[0]);
    }
    entries_free(&e);
}

/* A create is one kt_change row (its fields as a JSON object), yet kt_history shows the create
 * and one entry per field, exactly as when every field had a row of its own. */
static void create_is_one_history_row(void **state)
{
    fixture *f = *state;
    kt_id id = save_tricky(f);
    kt_ws *ws = f->t.ws;
    assert_int_equal(sql_int(ws, "SELECT count(*) FROM kt_change WHERE record = ?1", id, NULL), 1);
    assert_int_equal(sql_int(ws,
                             "SELECT count(*) FROM kt_change WHERE record = ?1 AND action = "
                             "'create' AND field IS NULL AND old IS NULL AND json_valid(new)",
                             id, NULL),
                     1);
    /* SQLite's JSON reading agrees with ours */
    for (size_t i = 0; i < NTRICKY; i++) {
        char sql[160];
        snprintf(sql, sizeof sql,
                 "SELECT json_extract(new, '$.%s') = ?2 FROM kt_change WHERE record = ?1",
                 tricky[i][0]);
        assert_int_equal(sql_int(ws, sql, id, tricky[i][1]), 1);
    }
    assert_tricky_history(ws, id);
    /* one entry at a time when the reader stops early */
    int n = 0;
    kt_error err;
    assert_int_equal(kt_history(ws, id, stop_after_two, &n, &err), KT_OK);
    assert_int_equal(n, 2);
}

/* History written before creates were one row (a row per field) reads as it always did. */
static void old_history_reads_the_same(void **state)
{
    fixture *f = *state;
    kt_id id = save_tricky(f);
    kt_ws *ws = f->t.ws;
    sqlite3 *db = kt_store_db(kt_ws_store(ws));
    char sql[600];
    snprintf(sql, sizeof sql,
             "INSERT INTO kt_change(record, at, action, field, old, new, source, batch) "
             "SELECT c.record, c.at, 'create', j.key, NULL, j.value, c.source, c.batch "
             "FROM kt_change c, json_each(c.new) j WHERE c.record = %lld ORDER BY j.id; "
             "UPDATE kt_change SET new = NULL WHERE record = %lld AND field IS NULL",
             id, id);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sql_int(ws, "SELECT count(*) FROM kt_change WHERE record = ?1", id, NULL),
                     1 + (long long)NTRICKY);
    assert_tricky_history(ws, id);
}

/* Text JSON cannot carry unchanged (not UTF-8: here a set option a declaration let through)
 * keeps the older form, a row per field, so history never alters a value. */
static void text_json_cannot_carry_keeps_rows(void **state)
{
    fixture *f = *state;
    kt_error err;
    kt_field_decl odd = {"person", "odd", "set", "{\"options\":[\"ok\",\"b\xff\"]}", "test", 0};
    assert_int_equal(kt_ws_declare_field(f->t.ws, &odd, &err), KT_OK);
    kt_record *r = person("Odd", "cat", "22222222");
    assert_int_equal(kt_record_set_csv(r, "odd", "b\xff", &err), KT_OK);
    kt_save_opts o = {.source = "unit test"};
    assert_int_equal(kt_save(f->t.ws, r, &o, NULL, &err), KT_OK);
    kt_id id = r->id;
    kt_record_free(r);
    assert_int_equal(sql_int(f->t.ws, "SELECT count(*) FROM kt_change WHERE record = ?1", id, NULL),
                     1 + 5); /* first_name, client_status, pets, card, odd */
    entries e = {0};
    assert_int_equal(kt_history(f->t.ws, id, collect, &e, &err), KT_OK);
    assert_int_equal(e.n, 6);
    assert_null(e.field[0]);
    assert_null(e.new_[0]);
    assert_string_equal(e.field[5], "odd");
    assert_string_equal(e.new_[5], "[\"b\xff\"]");
    entries_free(&e);
}

/* Every core allocation in a save may fail: the save must fail cleanly, leak nothing (ASan
 * checks) and leave the database as it was. */
static void save_survives_allocation_failures(void **state)
{
    fixture *f = *state;
    kt_error err;
    for (unsigned long n = 1; n < 5000; n++) {
        kt_record *r = person("Fault", "dog", NULL);
        kt_alloc_fail_at(n);
        kt_status st = kt_save(f->t.ws, r, NULL, NULL, &err);
        kt_alloc_fail_at(0);
        kt_id id = r->id;
        kt_record_free(r);
        if (st == KT_OK) {
            assert_true(id > 0);
            return;
        }
        assert_true(st == KT_NOMEM || st == KT_INVALID || st == KT_INTERNAL);
        assert_int_equal(kt_store_depth(kt_ws_store(f->t.ws)), 0);
    }
    fail_msg("the save never succeeded");
}

/* kt_save_check judges as kt_save would — a new record's required fields, every failure —
 * writes nothing, and the record it is about does not collide with itself on unique fields. */
static void check_judges_without_writing(void **state)
{
    fixture *f = *state;
    kt_error err;
    kt_record *stored = person("Ola", "dog", "12345678");
    assert_int_equal(kt_save(f->t.ws, stored, NULL, NULL, &err), KT_OK);
    long long changes = kt_test_ws_value(f->t.ws, "SELECT count(*) FROM kt_change");
    kt_failures fails;
    kt_failures_init(&fails);
    kt_record *same = person("Ola", "dog", "12345678");
    assert_int_equal(kt_save_check(f->t.ws, same, stored->id, &fails, &err), KT_OK);
    assert_int_equal(kt_failures_errors(&fails), 0);
    kt_failures_clear(&fails);
    assert_int_equal(kt_save_check(f->t.ws, same, 0, &fails, &err), KT_INVALID);
    assert_string_equal(fails.items[0].rule, "unique"); /* another record's card */
    kt_failures_clear(&fails);
    kt_record *bad = person("Ola", "lizard", "12");
    assert_int_equal(kt_save_check(f->t.ws, bad, stored->id, &fails, &err), KT_INVALID);
    assert_int_equal(kt_failures_errors(&fails), 2); /* options and pattern, not only the first */
    assert_int_equal(kt_test_ws_value(f->t.ws, "SELECT count(*) FROM kt_change"), changes);
    assert_int_equal(kt_test_ws_value(f->t.ws, "SELECT count(*) FROM person"), 1);
    kt_failures_free(&fails);
    kt_record_free(stored);
    kt_record_free(same);
    kt_record_free(bad);
}

/* An external id finds its record: its own, an alias, a merged record's (followed to the
 * survivor); the write door refuses an alias another record answers to, naming it. */
static void external_ids_resolve(void **state)
{
    fixture *f = *state;
    kt_error err;
    kt_record *a = person("Ola", "dog", NULL), *b = person("Jan", "cat", NULL);
    kt_record_set(a, "external_id", "C1", &err);
    kt_record_set(b, "external_id", "C2", &err);
    kt_save_opts o = {.allow_duplicate = 1};
    assert_int_equal(kt_save(f->t.ws, a, &o, NULL, &err), KT_OK);
    assert_int_equal(kt_save(f->t.ws, b, &o, NULL, &err), KT_OK);
    char sql[200];
    snprintf(sql, sizeof sql,
             "INSERT INTO kt_alias(entity, value, record) VALUES ('person', 'C9', %lld)", a->id);
    assert_int_equal(sqlite3_exec(kt_store_db(kt_ws_store(f->t.ws)), sql, NULL, NULL, NULL),
                     SQLITE_OK);
    kt_id id = 0;
    assert_int_equal(kt_external_find(f->t.ws, "person", " C1 ", &id, &err), KT_OK);
    assert_int_equal(id, a->id);
    assert_int_equal(kt_external_find(f->t.ws, NULL, "C9", &id, &err), KT_OK);
    assert_int_equal(id, a->id);
    assert_int_equal(kt_external_find(f->t.ws, NULL, "C404", &id, &err), KT_OK);
    assert_int_equal(id, 0);
    assert_int_equal(kt_external_find(f->t.ws, "activity", "C1", &id, &err), KT_NOTFOUND);
    kt_id losers[1] = {b->id};
    assert_int_equal(kt_merge(f->t.ws, a->id, losers, 1, NULL, &err), KT_OK);
    assert_int_equal(kt_external_find(f->t.ws, "person", "C2", &id, &err), KT_OK);
    assert_int_equal(id, a->id);
    assert_int_equal(kt_unmerge(f->t.ws, b->id, NULL, &err), KT_OK);
    assert_int_equal(kt_external_find(f->t.ws, "person", "C2", &id, &err), KT_OK);
    assert_int_equal(id, b->id);
    kt_record *c = kt_record_new("person");
    c->id = b->id;
    kt_record_set(c, "external_id", "C9", &err);
    kt_failures fails;
    kt_failures_init(&fails);
    assert_int_equal(kt_save(f->t.ws, c, NULL, &fails, &err), KT_INVALID);
    assert_non_null(strstr(fails.items[0].message, "record"));
    char holder[32];
    snprintf(holder, sizeof holder, "record %lld", a->id);
    assert_non_null(strstr(fails.items[0].message, holder));
    kt_failures_free(&fails);
    kt_record_free(a);
    kt_record_free(b);
    kt_record_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(save_and_get, setup, kt_test_ws_teardown),
        cmocka_unit_test_setup_teardown(every_failure_listed, setup, kt_test_ws_teardown),
        cmocka_unit_test_setup_teardown(unique_and_update, setup, kt_test_ws_teardown),
        cmocka_unit_test_setup_teardown(archive_keeps_history, setup, kt_test_ws_teardown),
        cmocka_unit_test_setup_teardown(create_is_one_history_row, setup, kt_test_ws_teardown),
        cmocka_unit_test_setup_teardown(old_history_reads_the_same, setup, kt_test_ws_teardown),
        cmocka_unit_test_setup_teardown(text_json_cannot_carry_keeps_rows, setup,
                                        kt_test_ws_teardown),
        cmocka_unit_test_setup_teardown(save_survives_allocation_failures, setup,
                                        kt_test_ws_teardown),
        cmocka_unit_test_setup_teardown(check_judges_without_writing, setup, kt_test_ws_teardown),
        cmocka_unit_test_setup_teardown(external_ids_resolve, setup, kt_test_ws_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
