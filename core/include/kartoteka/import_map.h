/* An import map as an object: what turns one source row into the records it is about. The
 * import (kartoteka/import.h) drives it row by row and never knows who supplied it: a mapping
 * script (made into a map by the script layer), a plugin (registered in kt_ext under
 * KT_EXT_IMPORT_MAP) or the built-in maps of files without a script. */
#ifndef KARTOTEKA_IMPORT_MAP_H
#define KARTOTEKA_IMPORT_MAP_H

#include <stddef.h>

#include "kartoteka/error.h"
#include "kartoteka/import.h"
#include "kartoteka/read.h"
#include "kartoteka/save.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A match key: one field, or several that must all be equal ({ "customer", "date" }). */
typedef struct kt_import_key {
    char **fields; /* owned */
    size_t n;
} kt_import_key;

/* Keys in the order they are tried. */
typedef struct kt_import_keys {
    kt_import_key *items; /* owned */
    size_t n;
} kt_import_keys;

void kt_import_keys_free(kt_import_keys *k);
/* Adds field to a new key (new_key) or to the last one. */
kt_status kt_import_keys_add(kt_import_keys *k, const char *field, int new_key, kt_error *err);
/* Adds field to key. */
kt_status kt_import_key_add(kt_import_key *key, const char *field, kt_error *err);

/* One record a row produced, ready to be matched and saved. */
typedef struct kt_import_out {
    kt_record *rec;      /* owned; NULL when it could not be made (the failure says why) */
    char *ref;           /* owned: the name other records of the row refer to it by, or NULL */
    kt_import_keys keys; /* its own match keys (record table's `match`), else n == 0 */
    int has_keys;
    kt_on_match on_match; /* its own on_match, or KT_ON_MATCH_SCRIPT */
    long nth;             /* match the nth record with equal keys (repeated lines), default 1 */
    int no_dedupe;        /* dedupe = false: this record matches by its keys only */
} kt_import_out;

void kt_import_out_clear(kt_import_out *o); /* frees what it owns and zeroes it */

/* The records of a row saved so far that gave themselves a name (`ref`): names[i] is ids[i]'s,
 * 0 when that record was not saved. Borrowed for the call. */
typedef struct kt_import_refs {
    char *const *names;
    const kt_id *ids;
    size_t n;
} kt_import_refs;

/* The id of the active `entity` record whose `field` equals value (normalised), or 0: what a
 * map may ask the import (ctx.lookup). */
typedef kt_status (*kt_import_lookup_fn)(void *ud, const char *entity, const char *field,
                                         const char *value, kt_id *id, kt_error *err);

/* What the import tells a map it opens. Borrowed for the open call. */
typedef struct kt_import_map_env {
    const char *entity; /* --entity, or NULL */
    const char *file;   /* the file imported */
    kt_import_lookup_fn lookup;
    void *lookup_ud; /* valid until the map is freed */
} kt_import_map_env;

typedef struct kt_import_map kt_import_map;

/* One import's map. What it declares for the whole import is read before the first row. */
struct kt_import_map {
    const char *name;     /* the script's path or the map's name, for messages */
    const char *entity;   /* default entity of the records it makes (never NULL) */
    kt_import_keys keys;  /* the keys of records that name none of their own */
    kt_on_match on_match; /* KT_ON_MATCH_UPDATE unless it says otherwise */
    int no_dedupe;        /* dedupe = false */
    const char *format;   /* read.format, or NULL: detected */
    kt_read_opts read;    /* strings in it owned by the map */
    /* Maps one row; its records wait in the map (*count of them) until row_done. A row that
     * must not become records (a nameless vCard) sets *refused and adds the reason to fails. */
    kt_status (*map)(kt_import_map *m, const kt_read_row *row, size_t *count, kt_failures *fails,
                     int *refused, kt_error *err);
    /* Record i (0-based) of the row into out, its { ref = "name" } values replaced by the ids
     * in refs. A record that cannot be made (a bad value type, a ref to no earlier record) is
     * added to fails with the field named and *ok cleared. */
    kt_status (*record)(kt_import_map *m, size_t i, const kt_import_refs *refs, kt_import_out *out,
                        kt_failures *fails, int *ok, kt_error *err);
    void (*row_done)(kt_import_map *m); /* drops what map kept */
    /* Optional (NULL): the stored record the current row names already (0: match as usual);
     * called after each saved record; after the last row. */
    kt_id (*known)(kt_import_map *m);
    kt_status (*saved)(kt_import_map *m, kt_id id, int created, const kt_save_opts *so,
                       kt_error *err);
    kt_status (*finish)(kt_import_map *m, const kt_save_opts *so, kt_error *err);
    void (*free)(kt_import_map *m); /* releases the map itself */
};

/* A registered import map (`kt import FILE --map NAME`): opens one import's map. */
typedef struct kt_ext_import_map {
    const char *name;
    kt_status (*open)(void *ud, struct kt_ws *ws, const kt_import_map_env *env, kt_import_map **out,
                      kt_error *err);
    void *ud;
} kt_ext_import_map;

#ifdef __cplusplus
}
#endif
#endif
