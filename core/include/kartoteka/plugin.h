/* The Kartoteka plugin ABI. A plugin includes this header and nothing else of the core.
 *
 * A plugin is a shared object exporting exactly one symbol, `kt_plugin`, a const
 * kt_plugin_desc. The loader checks the file's owner and mode before dlopen, then the
 * descriptor's `abi` (must equal KT_PLUGIN_ABI_VERSION exactly) and `size`, and only then calls
 * `init`. `init` receives a const table of host functions and registers named things through it.
 * Plugins never link against the core and never own core memory.
 *
 * Ownership across the boundary:
 * - every `const char *` and struct the plugin passes to a register_* call must stay valid until
 *   the plugin is unloaded (use string literals and static structs);
 * - every pointer the host passes to a plugin callback is borrowed for the duration of the call;
 * - output goes into caller-provided buffers (`out`, `msg`) of the stated size, NUL-terminated;
 *   a value that does not fit is a failure (return KT_PLUGIN_FAIL with a message).
 */
#ifndef KARTOTEKA_PLUGIN_H
#define KARTOTEKA_PLUGIN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KT_PLUGIN_ABI_VERSION 2

enum { KT_PLUGIN_OK = 0, KT_PLUGIN_FAIL = 1 };

/* What the host tells a value function about the value's surroundings. Borrowed. */
typedef struct kt_plugin_value_ctx {
    const char *country; /* ISO 3166 alpha-2 of the record or the workspace, or NULL */
    const char *field;   /* "person.mobile", or NULL when called from a script */
    const char *kind;    /* the field's `kind` property ("mobile"): which sort of the type the
                            field takes; NULL for any (ABI 2) */
} kt_plugin_value_ctx;

/* A value function: turns `in` (UTF-8) into its normalised form in `out`, or fails with a
 * message for people in `msg` ("NIP has 10 digits, got 9"). Used for field types, and for
 * validators and normalisers that scripts call as kt.<prefix>.<name>(value). `ctx` may be NULL,
 * and so may its members. */
typedef int (*kt_plugin_value_fn)(void *ud, const char *in, const kt_plugin_value_ctx *ctx,
                                  char *out, size_t out_size, char *msg, size_t msg_size);

/* How a field type's values are stored. */
typedef enum kt_plugin_storage { KT_STORE_TEXT = 0, KT_STORE_INTEGER = 1 } kt_plugin_storage;

typedef struct kt_plugin_type {
    const char *name;          /* "pl.nip": how kartoteka.lua names the type */
    const char *description;   /* one line for `kt plugin list` */
    kt_plugin_storage storage; /* column affinity */
    kt_plugin_value_fn normalise; /* validate + normalise; required */
    void *ud;                  /* passed back to normalise */
} kt_plugin_type;

/* A function named "<type>.display" (e.g. "phone.display"), when a plugin registers one, turns
 * a stored value of that type into the form people read ("789 658 648" for +48789658648, in a
 * record from Poland); `kt get` shows that form, storage keeps the normalised one. */
typedef struct kt_plugin_function {
    const char *name;        /* "phone.e164": scripts call kt.phone.e164(v); SQL kt_phone_e164(v) */
    const char *description; /* one line */
    kt_plugin_value_fn fn;   /* required */
    void *ud;
} kt_plugin_function;

/* An import reader: a file format that turns a file into rows. */
typedef struct kt_plugin_reader_opts {
    const char *encoding;  /* as given by the import script, or NULL */
    const char *sheet;     /* XLSX: a sheet name, or NULL for the first */
    size_t max_cell;       /* largest cell in bytes; a larger one is an error */
    size_t max_fields;     /* most cells per row */
    size_t max_total;      /* XLSX and other containers: most uncompressed bytes */
} kt_plugin_reader_opts;

/* One row, borrowed until the next call of `next` or `close`. keys[i] names values[i]; keys
 * is NULL when the format has no names of its own (the host then uses a header row).
 * values[i] may be NULL for an absent cell. */
