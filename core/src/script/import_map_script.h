/* A mapping script (kt import --script S.lua) made into an import map object. */
#ifndef KT_SCRIPT_IMPORT_MAP_SCRIPT_H
#define KT_SCRIPT_IMPORT_MAP_SCRIPT_H

#include "kartoteka/import_map.h"

/* Runs the script at path once in the workspace's host and keeps its table; *out (caller frees
 * with (*out)->free) calls its map(row, ctx) per row. env->entity is the default entity when
 * the script names none. */
kt_status kt_script_import_map_open(kt_ws *ws, const char *path, const kt_import_map_env *env,
                                    kt_import_map **out, kt_error *err);

#endif
