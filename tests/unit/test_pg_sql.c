/* SQL written for SQLite, made readable by PostgreSQL (core/src/store/pg_sql.c): parameters,
 * column types of DDL, INSERT OR IGNORE/REPLACE, upserts' bare columns, index hints, and the
 * quoted text, names and comments that must pass untouched. No server needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kartoteka/alloc.h"
#include "store/pg_sql.h"

static void check(const char *sql, const char *want, int want_params)
{
    int n = -1;
    char *out = kt_pg_translate(sql, &n, NULL);
    assert_non_null(out);
    assert_string_equal(out, want);
    assert_int_equal(n, want_params);
    kt_free(out);
}

static void parameters(void **state)
{
    (void)state;
    check("SELECT a FROM t WHERE b = ?1 AND c = ?2 OR d = ?1",
          "SELECT a FROM t WHERE b = $1 AND c = $2 OR d = $1", 2);
    check("INSERT INTO t(a, b) VALUES (?, ?)", "INSERT INTO t(a, b) VALUES ($1, $2)", 2);
    check("SELECT 1", "SELECT 1", 0);
}

static void quoted_text_untouched(void **state)
{
    (void)state;
    check("SELECT '?1 ''?'' INTEGER', \"we?rd\" FROM t -- ?3\nWHERE a = ?1 /* ?2 */",
          "SELECT '?1 ''?'' INTEGER', \"we?rd\" FROM t -- ?3\nWHERE a = $1 /* ?2 */", 1);
}

static void column_types_of_ddl(void **state)
{
    (void)state;
    check("ALTER TABLE \"person\" ADD COLUMN \"visits\" INTEGER",
          "ALTER TABLE \"person\" ADD COLUMN \"visits\" bigint", 0);
    check("CREATE TABLE x (id INTEGER PRIMARY KEY, r REAL, b BLOB)",
          "CREATE TABLE x (id bigint PRIMARY KEY, r double precision, b bytea)", 0);
    /* a query's INTEGER (a cast) is PostgreSQL's word too, left alone */
    check("SELECT CAST(a AS INTEGER) FROM t", "SELECT CAST(a AS INTEGER) FROM t", 0);
}

static void insert_or(void **state)
{
    (void)state;
    check("INSERT OR IGNORE INTO t(a) VALUES (?1)",
          "INSERT INTO t(a) VALUES ($1) ON CONFLICT DO NOTHING", 1);
    check("INSERT OR REPLACE INTO kt_rollup(name, built) VALUES (?1, ?2)",
          "INSERT INTO kt_rollup(name, built) VALUES ($1, $2) ON CONFLICT ON CONSTRAINT "
          "\"kt_rollup_pkey\" DO UPDATE SET name = excluded.name, built = excluded.built",
          2);
}

static void upsert_where_is_qualified(void **state)
{
    (void)state;
    check("INSERT INTO c(id, hash) VALUES (1, ?1) ON CONFLICT(id) DO UPDATE SET hash = "
          "excluded.hash WHERE hash <> excluded.hash OR c.id IS NULL",
          "INSERT INTO c(id, hash) VALUES (1, $1) ON CONFLICT(id) DO UPDATE SET hash = "
          "excluded.hash WHERE c.hash <> excluded.hash OR c.id IS NULL",
          1);
}

static void index_hints_dropped(void **state)
{
    (void)state;
    check("SELECT 1 FROM a x NOT INDEXED CROSS JOIN b y ON y.id = x.id WHERE +y.e = ?1 AND "
          "x.n + 1 > 2",
          "SELECT 1 FROM a x  JOIN b y ON y.id = x.id WHERE y.e = $1 AND x.n + 1 > 2", 1);
    check("SELECT 1 FROM a CROSS JOIN b", "SELECT 1 FROM a CROSS JOIN b", 0);
}

static void pragma_read(void **state)
{
    (void)state;
    check("PRAGMA query_only", "SELECT kt_pragma('query_only')", 0);
}

static void first_statement_and_tail(void **state)
{
    (void)state;
    int n = 0;
    const char *tail = NULL;
    const char *sql = "SELECT ?1; DELETE FROM t";
    char *out = kt_pg_translate(sql, &n, &tail);
    assert_non_null(out);
    assert_string_equal(out, "SELECT $1");
    assert_string_equal(tail, " DELETE FROM t");
    kt_free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parameters),
        cmocka_unit_test(quoted_text_untouched),
        cmocka_unit_test(column_types_of_ddl),
        cmocka_unit_test(insert_or),
        cmocka_unit_test(upsert_where_is_qualified),
        cmocka_unit_test(index_hints_dropped),
        cmocka_unit_test(pragma_read),
        cmocka_unit_test(first_statement_and_tail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
