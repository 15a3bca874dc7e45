/* The composition root of the core: the one place that assembles a workspace from the layers
 * below it, so the layers themselves never reach up to wire each other in. */
#include "kartoteka/alloc.h"
#include "kartoteka/consent.h"
#include "kartoteka/dedupe.h"
#include "kartoteka/open.h"
#include "kartoteka/webhook.h"

/* kartoteka.lua's webhooks into the write door: campaigns deliver them and sit below the script
 * layer that reads the declarations, so the two meet here. */
static kt_status install_webhooks(kt_ws *ws, kt_error *err)
{
    kt_config_webhook *v = NULL;
    size_t n = 0;
    kt_status st = kt_config_webhooks(ws, &v, &n, err);
    if (st) {
        kt_free(v);
        return st;
    }
    return kt_webhooks_install(ws, v, n, err);
}

kt_status kt_open(const char *dir, const kt_config_opts *o, kt_ws **out, kt_error *err)
{
    kt_status st = kt_ws_open(dir, out, err);
    if (st) return st;
    if ((st = kt_config_apply(*out, o, err)) || (st = kt_dedupe_install(*out, err)) ||
        (st = install_webhooks(*out, err)) || (st = kt_consent_migrate(*out, err))) {
        kt_ws_close(*out);
        *out = NULL;
    }
    return st;
}
