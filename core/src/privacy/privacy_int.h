/* Internal to privacy/: the values an erasure hunts for, shared by the database pass (erase.c)
 * and the files pass (erase_files.c). */
#ifndef KT_PRIVACY_INT_H
#define KT_PRIVACY_INT_H

#include <stddef.h>

#include "kartoteka/privacy.h"
#include "kartoteka/query.h"

#define KT_ERASED "[erased]"
/* Values shorter than this are erased from the person's own fields and history only: "Al" in
 * someone else's text or another person's import line is not theirs. */
#define KT_ERASE_MIN_LEN 3

typedef struct kt_erase_values {
    char **v; /* owned */
    size_t n, cap;
} kt_erase_values;

/* Adds a copy of text (NULL, empty or short: nothing); duplicates are kept once. */
kt_status kt_erase_values_add(kt_erase_values *vals, const char *text, kt_error *err);
void kt_erase_values_free(kt_erase_values *vals);
/* Is some value long or specific enough that a line holding it is about the person (an
 * address, a number, a surname), not just about someone with the same first name? */
int kt_erase_value_names(const char *value);

/* Rewrites every text file of the workspace folder (not the database, scripts, plugins or hidden
 * files) and the file channel's folder or mbox whose lines name the person, each such line
 * with every value replaced. *files counts the files rewritten, *kept the binary ones left as
 * they are (a backup, a workbook). */
kt_status kt_erase_files(kt_ws *ws, const kt_erase_values *vals, size_t *files, size_t *kept,
                         kt_error *err);

/* Calls cb for every record (any state) whose ref fields name one of ids (records of entity):
 * a record referring through two fields comes twice. */
kt_status kt_privacy_referrers(kt_ws *ws, const char *entity, const kt_id *ids, size_t n,
                               kt_record_cb cb, void *ud, kt_error *err);

/* The export document as a readable HTML page: every text escaped, a table per list. */
kt_status kt_person_html(const struct cJSON *doc, kt_buf *out, kt_error *err);

/* kt_person_erase, rebuilding the search index and compacting the database at the end
 * (compact 1), or leaving both to a caller that erases many (retention), which then does each
 * once: kt_search_purge, then kt_store_compact. */
kt_status kt_erase_one(kt_ws *ws, kt_id id, kt_erase_mode mode, const char *reason, int compact,
                       kt_erase_result *res, kt_error *err);

#endif
