/* The write door: the one function every write goes through — the CLI, imports, scripts,
 * campaigns and plugins alike. defaults -> normalise -> validate (types, required, options,
 * patterns, bounds, unique, refs, rules) -> duplicate check -> write + history, in one
 * transaction. A failing save changes nothing and reports every failure, not the first. */
#ifndef KARTOTEKA_SAVE_H
#define KARTOTEKA_SAVE_H

#include "kartoteka/auth.h"
#include "kartoteka/error.h"
#include "kartoteka/record.h"
#include "kartoteka/workspace.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kt_severity { KT_SEVERITY_ERROR = 0, KT_SEVERITY_WARNING = 1 } kt_severity;

/* One broken rule. All strings owned by the list. */
typedef struct kt_failure {
    char *field;   /* "pets", or NULL for a rule about the whole record */
    char *value;   /* the offending value as given, or NULL */
    char *rule;    /* "required", "options", "pattern", "person.reachable", ... */
    char *message; /* for people: "\"lizard\" is not one of: dog, cat, ..." */
    kt_severity severity;
} kt_failure;

typedef struct kt_failures {
    kt_failure *items; /* owned */
    size_t n, cap;
} kt_failures;

void kt_failures_init(kt_failures *f);
void kt_failures_free(kt_failures *f); /* frees the items; f may be reused after */
void kt_failures_clear(kt_failures *f);
/* Adds a failure (strings copied; any may be NULL but message). */
kt_status kt_failures_add(kt_failures *f, kt_severity sev, const char *field, const char *value,
                          const char *rule, const char *message);
size_t kt_failures_errors(const kt_failures *f); /* how many have severity error */

/* A rule from kartoteka.lua or a plugin. check() looks at the whole record as it would be
 * saved and sets *failed; it may set *message (allocated, caller frees) to say why. A check that
 * itself fails (a Lua error) returns non-OK with err filled: the save stops with that error. */
typedef kt_status (*kt_rule_fn)(void *ud, kt_ws *ws, const kt_record *rec, int *failed,
                                char **message, kt_error *err);

typedef struct kt_rule {
    const char *name;    /* "person.reachable" (copied) */
    const char *entity;  /* "person" (copied) */
    const char *message; /* default failure message (copied), or NULL */
    kt_severity severity;
    const char *const *fields; /* the fields it is about, for messages (copied), may be NULL */
    size_t nfields;
    kt_rule_fn check;
    void *ud; /* borrowed: kept alive by whoever registered the rule */
} kt_rule;

/* Registers a rule the write door runs on every save of that entity: a copy of it becomes a
 * KT_EXT_RULE object of the registry, with origin "kartoteka.lua". KT_EXISTS on a taken name. */
kt_status kt_ws_add_rule(kt_ws *ws, const kt_rule *rule, kt_error *err);
/* The same into any registry, from origin (a plugin's name); rule is copied, not its ud. */
kt_status kt_rule_register(kt_ext *ext, const kt_rule *rule, const char *origin, kt_error *err);
size_t kt_ws_rule_count(const kt_ws *ws);
const kt_rule *kt_ws_rule_at(const kt_ws *ws, size_t i); /* borrowed */

/* A duplicate check for new records (the dedupe layer installs it). Adds failures with rule
 * "duplicate" and sets nothing else. */
typedef kt_status (*kt_dupe_fn)(void *ud, kt_ws *ws, const kt_record *rec, kt_failures *out,
                                kt_error *err);
kt_status kt_ws_set_dupe_check(kt_ws *ws, kt_dupe_fn fn, void *ud, kt_error *err);

/* A workspace's own narrowing of access, per entity (kartoteka.lua's access "deal" { read =
 * function(user, record) ... end, write = ... }). Sets *allowed to 0 to refuse user (the current
 * actor) reading or writing rec; returns non-OK with err filled when the check itself fails. */
typedef kt_status (*kt_access_fn)(void *ud, kt_ws *ws, const kt_actor *user, const kt_record *rec,
                                  int *allowed, kt_error *err);
/* Registers a check the core runs on every read (write = 0) or change (write = 1) of a record
 * of entity, whatever the path: kt_get, lists, search, the write door, archive, restore, merge.
 * Several checks on one entity must all allow. ud borrowed: kept alive by the registrar. */
kt_status kt_ws_add_access_rule(kt_ws *ws, const char *entity, int write, kt_access_fn fn, void *ud,
                                kt_error *err);

/* What the write door did to one record, told to the event hook inside the change's own
 * transaction (so whatever the hook writes commits or rolls back with the change). */
