/* What the reader tests share: open a file with a named reader, take rows that must come, read
 * to the first failure. Include after cmocka.h. */
#ifndef KT_TESTS_READ_FIXTURE_H
#define KT_TESTS_READ_FIXTURE_H

#include <string.h>

#include "kartoteka/read.h"

/* Opens path with the built-in reader called fmt; the test fails with the reader's message. */
static inline kt_reader *kt_test_open(const char *fmt, const char *path, const kt_read_opts *o)
{
    kt_reader *rd = NULL;
    kt_error err;
    kt_status st = kt_reader_open(NULL, path, fmt, o, &rd, &err);
    if (st) print_error("%s\n", err.message);
    assert_int_equal(st, KT_OK);
    return rd;
}

/* The next row, which must be there. */
static inline const kt_read_row *kt_test_next(kt_reader *rd)
{
    const kt_read_row *row;
    kt_error err;
    kt_status st = kt_reader_next(rd, &row, &err);
    if (st) print_error("%s\n", err.message);
    assert_int_equal(st, KT_OK);
    return row;
}

/* The row's value under key, or "(missing)". */
static inline const char *kt_test_get(const kt_read_row *r, const char *key)
{
    for (size_t i = 0; i < r->count; i++)
        if (!strcmp(r->keys[i], key)) return r->values[i];
    return "(missing)";
}

/* Reads to the first failure; returns its status, err filled (KT_NOTFOUND: the end). */
static inline kt_status kt_test_read_all(const char *fmt, const char *path, const kt_read_opts *o,
                                         kt_error *err)
{
    kt_reader *rd = NULL;
    kt_status st = kt_reader_open(NULL, path, fmt, o, &rd, err);
    const kt_read_row *row;
    while (!st)
        st = kt_reader_next(rd, &row, err);
    kt_reader_close(rd);
    return st;
}

#endif
