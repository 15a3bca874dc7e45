/* Personal data as the law expects: everything held about one person (GDPR articles 15 and
 * 20), erasure that leaves no copy of a person's values in any store of the workspace, and the
 * retention that anonymises or erases people nobody has dealt with for a while. */
#ifndef KARTOTEKA_PRIVACY_H
#define KARTOTEKA_PRIVACY_H

#include "kartoteka/buf.h"
#include "kartoteka/error.h"
#include "kartoteka/record.h"
#include "kartoteka/registry.h"
#include "kartoteka/workspace.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cJSON;

typedef enum kt_person_format { KT_PERSON_JSON = 0, KT_PERSON_HTML = 1 } kt_person_format;

/* Appends to out the whole document about record id (README, "Access and portability"):
 * JSON, or the same as a readable HTML page with every value escaped. KT_NOTFOUND when there
 * is no such record. Reading needs the read role; pii values are shown as the actor may see
 * them. */
kt_status kt_person_export(kt_ws *ws, kt_id id, kt_person_format format, kt_buf *out,
                           kt_error *err);

/* One section of the document: fills doc (a JSON object) with its key(s) for record id. The
 * sections are one table in person_export.c, so a new store of personal data (consents, the
 * access log) joins the export with one line there. */
typedef kt_status (*kt_person_section_fn)(kt_ws *ws, kt_id id, struct cJSON *doc, kt_error *err);

typedef enum kt_erase_mode {
    KT_ERASE_ALL = 0,       /* every pii value */
    KT_ERASE_ANONYMISE = 1, /* everything but the fields statistics need (README, Erasure) */
} kt_erase_mode;

typedef struct kt_erase_result {
    size_t records;   /* the person and the records merged into them */
    size_t fields;    /* field values tombstoned */
    size_t related;   /* records referring to the person whose texts were scrubbed */
    size_t messages;  /* outbox messages emptied */
    size_t files;     /* files of the workspace rewritten */
    size_t kept;      /* binary files of the workspace left as they were: backups, workbooks */
    int checkpointed; /* 0 when another connection kept the WAL from being emptied */
} kt_erase_result;

/* Erases person id (and the records merged into them) in one transaction, then compacts the
 * database so no freed page or WAL frame keeps a value. reason (required) goes into the
 * history with who and when. Needs the manager role. KT_NOTFOUND, KT_DENIED, KT_USAGE when
 * reason is empty, KT_INVALID for a merged record (erase the one it went into). */
kt_status kt_person_erase(kt_ws *ws, kt_id id, kt_erase_mode mode, const char *reason,
                          kt_erase_result *res, kt_error *err);

/* r as one JSON object {"id", "action": "erase"|"anonymise", "records", "fields", "related",
 * "messages", "files", "checkpointed"}; NULL when out of memory. Caller deletes. */
struct cJSON *kt_person_erase_json(kt_id id, kt_erase_mode mode, const kt_erase_result *r);

/* Whether anonymisation keeps field f (a date keeps only its year, as YYYY-01-01). */
int kt_person_keeps(const kt_field *f);

/* Retention, `retention "person" { after = "36 months since last activity",
 * action = "anonymise" }`: one record that falls due. Strings borrowed for the callback. */
typedef struct kt_retention_hit {
    const char *entity;
    kt_id id;
    const char *action;        /* "anonymise" or "erase" */
    const char *last_activity; /* YYYY-MM-DD: the newest activity, sale or the creation */
    int done;                  /* 1 when applied, 0 in a dry run */
} kt_retention_hit;
typedef int (*kt_retention_cb)(void *ud, const kt_retention_hit *h); /* non-zero stops */

/* Applies every retention declaration as of now ("YYYY-MM-DD..." or NULL: today in the
 * workspace's time zone), oldest ids first; dry_run lists and changes nothing. Records erased
 * or anonymised before are not listed again. */
kt_status kt_retention_run(kt_ws *ws, const char *now, int dry_run, kt_retention_cb cb, void *ud,
                           kt_error *err);

#ifdef __cplusplus
}
#endif
#endif