typedef struct kt_event {
    const char *entity;      /* "deal" */
    kt_id id;                /* the record (a merge: the winner) */
    const char *action;      /* "created", "updated", "archived", "restored", "merged" */
    const kt_record *before; /* the stored values before a save, or NULL (borrowed) */
    const kt_record *after;  /* the values a save wrote, or NULL (borrowed) */
} kt_event;
/* A failing hook fails the change. */
typedef kt_status (*kt_event_fn)(void *ud, kt_ws *ws, const kt_event *ev, kt_error *err);
/* Installs the one event hook (the webhooks install it); fn NULL removes it. ud borrowed. */
kt_status kt_ws_set_event_hook(kt_ws *ws, kt_event_fn fn, void *ud, kt_error *err);
/* Tells the hook, when there is one, about ev; the write door, lifecycle and merges call it. */
kt_status kt_ws_event(kt_ws *ws, const kt_event *ev, kt_error *err);

/* Who hears of each record the write door writes, inside the write's transaction, once its row
 * and history are written (before the event hook): search keeps its index this way, so the write
 * door never calls up into what reads records. old: the stored values before an update, NULL for
 * a new record; full: every value as written (both borrowed). A failing observer fails the save. */
typedef kt_status (*kt_written_fn)(void *ud, kt_ws *ws, const kt_record *old, const kt_record *full,
                                   kt_error *err);
/* Adds an observer, told after those added before it; the same fn and ud twice count once. ud
 * borrowed for the workspace's life. */
kt_status kt_ws_observe_writes(kt_ws *ws, kt_written_fn fn, void *ud, kt_error *err);

/* The sales reports' rollup (per customer and month: the sum and count of the active sale lines),
 * which the write door keeps current, made again from the lines in one transaction: after a
 * migration found sales already there, or when in doubt. *rows (may be NULL) the customer-months
 * it holds. A sale entity without its customer, date and amount marks it unbuilt instead, and the
 * reports read the lines. */
kt_status kt_rollup_rebuild(kt_ws *ws, long long *rows, kt_error *err);

typedef struct kt_save_opts {
    const char *source;  /* "cli", "import", "script x.lua", "campaign birthday"; NULL = "api" */
    long long batch;     /* import batch id, or 0 */
    int allow_duplicate; /* skip the duplicate check */
    int dry_run;         /* validate and report, write nothing */
    int skip_rules;      /* only for data-quality checks of stored records: never for writes */
    int covered;         /* the caller's open savepoint covers this save and is rolled back
                            when it fails, so kt_save opens none of its own (imports) */
} kt_save_opts;

/* Saves rec: new when rec->id == 0 (rec->id is set on success), else an update of the named
 * fields only. Failures (errors and warnings) are appended to `failures` (may be NULL).
 * Returns KT_INVALID when any error-severity failure blocked the save (nothing written),
 * KT_CONSTRAINT for a probable duplicate, KT_NOTFOUND for a missing record or entity. */
kt_status kt_save(kt_ws *ws, kt_record *rec, const kt_save_opts *opts, kt_failures *failures,
                  kt_error *err);

/* The write door's judgement without the write: rec validated as a new record would be —
 * defaults, normalisation, every check and rule, the same code as kt_save — and nothing
 * written (no duplicate check). self is the stored record rec is about (0: none): its own values
 * do not count against unique fields. Imports check every row this way, whatever its fate.
 * KT_INVALID when an error-severity failure (appended to failures) would block a save. */
kt_status kt_save_check(kt_ws *ws, const kt_record *rec, kt_id self, kt_failures *failures,
                        kt_error *err);

/* Validates a whole record as the write door would (defaults not applied), without writing:
 * `kt check` uses it on stored records. */
kt_status kt_validate(kt_ws *ws, const kt_record *rec, int check_rules, kt_failures *failures,
                      kt_error *err);

/* Lifecycle changes, each one transaction with history. Nothing is ever deleted. */
/* A stored value of field f in record rec (may be NULL) as people read it: through the
 * "<type>.display" function of the type's plugin when there is one ("789 658 648" for
 * +48789658648 in a record from Poland, read in the record's country, else the workspace's),
 * else as stored. Returns buf (size bytes, filled) or `text` itself (borrowed); never fails. */
const char *kt_field_display(kt_ws *ws, const kt_field *f, const kt_record *rec, const char *text,
                             char *buf, size_t size);

kt_status kt_archive(kt_ws *ws, kt_id id, const kt_save_opts *opts, kt_error *err);
kt_status kt_restore(kt_ws *ws, kt_id id, const kt_save_opts *opts, kt_error *err);

#ifdef __cplusplus
}
#endif
#endif
