/* Who may do what: users (argon2id passwords), bearer tokens for other programs, roles, and the
 * actor a workspace acts for. The server authenticates; the core authorises: the write door, the
 * lifecycle changes, merges, imports, campaigns and the registry ask kt_auth_allow, so every path
 * (the API, a script a user started, an import) obeys the same rules. */
#ifndef KARTOTEKA_AUTH_H
#define KARTOTEKA_AUTH_H

#include <stddef.h>

#include "kartoteka/error.h"
#include "kartoteka/record.h"
#include "kartoteka/workspace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Ordered: each role may do everything the ones below it may. */
typedef enum kt_role {
    KT_ROLE_VIEWER = 0,  /* reads (personal data masked) */
    KT_ROLE_STAFF = 1,   /* creates and edits records */
    KT_ROLE_MANAGER = 2, /* archives, restores, merges, imports, undoes, runs campaigns */
    KT_ROLE_OWNER = 3,   /* changes fields, users and tokens */
} kt_role;

const char *kt_role_name(kt_role role); /* "staff"; a static string */
/* Parses "owner", "manager", "staff" or "viewer"; KT_USAGE naming the four otherwise. */
kt_status kt_role_parse(const char *text, kt_role *out, kt_error *err);

/* What an actor asks to do. */
typedef enum kt_act {
    KT_ACT_READ,     /* read records, history, fields */
    KT_ACT_WRITE,    /* create or change a record */
    KT_ACT_ARCHIVE,  /* archive or restore a record */
    KT_ACT_MERGE,    /* merge or unmerge duplicates */
    KT_ACT_IMPORT,   /* import a file, undo an import */
    KT_ACT_CAMPAIGN, /* run campaigns, deliver the outbox */
    KT_ACT_FIELDS,   /* declare or change fields and entities */
    KT_ACT_USERS,    /* add or change users and tokens */
    KT_ACT_ERASE,    /* erase or anonymise a person, apply retention */
} kt_act;

#define KT_AUTH_NAME_MAX 64   /* user and token names: [a-z0-9._-], first a letter or digit */
#define KT_AUTH_SOURCE_MAX 80 /* "api:" or "web:" and a name */

/* Whom a workspace acts for. A workspace acts for its owner until told otherwise (whoever
 * opens the file holds all of it); the server sets the actor of each request. */
typedef struct kt_actor {
    char name[KT_AUTH_NAME_MAX + 1]; /* "anna", "shop-sync", "cli" */
    kt_role role;
    char source[KT_AUTH_SOURCE_MAX + 1]; /* "web:anna", "api:shop-sync"; "" = the caller's own
                                            source stands ("cli", "import", "campaign x") */
} kt_actor;

/* Sets the actor (copied) for everything the workspace does from now on; NULL restores the
 * owner. */
kt_status kt_auth_set_actor(kt_ws *ws, const kt_actor *actor, kt_error *err);
/* The current actor, borrowed until the next kt_auth_set_actor. Never NULL. */
const kt_actor *kt_auth_actor(const kt_ws *ws);
/* KT_OK when the current actor may do act, else KT_DENIED saying who needs which role. entity
 * names the records' entity for the message, or NULL. */
kt_status kt_auth_allow(const kt_ws *ws, kt_act act, const char *entity, kt_error *err);
/* Does the current actor see personal data (fields marked pii) in clear? */
int kt_auth_sees_pii(const kt_ws *ws);
/* mask 1: personal data reads masked from now on even for an actor who may see it (kt list and
 * kt export without --show-pii); 0 lifts that. Only for reads: nothing read masked may be
 * saved back. */
kt_status kt_auth_mask_pii(kt_ws *ws, int mask, kt_error *err);
/* The history source of a change: the actor's source, followed by the caller's own when it says
 * more ("api:shop-sync import"); the caller's alone for a local actor. Writes into out. */
const char *kt_auth_source(const kt_ws *ws, const char *own, char *out, size_t size);

/* The access log of personal data (kt_pii_access): who was shown which pii fields of which
 * record, when, through which route. The server opens it for each request (begin), every reader
 * that serves a pii value in clear notes it (a record encoded as JSON, a value on a web page, a
 * history entry), and the request's end writes one row per record noted, in one transaction.
 * Outside a request (the command line, scripts) nothing is noted. */
typedef struct kt_pii_access_info {
    long long seq;    /* the row's own number, increasing */
    const char *at;   /* UTC ISO datetime; every pointer borrowed for the callback */
    const char *who;  /* "web:anna", "api:shop-sync" */
    const char *role; /* the role it had then */
    kt_id record;
    const char *entity;
    const char *fields; /* "email,first_name,mobile": names, never values */
    const char *route;  /* "GET /api/v1/person/17" */
} kt_pii_access_info;
typedef int (*kt_pii_access_cb)(void *ud, const kt_pii_access_info *a); /* non-zero stops */

