/* The field registry: entities, their fields, each field's type and constraints. It lives in
 * the database (kt_entity, kt_field) so a workspace explains itself; this is its in-memory view.
 * Declarations (from kartoteka.lua or `kt field add`) are reconciled into it by kt_registry_declare. */
#ifndef KARTOTEKA_REGISTRY_H
#define KARTOTEKA_REGISTRY_H

#include <regex.h>
#include <stddef.h>

#include "kartoteka/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kt_type_kind {
    KT_TYPE_TEXT,
    KT_TYPE_INTEGER,
    KT_TYPE_DECIMAL,
    KT_TYPE_DATE,
    KT_TYPE_DATETIME,
    KT_TYPE_BOOL,
    KT_TYPE_ENUM,
    KT_TYPE_SET,
    KT_TYPE_EMAIL,
    KT_TYPE_PHONE,
    KT_TYPE_URL,
    KT_TYPE_REF,
    KT_TYPE_EXTERNAL, /* a type registered by a plugin ("pl.nip"), always stored as its storage */
} kt_type_kind;

/* The type name used in kartoteka.lua for a built-in kind ("decimal"). Static string. */
const char *kt_type_name(kt_type_kind kind);
/* The built-in kind for a name; KT_TYPE_EXTERNAL when it is not built in. */
kt_type_kind kt_type_kind_of(const char *name);

struct kt_record;
/* A default computed by a function (kartoteka.lua's `default = function(r) ... end`).
 * Sets *out (allocated, caller frees) or leaves it NULL for no value. */
typedef kt_status (*kt_default_fn)(void *ud, const struct kt_record *rec, char **out,
                                   kt_error *err);

/* One field. All strings are owned by the registry and valid until the registry changes. */
typedef struct kt_field {
    char *entity;           /* "person" */
    char *name;             /* "expected_gifts": a checked identifier [a-z][a-z0-9_]* */
    char *type;             /* "text", "set", "pl.nip" */
    kt_type_kind kind;
    char *label;            /* JSON object: {"en": "Expected gifts", "pl": "..."} */
    int required, unique, searchable, pii, indexed;
    int no_trim;            /* trim = false: a text value keeps its surrounding white space */
    char **options;         /* enum and set: allowed values, in order */
    size_t noptions;
    char *pattern;          /* POSIX extended regular expression, or NULL */
    regex_t regex;          /* compiled pattern when pattern != NULL */
    char *min, *max;        /* bounds as canonical text of the type (numbers, dates), or NULL */
    long max_length;        /* in characters; 0 = none */
    char *default_value;    /* canonical text, or NULL */
    kt_default_fn default_fn; /* set by the script layer; wins over default_value */
    void *default_ud;
    char *ref;              /* ref: target entity, or several joined by '|' */
    char *type_kind; /* the `kind` property: which sort of a plugin type ("mobile"), or NULL */
    int scale;              /* decimal: digits after the point (default 2) */
    int position;           /* declaration order */
    char *origin;           /* "schema", "kartoteka.lua", "cli" */
    int builtin;            /* declared by schema/ */
} kt_field;

typedef struct kt_entity {
    char *name;
    char *label;            /* JSON object */
    kt_field *fields;       /* owned array, in position order */
    size_t nfields;
    size_t cap;
    int builtin;
} kt_entity;

typedef struct kt_registry kt_registry;

/* A declaration: what kartoteka.lua or `kt field add` says a field should be. Borrowed.
 * props is a JSON object text with the properties given (only those; others keep their
 * current values when the field exists, or defaults when it is new). */
typedef struct kt_field_decl {
    const char *entity;
    const char *name;
    const char *type;   /* NULL = keep (only for an existing field) */
    const char *props;  /* JSON object text, e.g. {"required":true,"options":["dog","cat"]} */
    const char *origin; /* "schema", "kartoteka.lua", "cli" */
    int replace;        /* props is the whole definition: properties it omits are unset */
} kt_field_decl;

kt_registry *kt_registry_new(void); /* caller frees with kt_registry_free */
void kt_registry_free(kt_registry *r); /* accepts NULL */

/* Lookups return borrowed pointers valid until the registry next changes. */
const kt_entity *kt_registry_entity(const kt_registry *r, const char *name);
const kt_field *kt_registry_field(const kt_registry *r, const char *entity, const char *name);
size_t kt_registry_entity_count(const kt_registry *r);
const kt_entity *kt_registry_entity_at(const kt_registry *r, size_t i);
/* Mutable access for the script layer to attach default functions. Borrowed. */
kt_field *kt_registry_field_mut(kt_registry *r, const char *entity, const char *name);

/* Is s a valid identifier for an entity or field ([a-z][a-z0-9_]{0,62}, not reserved)? */
int kt_registry_valid_name(const char *s);

/* Adds or updates an entity / a field in memory only (the store persists them). The field's
 * props are parsed and checked (unknown property, bad pattern, options on a non-enum, ...).
 * *changed is set when anything differs from before (may be NULL). */
kt_status kt_registry_put_entity(kt_registry *r, const char *name, const char *label_json,
                                 int builtin, kt_error *err);
kt_status kt_registry_put_field(kt_registry *r, const kt_field_decl *decl, int builtin,
                                int *changed, kt_error *err);

/* Forgets a field in memory (kt field remove; the store keeps it retired): KT_NOTFOUND when
 * there is none. Pointers to the entity's fields are invalid afterwards. */
kt_status kt_registry_remove_field(kt_registry *r, const char *entity, const char *name);
/* Gives a field a new name in memory (kt field rename); the caller checked new_name. */
kt_status kt_registry_rename_field(kt_registry *r, const char *entity, const char *name,
                                   const char *new_name, kt_error *err);

/* The field's properties as a JSON object text (all of them, for storage and `field show`).
 * Caller frees with kt_free. */
char *kt_field_props_json(const kt_field *f);

/* Is `value` one of the field's options? */
int kt_field_has_option(const kt_field *f, const char *value);

#ifdef __cplusplus
}
#endif
#endif
