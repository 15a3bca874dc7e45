/* Webhooks: kartoteka.lua's `webhook "deal.won" { url = "https://...", secret_env = "NAME" }`
 * posts a record's JSON (the shape of `kt get --json`) to url when the event happens, signed
 * with HMAC-SHA256 under the secret in the environment variable NAME. Events: ENTITY.created,
 * .updated, .archived, .restored, .merged (ENTITY "record": any entity), and ENTITY.OPTION for
 * an option of one of the entity's enum fields: a save that sets the field to it ("deal.won").
 * A post is an outbox row queued in the change's own transaction, so it exists exactly when
 * the change does, once per event, delivered and retried like campaign messages. */
#ifndef KARTOTEKA_WEBHOOK_H
#define KARTOTEKA_WEBHOOK_H

#include <stddef.h>

#include "kartoteka/error.h"
#include "kartoteka/workspace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A webhook declaration, `webhook "deal.won" { url = "https://...", secret_env = "NAME" }`. */
typedef struct kt_config_webhook {
    char event[128];      /* "deal.won", "person.created", "record.updated" */
    char url[2048];       /* where the record is posted */
    char secret_env[128]; /* the environment variable holding the signing secret */
    char where[256];      /* "kartoteka.lua:12:", for messages */
} kt_config_webhook;

/* Installs the write door's event hook that queues the n declarations v (kt_config_webhooks
 * reads them after kt_config_apply; v is taken over, freed with the workspace or here on
 * failure; nothing is installed when n is 0). KT_INVALID names a declaration with an unknown
 * entity or event. */
kt_status kt_webhooks_install(kt_ws *ws, kt_config_webhook *v, size_t n, kt_error *err);

#ifdef __cplusplus
}
#endif
#endif
