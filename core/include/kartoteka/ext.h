/* The registry of named extensions: every extension point of Kartoteka is one object here — a
 * name, a kind, an origin and a small table of function pointers. Built-in ones (core types, the
 * CSV reader, the file channel), plugin ones and the ones kartoteka.lua declares (made into
 * objects by the script layer when it loads) are the same kind of thing, so every caller looks
 * things up in one place and never needs to know who supplied it. */
#ifndef KARTOTEKA_EXT_H
#define KARTOTEKA_EXT_H

#include <stddef.h>

#include "kartoteka/error.h"
#include "kartoteka/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kt_ext kt_ext;

/* What `item` of an entry points at, per kind. The first four names are lowercase dotted
 * words ("pl.nip") because they become Lua and SQL names; the others only need a name. */
typedef enum kt_ext_kind {
    KT_EXT_TYPE = 0,     /* kt_plugin_type */
    KT_EXT_FUNCTION = 1, /* kt_plugin_function */
    KT_EXT_READER = 2,   /* kt_plugin_reader */
    KT_EXT_CHANNEL = 3,  /* kt_plugin_channel */
    /* The kinds kartoteka.lua declares (and plugins, where plugin.h says so) number from 16:
     * the gap keeps them apart from the value kinds above. */
    KT_EXT_RULE = 16,         /* struct kt_rule (kartoteka/save.h): the write door runs it */
    KT_EXT_DEFAULT = 17,      /* kt_ext_default: a field's computed default */
    KT_EXT_DUPE = 18,         /* kt_ext_dupe: how an entity's duplicates are compared */
    KT_EXT_IMPORT_MAP = 19,   /* kt_ext_import_map (kartoteka/import_map.h): rows to records */
    KT_EXT_CAMPAIGN = 20,     /* kt_ext_campaign: a campaign's declaration and its actions */
    KT_EXT_REPORT = 21,       /* kt_plugin_report: `kt report NAME` */
    KT_EXT_ACCESS = 22,       /* kt_ext_access: who may read or write what (the server) */
    KT_EXT_WEBHOOK = 23,      /* kt_ext_webhook: tells another system about a change (the server) */
    KT_EXT_REPORT_FILES = 24, /* kt_ext_report_files: runs report files (reports/NAME.lua) */
} kt_ext_kind;

struct kt_ws;
struct kt_record;

/* A field's computed default (kartoteka.lua: `default = function(r) ... end`). compute() sets
 * *out to the value's text (allocated, caller frees; NULL for none). */
typedef struct kt_ext_default {
    const char *name; /* "person.source": entity.field */
    kt_status (*compute)(void *ud, const struct kt_record *rec, char **out, kt_error *err);
    void *ud;
} kt_ext_default;

/* One comparison of a duplicate rule, as declared. */
typedef struct kt_ext_compare {
    const char *field;  /* NULL when the declaration gave none */
    const char *method; /* "exact", "email", ...; NULL when none */
    double weight;      /* 1 when not given, 0 when not a number */
} kt_ext_compare;

/* How records of one entity are compared for duplicates (kartoteka.lua's `dedupe "person"
 * {...}`). Values as declared: the dedupe layer judges them when it uses the rule. */
typedef struct kt_ext_dupe {
    const char *name;                  /* the entity */
    const char *where;                 /* "kartoteka.lua:12: ", for messages */
    int is_table;                      /* 0: the declaration gave no table */
    double threshold, entry_threshold; /* 0: not given; -1: not a number (or 0) */
    const kt_ext_compare *compare;
    size_t ncompare; /* 0 also when compare is not a list */
} kt_ext_dupe;

/* A campaign (kartoteka.lua's `campaign "name" {...}`): what it is for and the calls the
 * campaign layer makes. Values as declared; the campaign layer judges them when it uses it. */
struct kt_filter;
typedef struct kt_ext_campaign {
    const char *name;     /* "birthday" */
    const char *where;    /* "kartoteka.lua:58: ", for messages */
    const char *invalid;  /* the first thing wrong with the declaration's shape, or NULL */
    const char *entity;   /* NULL when not declared */
    const char *schedule; /* NULL: run only by hand */
    int marketing;        /* 1 unless declared false */
    int catch_up_days;    /* as declared; 31 when not */
    const struct kt_filter *filters; /* `filter`: narrowed in SQL */
    size_t nfilters;
    /* The declared audience (`audience = { ... }`): conditions SQL answers. */
    const char *anniversary;    /* a date field, or NULL */
    int days_ahead;             /* the anniversary falls this many days after the run's day */
    const char *inactive_since; /* a date or datetime field, or "activities"; NULL: none */
    int inactive_days;
    /* The Lua audience (the function, or the table's `also`): yes[i] for recs[i]; a record
     * whose judgment failed gets errs[i].code set and yes[i] 0. NULL: everyone passes. */
    kt_status (*audience)(void *ud, struct kt_ws *ws, const struct kt_record *const *recs, size_t n,
                          const char *day, int *yes, kt_error *errs);
    /* The ledger key of rec on day into out (size bytes). NULL: the day is the key. */
    kt_status (*key)(void *ud, struct kt_ws *ws, const struct kt_record *rec, const char *day,
                     char *out, size_t size, kt_error *err);
    /* The action for rec; ctx is what kt.send and kt.task write through while it runs. */
    kt_status (*act)(void *ud, struct kt_ws *ws, const struct kt_record *rec, const char *day,
                     void *ctx, kt_error *err);
    void *ud;
} kt_ext_campaign;