typedef struct kt_plugin_row {
    size_t count;
    const char *const *keys;
    const char *const *values;
    long line; /* where the row starts in the file, 1-based; for error messages */
} kt_plugin_row;

typedef struct kt_plugin_reader {
    const char *name;       /* "xlsx": `read = { format = "xlsx" }` */
    const char *extensions; /* comma-separated file name endings it claims: "xlsx,xlsm" */
    /* Returns a handle, or NULL with a message. */
    void *(*open)(void *ud, const char *path, const kt_plugin_reader_opts *opts, char *msg,
                  size_t msg_size);
    /* 1: a row in *row; 0: end of file; -1: error with a message naming the position. */
    int (*next)(void *handle, kt_plugin_row *row, char *msg, size_t msg_size);
    void (*close)(void *handle); /* accepts NULL */
    void *ud;
} kt_plugin_reader;

/* A message handed to a delivery channel. Borrowed for the call. */
typedef struct kt_plugin_message {
    const char *id;       /* outbox id */
    const char *to;       /* recipient address or number */
    const char *subject;  /* may be NULL */
    const char *body;     /* rendered text */
    const char *settings; /* the channel's settings from kartoteka.lua as a JSON object, or NULL */
} kt_plugin_message;

typedef struct kt_plugin_channel {
    const char *name; /* "sms": kt.send { channel = "sms", ... } */
    /* KT_PLUGIN_OK once the channel has accepted the message; else a message for people. */
    int (*deliver)(void *ud, const kt_plugin_message *m, char *msg, size_t msg_size);
    void *ud;
} kt_plugin_channel;

/* The host's table, passed to init. Each register_* returns KT_PLUGIN_OK, or KT_PLUGIN_FAIL
 * when the name is taken or malformed (then the plugin should fail its init). */
typedef struct kt_plugin_host {
    int abi;      /* KT_PLUGIN_ABI_VERSION of the host */
    size_t size;  /* sizeof(kt_plugin_host) of the host: new members only ever go at the end */
    void *handle; /* the host's; pass it back as the first argument */
    int (*register_type)(void *handle, const kt_plugin_type *t);
    int (*register_function)(void *handle, const kt_plugin_function *f);
    int (*register_reader)(void *handle, const kt_plugin_reader *r);
    int (*register_channel)(void *handle, const kt_plugin_channel *c);
    /* Settings from kartoteka.lua: `plugin "name" { key = "value" }`; NULL when unset.
     * The returned string is borrowed until init returns. */
    const char *(*setting)(void *handle, const char *key);
} kt_plugin_host;

typedef struct kt_plugin_desc {
    int abi;              /* KT_PLUGIN_ABI_VERSION the plugin was built with */
    size_t size;          /* sizeof(kt_plugin_desc) the plugin was built with */
    const char *name;     /* must equal the file's base name: "phone" for phone.so */
    const char *version;  /* "1.0.0" */
    const char *license;  /* "MIT" */
    const char *summary;  /* one line */
    /* Registers what the plugin provides. KT_PLUGIN_OK, or KT_PLUGIN_FAIL with a message. */
    int (*init)(const kt_plugin_host *host, char *msg, size_t msg_size);
} kt_plugin_desc;

#if defined(__GNUC__)
#define KT_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define KT_PLUGIN_EXPORT
#endif

/* In the plugin: KT_PLUGIN_DECLARE = { KT_PLUGIN_ABI_VERSION, sizeof(kt_plugin_desc), ... };
 * In C++ a namespace-scope const has internal linkage and a mangled name, so the symbol is
 * declared extern "C" there to be found by dlsym. */
#ifdef __cplusplus
#define KT_PLUGIN_DECLARE extern "C" KT_PLUGIN_EXPORT const kt_plugin_desc kt_plugin
#else
#define KT_PLUGIN_DECLARE KT_PLUGIN_EXPORT const kt_plugin_desc kt_plugin
#endif
#define KT_PLUGIN_SYMBOL "kt_plugin"

#ifdef __cplusplus
}
#endif
#endif
