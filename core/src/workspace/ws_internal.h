/* The workspace handle's insides, shared by the files of the core that implement it. */
#ifndef KT_WORKSPACE_WS_INTERNAL_H
#define KT_WORKSPACE_WS_INTERNAL_H

#include <stdio.h>

#include "kartoteka/workspace.h"

typedef struct kt_ws_attachment_slot {
    char *tag;
    void *ptr;
    void (*free_fn)(void *);
} kt_ws_attachment_slot;

typedef struct kt_ws_setting_slot {
    char *key, *value;
} kt_ws_setting_slot;

typedef struct kt_ws_field_hook {
    kt_field_hook_fn fn;
    void *ud;
} kt_ws_field_hook;

struct kt_ws {
    char *dir;
    kt_store *store;
    kt_registry *reg;
    kt_ext *ext;
    kt_ws_attachment_slot *attach;
    size_t nattach;
    kt_ws_setting_slot *settings;
    size_t nsettings;
    kt_ws_field_hook *field_hooks;
    size_t nfield_hooks;
    kt_progress_fn progress;
    void *progress_ud;
};

/* The run of the rules now calling a rule: equal for the rules of one run over one record
 * (the write door keeps the count, record/rules.c). */
unsigned long kt_ws_rule_run(const kt_ws *ws);

#endif
