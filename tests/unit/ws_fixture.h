/* A real workspace in a temporary folder with the built-in schema applied: what the unit tests
 * of the write door, imports and dedupe start from. Include after cmocka.h. */
#ifndef KT_TESTS_WS_FIXTURE_H
#define KT_TESTS_WS_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kartoteka/config.h"
#include "kartoteka/store.h"
#include "store/store_db.h"

typedef struct kt_test_ws {
    char dir[64];
    kt_ws *ws;
} kt_test_ws;

/* Makes /tmp/<prefix>-XXXXXX and opens a workspace there with the built-in schema. */
static inline void kt_test_ws_open(kt_test_ws *t, const char *prefix)
{
    snprintf(t->dir, sizeof t->dir, "/tmp/%s-XXXXXX", prefix);
    assert_non_null(mkdtemp(t->dir));
    kt_error err;
    assert_int_equal(kt_ws_open(t->dir, &t->ws, &err), KT_OK);
    kt_config_opts o = {0};
    o.skip_workspace = 1;
    assert_int_equal(kt_config_apply(t->ws, &o, &err), KT_OK);
}

/* Closes the workspace and removes its folder. */
static inline void kt_test_ws_close(kt_test_ws *t)
{
    kt_ws_close(t->ws);
    t->ws = NULL;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", t->dir);
    assert_int_equal(system(cmd), 0);
}

/* Writes text to dir/name, whose path goes to path (size bytes) and is returned. */
static inline const char *kt_test_write(const char *dir, const char *name, const char *text,
                                        char *path, size_t size)
{
    snprintf(path, size, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
    return path;
}

/* The first column of the first row of a SELECT. */
static inline long long kt_test_ws_value(kt_ws *ws, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(kt_store_db(kt_ws_store(ws)), sql, -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* cmocka teardown for a fixture that starts with a kt_test_ws and was allocated with calloc. */
static inline int kt_test_ws_teardown(void **state)
{
    kt_test_ws *t = *state;
    kt_test_ws_close(t);
    free(t);
    return 0;
}

/* No statement left on a row: it would hold a read transaction open between commands (a
 * checkpoint could not pass it). */
static inline void kt_test_ws_assert_idle(kt_ws *ws)
{
    sqlite3 *db = kt_store_db(kt_ws_store(ws));
    for (sqlite3_stmt *q = sqlite3_next_stmt(db, NULL); q; q = sqlite3_next_stmt(db, q))
        if (sqlite3_stmt_busy(q)) fail_msg("left busy: %s", sqlite3_sql(q));
}

#endif
