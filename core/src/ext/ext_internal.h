/* Registry operations only the plugin loader may use: they exist so that a plugin whose init
 * fails leaves no pointer into its (about to be unloaded) library behind. */
#ifndef KT_EXT_INTERNAL_H
#define KT_EXT_INTERNAL_H

#include <stddef.h>

#include "kartoteka/ext.h"

/* Forgets every entry from index `count` on, newest first. Registration is append-only
 * everywhere else, so an index taken before a plugin's init marks exactly what it added. */
void kt_ext_truncate(kt_ext *x, size_t count);

#endif
