/* Internal: the write door's own state in a workspace (rules.c), kept as one of the workspace's
 * attachments so the workspace holds no part of the write door. */
#ifndef KT_RECORD_DOOR_H
#define KT_RECORD_DOOR_H

#include "kartoteka/save.h"

typedef struct kt_door_observer {
    kt_written_fn fn;
    void *ud;
} kt_door_observer;

typedef struct kt_door {
    /* Numbers the runs of the rules over one record, so the rules of one run can share one
     * copy of it (the script layer's rules); rule_run is the run now calling a rule. */
    unsigned long rule_runs, rule_run;
    kt_failures scratch; /* the failures of a save whose caller passed none */
    kt_dupe_fn dupe_fn;  /* the on-entry duplicate check (kt_ws_set_dupe_check), or NULL */
    void *dupe_ud;
    kt_door_observer *observers; /* kt_ws_observe_writes, in the order added (owned) */
    size_t nobservers;
} kt_door;

/* ws's write door state, made on first use (borrowed for the workspace's life). */
kt_status kt_door_of(kt_ws *ws, kt_door **out, kt_error *err);
/* The same, or NULL when nothing made it yet (no rules, no save). */
kt_door *kt_door_peek(const kt_ws *ws);

/* Tells every observer that the door wrote full (old NULL: it was created). */
kt_status kt_door_written(kt_ws *ws, const kt_record *old, const kt_record *full, kt_error *err);

#endif
