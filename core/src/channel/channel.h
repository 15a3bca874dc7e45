/* The delivery channels as campaigns and scripts use them: resolving a message's channel name,
 * finding the channel (loading its plugin on demand), its settings, an SMS's recipient. */
#ifndef KT_CHANNEL_CHANNEL_H
#define KT_CHANNEL_CHANNEL_H

#include "kartoteka/plugin.h"
#include "kartoteka/record.h"
#include "kartoteka/workspace.h"

/* The channel a message's channel name resolves to: setting `<name>_channel` when set, else
 * "file" for email and sms (so a new workspace works offline), else the name itself. */
const char *kt_channel_resolve(kt_ws *ws, const char *name);
/* The delivery channel registered as `channel` (a resolved name), loading the plugin that
 * provides it when it is one loaded on demand (smtp, sms_http: plugin net); NULL with the reason
 * in err when there is none. */
const kt_plugin_channel *kt_channel_find(kt_ws *ws, const char *channel, kt_error *err);
/* What a message under channel name `name` is: "sms" (the name sms, or a channel resolving to
 * the SMS gateway sms_http), else "email". */
const char *kt_channel_kind(kt_ws *ws, const char *name);
/* The settings of channel `channel` (what `name` resolved to) as a JSON object text, with
 * "workspace" and "kind" (kt_channel_kind of name) added (caller frees with kt_free); NULL when
 * out of memory, never a text with a setting left out. */
char *kt_channel_settings(kt_ws *ws, const char *name, const char *channel);
/* `to` as the E.164 number an SMS goes to, read by rec's entity's phone field (its mobile one
 * when it has one; person's when the entity has none) in rec's country; KT_INVALID naming the
 * number when it is not one. *out allocated (kt_free). rec may be NULL. */
kt_status kt_sms_recipient(kt_ws *ws, const kt_record *rec, const char *to, char **out,
                           kt_error *err);

/* Loads the plugin `name` on demand (a channel of the net plugin used for the first time). The
 * script layer, which knows where the configuration finds plugins, registers it when it applies
 * the configuration; the channels sit below it and must not call up. */
typedef struct channel_plugin_loader {
    kt_status (*load)(kt_ws *ws, const char *name, kt_error *err);
} channel_plugin_loader;
/* Registers l (borrowed: static, outlives the workspace) for kt_channel_find. */
kt_status channel_plugin_loader_set(kt_ws *ws, const channel_plugin_loader *l, kt_error *err);

#endif
