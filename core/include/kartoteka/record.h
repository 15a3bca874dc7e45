/* A record in memory: its entity, id, lifecycle state and a list of named values. Values are
 * held in their canonical text form ("12.50", "2024-03-01", "true", a ref's id), a set as a
 * list of strings. The same structure carries a whole stored record and a change to make. */
#ifndef KARTOTEKA_RECORD_H
#define KARTOTEKA_RECORD_H

#include <stddef.h>

#include "kartoteka/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef long long kt_id;

typedef struct kt_value {
    char *text;    /* owned; NULL = empty (null). For sets: unused (NULL) */
    char **items;  /* owned; a set's values (is_set), NULL when empty */
    size_t nitems;
    int is_set;
} kt_value;

typedef struct kt_record {
    char *entity;        /* owned */
    kt_id id;            /* 0 = not saved yet */
    char state[16];      /* "active", "archived", "merged" */
    kt_id merged_into;   /* the winner when state is "merged", else 0 */
    char *created_at;    /* owned, ISO datetime UTC, or NULL */
    char *updated_at;    /* owned, or NULL */
    size_t n;            /* number of named values */
    char **names;        /* owned: field names, in insertion order */
    kt_value *values;    /* owned: values[i] belongs to names[i] */
    size_t cap;
} kt_record;

/* A new, empty record of an entity (id 0, state active). Caller frees with kt_record_free. */
kt_record *kt_record_new(const char *entity);
void kt_record_free(kt_record *r); /* accepts NULL */

/* Sets a value; text NULL clears it (the field becomes empty). Copies text. */
kt_status kt_record_set(kt_record *r, const char *name, const char *text, kt_error *err);
/* Sets a set value from a list (copied); n == 0 clears it. */
kt_status kt_record_set_list(kt_record *r, const char *name, const char *const *items, size_t n,
                             kt_error *err);
/* Sets a value from comma-separated text: a set field on the command line ("dog,cat"). */
kt_status kt_record_set_csv(kt_record *r, const char *name, const char *text, kt_error *err);
/* The inverse of kt_value_to_text: sets a value from its one-text form (a set as a JSON array of
 * strings when is_set; other values as themselves; NULL clears). */
kt_status kt_record_set_from_text(kt_record *r, const char *name, int is_set, const char *text,
                                  kt_error *err);
/* Removes the name from the record altogether (not the same as clearing it). */
void kt_record_unset(kt_record *r, const char *name);

/* The value of a field, or NULL when the record does not mention it. Borrowed. */
const kt_value *kt_record_get(const kt_record *r, const char *name);
/* The text of a non-set value, or NULL when absent or empty. Borrowed. */
const char *kt_record_text(const kt_record *r, const char *name);
/* Is the value empty (absent, NULL text, empty string, or a set without items)? */
int kt_value_empty(const kt_value *v);

/* Copies a value into dst (which must be zeroed or cleared). */
kt_status kt_value_copy(kt_value *dst, const kt_value *src, kt_error *err);
void kt_value_clear(kt_value *v);
/* The value as one text: a set as a JSON array, other values as themselves, empty as NULL.
 * Caller frees. Used by history and by the store. */
char *kt_value_to_text(const kt_value *v);
/* Do two values hold the same thing (empty equals empty)? */
int kt_value_equal(const kt_value *a, const kt_value *b);

#ifdef __cplusplus
}
#endif
#endif
