/* Kartoteka for programs that embed it and for plugin authors: the whole public API in one
 * include. Installed with `make install` beside the kartoteka/ headers it includes.
 *
 * A plugin needs only kartoteka/plugin.h and links nothing (pkg-config kartoteka-plugin). A
 * program that opens workspaces itself links the core (pkg-config kartoteka):
 *
 *     kt_ws *ws;
 *     kt_open(dir, &opts, &ws, &err);               // kartoteka/open.h: kartoteka.lua, plugins,
 *                                                   // rules and the duplicate check, as kt has
 *     kt_save(ws, rec, &save_opts, &fails, &err);   // the write door
 *     kt_ws_close(ws);
 *
 * Not included: the Lua host (kartoteka/host.h, Lua's own types) and the headers with cJSON's
 * types in their API (kartoteka/json.h, kartoteka/export.h, kartoteka/consent.h); the first
 * stays the core's, the others are installed beside this one. */
#ifndef KARTOTEKA_H
#define KARTOTEKA_H

#include "kartoteka/alloc.h"
#include "kartoteka/auth.h"
#include "kartoteka/backup.h"
#include "kartoteka/buf.h"
#include "kartoteka/campaign.h"
#include "kartoteka/config.h"
#include "kartoteka/csv_write.h"
#include "kartoteka/date.h"
#include "kartoteka/dedupe.h"
#include "kartoteka/error.h"
#include "kartoteka/ext.h"
#include "kartoteka/external.h"
#include "kartoteka/import.h"
#include "kartoteka/import_map.h"
#include "kartoteka/match.h"
#include "kartoteka/open.h"
#include "kartoteka/output.h"
#include "kartoteka/plugin.h"
#include "kartoteka/plugin_loader.h"
#include "kartoteka/privacy.h"
#include "kartoteka/query.h"
#include "kartoteka/read.h"
#include "kartoteka/record.h"
#include "kartoteka/registry.h"
#include "kartoteka/report.h"
#include "kartoteka/save.h"
#include "kartoteka/store.h"
#include "kartoteka/text.h"
#include "kartoteka/value.h"
#include "kartoteka/webhook.h"
#include "kartoteka/workspace.h"

#endif
