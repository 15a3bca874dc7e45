/* Reading records: by id, by filters, by full-text search, and their history. */
#ifndef KARTOTEKA_QUERY_H
#define KARTOTEKA_QUERY_H

#include <stddef.h>

#include "kartoteka/error.h"
#include "kartoteka/record.h"
#include "kartoteka/workspace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Loads a whole record (every field of its entity, in registry order). *out is freed with
 * kt_record_free. KT_NOTFOUND when there is no such id. */
kt_status kt_get(kt_ws *ws, kt_id id, kt_record **out, kt_error *err);
/* Which entity does a record id belong to? Copies the name into out (size >= 64). */
kt_status kt_ws_entity_of(kt_ws *ws, kt_id id, char *out, size_t size, kt_error *err);

/* Parses an id as users type it ("42"). 0 when it is not an id. */
kt_id kt_id_parse(const char *s);

typedef enum kt_filter_op {
    KT_OP_EQ,       /* =   equal (a set: contains); an empty value matches empty fields */
    KT_OP_NE,       /* !=  */
    KT_OP_LT,       /* <   */
    KT_OP_LE,       /* <=  */
    KT_OP_GT,       /* >   */
    KT_OP_GE,       /* >=  */
    KT_OP_CONTAINS, /* ~   contains, insensitive to case and diacritics */
    KT_OP_IS_NULL,  /* is null: empty */
    KT_OP_NOT_NULL, /* is not null: filled */
    KT_OP_IN,       /* in (a, b, ...): equal to one of values */
    /* Not in the filter language; what declared campaign audiences compile to. value is a day
     * (YYYY-MM-DD) as stored, never read relative to today. */
    KT_OP_ANNIVERSARY, /* the date's anniversary falls on the day (29 Feb: 28 Feb in common
                          years), as kt_date_anniversary judges it */
    KT_OP_BEFORE_DAY,  /* a date or datetime before the day; on field "activities": the
                          record's latest activity that took place is */
} kt_filter_op;

typedef struct kt_filter {
    char *field;  /* owned */
    kt_filter_op op;
    char *value;  /* owned; as typed, normalised by the field's type when the query runs; on a
                     date or datetime field today, today-7, today+1, this_month and this_year
                     are read relative to the workspace's today */
    char **values; /* owned, KT_OP_IN only: the list (value is a copy of the first) */
    size_t nvalues;
} kt_filter;

/* Parses one condition, "name=value", "name != value", "due <= today", "name ~ text",
 * "email is null", "email is not null", "city in ('Kraków', 'Gdańsk')", into f (fields owned by
 * f, released with kt_filter_clear). Blanks around names and operators are optional; a value may
 * be quoted with ' or " (a doubled quote inside is one quote). KT_USAGE with a message on a
 * malformed filter. */
kt_status kt_filter_parse(const char *text, kt_filter *f, kt_error *err);
/* Parses conditions joined by "and" ("city = Kraków and birth_date < 1990-01-01") into
 * out[*n], out[*n + 1], ... (at most max in all), advancing *n. On failure none are added. */
kt_status kt_filter_parse_all(const char *text, kt_filter *out, size_t max, size_t *n,
                              kt_error *err);
void kt_filter_clear(kt_filter *f);

typedef struct kt_list_opts {
    const kt_filter *filters; /* all must hold */
    size_t nfilters;
    int archived;             /* 0: active only; 1: archived only; 2: every state */
    long limit;               /* 0 = no limit */
    long offset;
} kt_list_opts;

/* Called per record; the record is borrowed for the call. Return non-zero to stop early. */
typedef int (*kt_record_cb)(void *ud, const kt_record *rec);

/* Lists records of an entity in id order. KT_NOTFOUND for an unknown entity or field,
 * KT_INVALID for a filter value the field's type refuses. */
kt_status kt_list(kt_ws *ws, const char *entity, const kt_list_opts *opts, kt_record_cb cb,
                  void *ud, kt_error *err);
/* The same in the order of `order`: field names separated by commas, each descending when it
 * starts with '-' ("last_name,-birth_date"), then id; NULL or "" is id order. KT_NOTFOUND for a
 * name that is not a field. */
kt_status kt_list_ordered(kt_ws *ws, const char *entity, const kt_list_opts *opts,
                          const char *order, kt_record_cb cb, void *ud, kt_error *err);
/* The same, only records whose id is larger than after: a cursor for paging. */
kt_status kt_list_after(kt_ws *ws, const char *entity, const kt_list_opts *opts, kt_id after,
                        kt_record_cb cb, void *ud, kt_error *err);

/* Full-text search over searchable fields, insensitive to case and diacritics, and across
 * Cyrillic/Latin spellings; phone numbers are found by any spelling. Active records first. */
kt_status kt_find(kt_ws *ws, const char *text, long limit, kt_record_cb cb, void *ud,
                  kt_error *err);

/* Makes the write door keep the search index: every record it writes gets its entry (once per
 * workspace; kt_config_apply does it, so every workspace kt opens has it). */
kt_status kt_search_install(kt_ws *ws, kt_error *err);
/* Rebuilds a record's search entry (the write door's observer calls it; erasure too). */
kt_status kt_search_index(kt_ws *ws, const kt_record *rec, kt_error *err);
/* Moves search entries staged inside the current transaction into the index (runs before every
 * outermost commit: staging an entry makes search listen to the store's transactions). */
kt_status kt_search_flush(kt_ws *ws, kt_error *err);
/* Rebuilds the whole index from the current entries, so no older segment keeps the tokens of
 * a removed or replaced entry (erasure). */
kt_status kt_search_purge(kt_ws *ws, kt_error *err);
/* The same for a record created in this transaction (nothing to replace). */
kt_status kt_search_index_new(kt_ws *ws, const kt_record *rec, kt_error *err);

typedef struct kt_change {
    long long seq;      /* the change's own number, increasing */
    kt_id record;
    const char *at;     /* UTC ISO datetime */
    const char *action; /* create, update, archive, restore, merge, ... */
    const char *field;  /* or NULL */
    const char *old;    /* canonical text, or NULL */
    const char *new_;   /* canonical text, or NULL */
    const char *source;
    long long batch;    /* 0 when none */
} kt_change;

typedef int (*kt_change_cb)(void *ud, const kt_change *c); /* borrowed for the call */

/* A record's history, oldest first. */
kt_status kt_history(kt_ws *ws, kt_id id, kt_change_cb cb, void *ud, kt_error *err);

/* A record's version: the seq of its newest change, so every change through the write door, a
 * lifecycle change or a merge makes a new one. KT_NOTFOUND when there is no such record. */
kt_status kt_record_version(kt_ws *ws, kt_id id, long long *version, kt_error *err);

/* Writes one history row (the write door and the lifecycle changes use it). */
kt_status kt_history_add(kt_ws *ws, kt_id id, const char *action, const char *field,
                         const char *old, const char *new_, const char *source, long long batch,
                         kt_error *err);

#ifdef __cplusplus
}
#endif
#endif
