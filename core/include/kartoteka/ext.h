/* The registry of named extensions: field types, value functions, import readers and delivery
 * channels. Built-in ones (core types, the CSV reader, the file channel) and plugin ones are the
 * same kind of object, so every caller looks things up in one place. */
#ifndef KARTOTEKA_EXT_H
#define KARTOTEKA_EXT_H

#include <stddef.h>

#include "kartoteka/error.h"
#include "kartoteka/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kt_ext kt_ext;

typedef enum kt_ext_kind {
    KT_EXT_TYPE = 0,
    KT_EXT_FUNCTION = 1,
    KT_EXT_READER = 2,
    KT_EXT_CHANNEL = 3,
} kt_ext_kind;

/* One registered thing. `item` points at the kt_plugin_type / _function / _reader / _channel
 * given to kt_ext_add (borrowed: it must outlive the registry). `origin` is the plugin's name or
 * "core" (copied). */
typedef struct kt_ext_entry {
    kt_ext_kind kind;
    const char *name;
    const char *origin;
    const void *item;
} kt_ext_entry;

kt_ext *kt_ext_new(void); /* caller frees with kt_ext_free; NULL when out of memory */
void kt_ext_free(kt_ext *x); /* accepts NULL */

/* Registers item under its own name. KT_EXISTS when that kind already has the name. */
kt_status kt_ext_add(kt_ext *x, kt_ext_kind kind, const void *item, const char *origin,
                     kt_error *err);

/* Lookups return borrowed pointers valid for the registry's life, or NULL. */
const kt_plugin_type *kt_ext_type(const kt_ext *x, const char *name);
const kt_plugin_function *kt_ext_function(const kt_ext *x, const char *name);
const kt_plugin_reader *kt_ext_reader(const kt_ext *x, const char *name);
/* The reader claiming a file name ending ("data.xlsx" -> xlsx), or NULL. */
const kt_plugin_reader *kt_ext_reader_for_path(const kt_ext *x, const char *path);
const kt_plugin_channel *kt_ext_channel(const kt_ext *x, const char *name);

/* Iteration in registration order: entries 0 .. kt_ext_count()-1. Borrowed. */
size_t kt_ext_count(const kt_ext *x);
const kt_ext_entry *kt_ext_at(const kt_ext *x, size_t i);

#ifdef __cplusplus
}
#endif
#endif
