/* Webhooks: kartoteka.lua's `webhook "deal.won" { url = "https://...", secret_env = "NAME" }`
 * posts a record's JSON (the shape of `kt get --json`) to url when the event happens, signed
 * with HMAC-SHA256 under the secret in the environment variable NAME. Events: ENTITY.created,
 * .updated, .archived, .restored, .merged (ENTITY "record": any entity), and ENTITY.OPTION for
 * an option of one of the entity's enum fields: a save that sets the field to it ("deal.won").
 * A post is an outbox row queued in the change's own transaction, so it exists exactly when
 * the change does, once per event, delivered and retried like campaign messages. */
#ifndef KARTOTEKA_WEBHOOK_H
#define KARTOTEKA_WEBHOOK_H

#include "kartoteka/error.h"
#include "kartoteka/workspace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reads the declarations (after kt_config_apply) and, when there are any, installs the write
 * door's event hook that queues them. KT_INVALID names a declaration with an unknown entity or
 * event. */
kt_status kt_webhooks_install(kt_ws *ws, kt_error *err);

#ifdef __cplusplus
}
#endif
#endif