/* Starts noting for a request; route (copied) names it. */
kt_status kt_pii_access_begin(kt_ws *ws, const char *route, kt_error *err);
/* Is a request noting? (readers skip the work of noting when not) */
int kt_pii_access_on(const kt_ws *ws);
/* Field of record (of entity) was served to the current actor: noted when it is a pii field
 * and the actor sees it in clear, inside a request. Memory that runs out is reported by
 * kt_pii_access_end; the read itself never fails for it. */
void kt_pii_access_note(kt_ws *ws, const char *entity, kt_id record, const char *field);
/* Writes the request's rows (one per record, fields sorted) and stops noting. */
kt_status kt_pii_access_end(kt_ws *ws, kt_error *err);
/* The log, oldest first: record's entries, or every entry when record is 0. */
kt_status kt_pii_access_each(kt_ws *ws, kt_id record, kt_pii_access_cb cb, void *ud, kt_error *err);

/* Is name a valid user or token name? */
int kt_auth_name_ok(const char *name);

/* Users. Passwords: 8 to 1024 bytes. Each change is one transaction, recorded with the actor's
 * source in kt_auth_change. Changing users needs the owner role. */
typedef struct kt_user_info {
    const char *name; /* borrowed for the callback */
    kt_role role;
    int disabled;
    const char *created_at; /* borrowed */
    const char *updated_at; /* borrowed */
} kt_user_info;
typedef int (*kt_user_cb)(void *ud, const kt_user_info *u); /* non-zero stops */

kt_status kt_user_add(kt_ws *ws, const char *name, kt_role role, const char *password,
                      kt_error *err); /* KT_EXISTS when the name is taken */
kt_status kt_user_passwd(kt_ws *ws, const char *name, const char *password, kt_error *err);
kt_status kt_user_set_role(kt_ws *ws, const char *name, kt_role role, kt_error *err);
kt_status kt_user_disable(kt_ws *ws, const char *name, int disabled, kt_error *err);
kt_status kt_user_list(kt_ws *ws, kt_user_cb cb, void *ud, kt_error *err); /* by name */
/* Checks a password (in time independent of whether the user exists) and fills *actor with
 * the user as "web:NAME". KT_DENIED with one message for every way it can fail. */
kt_status kt_user_login(kt_ws *ws, const char *name, const char *password, kt_actor *actor,
                        kt_error *err);

/* Browser sessions: a random 256-bit id for an HttpOnly cookie and a CSRF token every
 * state-changing request must echo; only their hashes are kept. A session ends after
 * KT_SESSION_IDLE seconds unused or KT_SESSION_MAX_AGE after login, and with its user's
 * disabling; the user's role is read at every check. Wrong passwords lock the name for a while
 * (KT_LIMIT). */
#define KT_SESSION_TEXT_MAX 64
#define KT_SESSION_IDLE (30 * 60)
#define KT_SESSION_MAX_AGE (12 * 60 * 60)
kt_status kt_session_open(kt_ws *ws, const char *name, const char *password,
                          char id[KT_SESSION_TEXT_MAX], char csrf[KT_SESSION_TEXT_MAX],
                          kt_actor *actor, kt_error *err);
/* Fills *actor for a live session; csrf is checked unless NULL (a request that changes
 * nothing). KT_DENIED, one message, for anything else. */
kt_status kt_session_check(kt_ws *ws, const char *id, const char *csrf, kt_actor *actor,
                           kt_error *err);
kt_status kt_session_close(kt_ws *ws, const char *id, kt_error *err); /* logout */

/* Tokens: "kt_" and 43 URL-safe base64 characters (256 random bits). */
#define KT_TOKEN_TEXT_MAX 64

typedef struct kt_token_info {
    const char *name; /* borrowed for the callback */
    kt_role role;
    const char *expires;    /* last valid day, or NULL */
    const char *state;      /* "active", "expired", "revoked" */
    const char *created_at; /* borrowed */
} kt_token_info;
typedef int (*kt_token_cb)(void *ud, const kt_token_info *t); /* non-zero stops */

/* Makes a token and writes its text into text (shown once: only its hash is kept). expires is
 * the last valid day (YYYY-MM-DD) or NULL. KT_EXISTS when the name is taken. */
kt_status kt_token_add(kt_ws *ws, const char *name, kt_role role, const char *expires,
                       char text[KT_TOKEN_TEXT_MAX], kt_error *err);
kt_status kt_token_revoke(kt_ws *ws, const char *name, kt_error *err);
kt_status kt_token_list(kt_ws *ws, kt_token_cb cb, void *ud, kt_error *err); /* by name */
/* Finds the live token whose text this is, comparing in constant time, and fills *actor as
 * "api:NAME". KT_DENIED (one message) for an unknown, expired or revoked token. */
kt_status kt_token_check(kt_ws *ws, const char *text, kt_actor *actor, kt_error *err);

#ifdef __cplusplus
}
#endif
#endif
