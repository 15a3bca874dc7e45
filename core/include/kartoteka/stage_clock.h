/* Where a long command's time went, stage by stage (kt import --stages), in CPU seconds of the
 * thread that ran it: each switch
 * charges the time since the last one to the stage that was running, so nested stages (the
 * search index inside a write) are counted once. Per thread; off (a flag test per switch) until
 * kt_stage_clock_start. */
#ifndef KT_STAGE_CLOCK_H
#define KT_STAGE_CLOCK_H

typedef enum kt_stage {
    KT_STAGE_OTHER,    /* outside every named stage */
    KT_STAGE_READ_MAP, /* reading and decoding the file, the map */
    KT_STAGE_DEDUPE,   /* matching keys, duplicate lookups, held duplicate keys written */
    KT_STAGE_WRITE,    /* the write door: rules, records, history, savepoints */
    KT_STAGE_INDEX,    /* the full-text search index */
    KT_STAGE_COMMIT,   /* the end: the held keys stored, the batch closed, the commit */
    KT_STAGE_COUNT
} kt_stage;

/* Zeroes this thread's stages and starts counting, in KT_STAGE_OTHER. */
void kt_stage_clock_start(void);
/* Makes s the running stage; returns the one it replaces (to switch back to). */
kt_stage kt_stage_switch(kt_stage s);
/* CPU seconds charged to s so far (the running stage's up to now). */
double kt_stage_seconds(kt_stage s);
/* The stage's name for a report ("read+map"). */
const char *kt_stage_name(kt_stage s);

#endif