/* An access rule: may `user` do `action` ("read", "write") on rec (NULL: on the entity)? */
typedef struct kt_ext_access {
    const char *name;
    kt_status (*allow)(void *ud, const char *user, const char *action, const char *entity,
                       const struct kt_record *rec, int *allowed, kt_error *err);
    void *ud;
} kt_ext_access;

/* A webhook: called after a change to a record of `entity` is committed. */
typedef struct kt_ext_webhook {
    const char *name;
    const char *entity; /* NULL: every entity */
    kt_status (*notify)(void *ud, const char *action, const struct kt_record *rec, kt_error *err);
    void *ud;
} kt_ext_webhook;

/* Runs the report files of one kind (reports/NAME.EXT, EXT its name: "lua" for the script
 * layer's). The report layer finds the files and keeps the read-only guard; g brackets the
 * code the file runs. describe gives the title (name when the file names none) and the
 * parameters ("--days 30 --from"), both owned by the caller; run fills r's title, table and
 * chart (on failure r holds what was filled; the caller frees it). */
struct kt_report;
struct kt_report_guard;
struct kt_report_param;
typedef struct kt_ext_report_files {
    const char *name;
    kt_status (*describe)(void *ud, struct kt_ws *ws, const char *path, const char *name,
                          const struct kt_report_guard *g, char **title, char **params,
                          kt_error *err);
    kt_status (*run)(void *ud, struct kt_ws *ws, const char *path, const char *name,
                     const struct kt_report_guard *g, const struct kt_report_param *params,
                     size_t nparams, struct kt_report *r, kt_error *err);
    void *ud;
} kt_ext_report_files;

/* One registered thing. `item` points at the object of the entry's kind given to kt_ext_add
 * (borrowed: it must outlive the registry) or kt_ext_add_owned (owned: released with the
 * entry). `origin` is the plugin's name, "core" or "kartoteka.lua" (copied). */
typedef struct kt_ext_entry {
    kt_ext_kind kind;
    const char *name;
    const char *origin;
    const void *item;
    void (*release)(void *item); /* NULL for a borrowed item */
} kt_ext_entry;

kt_ext *kt_ext_new(void);    /* caller frees with kt_ext_free; NULL when out of memory */
void kt_ext_free(kt_ext *x); /* accepts NULL */

/* Registers item under its own name. KT_EXISTS when that kind already has the name. */
kt_status kt_ext_add(kt_ext *x, kt_ext_kind kind, const void *item, const char *origin,
                     kt_error *err);
/* The same, and the registry owns item: release(item) when the entry goes — also right away
 * when the registration fails. */
kt_status kt_ext_add_owned(kt_ext *x, kt_ext_kind kind, void *item, const char *origin,
                           void (*release)(void *item), kt_error *err);
/* The object of that kind and name (borrowed), or NULL. */
const void *kt_ext_find(const kt_ext *x, kt_ext_kind kind, const char *name);
/* "field type", "rule", ...: the kind as a message names it; NULL for no known kind. */
const char *kt_ext_kind_word(kt_ext_kind kind);

/* Lookups return borrowed pointers valid for the registry's life, or NULL. */
const kt_plugin_type *kt_ext_type(const kt_ext *x, const char *name);
const kt_plugin_function *kt_ext_function(const kt_ext *x, const char *name);
const kt_plugin_reader *kt_ext_reader(const kt_ext *x, const char *name);
/* The reader claiming a file name ending ("data.xlsx" -> xlsx), or NULL. */
const kt_plugin_reader *kt_ext_reader_for_path(const kt_ext *x, const char *path);
const kt_plugin_channel *kt_ext_channel(const kt_ext *x, const char *name);
const kt_plugin_report *kt_ext_report(const kt_ext *x, const char *name);

/* Iteration in registration order: entries 0 .. kt_ext_count()-1. Borrowed. */
size_t kt_ext_count(const kt_ext *x);
const kt_ext_entry *kt_ext_at(const kt_ext *x, size_t i);

#ifdef __cplusplus
}
#endif
#endif
