/* Internal: the owner of kt_config_applied's statements (config_applied_table.c): the hash of
 * what shaped the registry when kartoteka.lua was last declared, and the files it read. */
#ifndef KT_SCRIPT_CONFIG_APPLIED_TABLE_H
#define KT_SCRIPT_CONFIG_APPLIED_TABLE_H

#include "kartoteka/store.h"

/* The row: *found 0 when there is none; *files allocated (kt_free), NULL when none. */
kt_status kt_config_applied_get(kt_store *s, char hash[33], char **files, int *found,
                                kt_error *err);
/* Keeps hash and files, writing only when either differs. */
kt_status kt_config_applied_put(kt_store *s, const char *hash, const char *files, kt_error *err);

#endif
