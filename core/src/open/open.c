/* The composition root of the core: the one place that assembles a workspace from the layers
 * below it, so the layers themselves never reach up to wire each other in. */
#include "kartoteka/consent.h"
#include "kartoteka/dedupe.h"
#include "kartoteka/open.h"
#include "kartoteka/webhook.h"

kt_status kt_open(const char *dir, const kt_config_opts *o, kt_ws **out, kt_error *err)
{
    kt_status st = kt_ws_open(dir, out, err);
    if (st) return st;
    if ((st = kt_config_apply(*out, o, err)) || (st = kt_dedupe_install(*out, err)) ||
        (st = kt_webhooks_install(*out, err)) || (st = kt_consent_migrate(*out, err))) {
        kt_ws_close(*out);
        *out = NULL;
    }
    return st;
}
