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

/* A record as a rule or a report sees it: every field that has a value, as text (a set's
 * items joined with ","). Borrowed for the call. */
typedef struct kt_plugin_record {
    const char *entity; /* "person" */
    long long id;       /* 0 for a record not saved yet */
    size_t count;
    const char *const *names;  /* names[i] names values[i] */
    const char *const *values; /* never NULL */
} kt_plugin_record;

/* What a rule's check returns. */
enum { KT_PLUGIN_RULE_PASS = 0, KT_PLUGIN_RULE_BROKEN = 1, KT_PLUGIN_RULE_ERROR = -1 };

/* A rule the write door runs on every save of a record of `entity`, beside the rules of
 * kartoteka.lua. check() returns KT_PLUGIN_RULE_PASS, KT_PLUGIN_RULE_BROKEN (the save is
 * refused, or warned about for a warning rule; `msg` may say why, else `message` is shown) or
 * KT_PLUGIN_RULE_ERROR when the check itself failed (`msg` says how; the save stops). */
typedef struct kt_plugin_rule {
    const char *name;    /* "hello.no_spam": named in every failure it causes */
    const char *entity;  /* "person" */
    const char *message; /* shown when check gives none; may be NULL */
    int warning;         /* 1: a warning that does not block the save */
    const char *field;   /* the field the failure is shown on, or NULL for the whole record */
    int (*check)(void *ud, const kt_plugin_record *rec, char *msg, size_t msg_size);
    void *ud;
} kt_plugin_rule;

/* What a report's run gets: the parameters, the records (read-only) and the table it fills.
 * Every member function takes ctx->handle first. Borrowed for the call. */
typedef struct kt_plugin_report_ctx {
    void *handle;
    /* The value of `kt report NAME --key value`, or NULL when not given. */
    const char *(*param)(void *handle, const char *key);
    /* Calls fn for each active record of entity, in id order, until fn returns non-zero.
     * KT_PLUGIN_OK, or KT_PLUGIN_FAIL when the entity is unknown or reading failed. */
    int (*each)(void *handle, const char *entity,
                int (*fn)(void *fn_ud, const kt_plugin_record *rec), void *fn_ud);
    /* The table: columns first, then rows of cells in the columns' order. */
    int (*column)(void *handle, const char *name);
    int (*row)(void *handle);
    int (*text)(void *handle, const char *value); /* NULL: an empty cell */
    int (*integer)(void *handle, long long value);
    int (*real)(void *handle, double value);
} kt_plugin_report_ctx;

/* A report `kt report NAME` runs (after the workspace's and Kartoteka's report files of that
 * name). It reads the workspace read-only and fills a table. */
typedef struct kt_plugin_report {
    const char *name;   /* "hello_fill": lowercase letters, digits and '_' */
    const char *title;  /* one line */
    const char *params; /* the --keys it takes, comma-separated ("entity"), or NULL: others are
                           refused before run is called */
    /* KT_PLUGIN_OK, or KT_PLUGIN_FAIL with a message. */
    int (*run)(void *ud, const kt_plugin_report_ctx *ctx, char *msg, size_t msg_size);
    void *ud;
} kt_plugin_report;

/* What an import map's map gets: how it makes the records of one row. Every member function
 * takes ctx->handle first and returns KT_PLUGIN_OK, or KT_PLUGIN_FAIL (out of memory, no
 * record started). Borrowed for the call. */
typedef struct kt_plugin_import_ctx {
    void *handle;
    /* Starts the row's next record, of entity (NULL: the map's entity). */
    int (*record)(void *handle, const char *entity);
    /* Sets a field of the record started last, as text; NULL or "" says nothing. */
    int (*set)(void *handle, const char *field, const char *value);
} kt_plugin_import_ctx;

/* An import map: `kt import FILE --map NAME` turns each row of the file into records with it
 * (where a workspace would write imports/NAME.lua). The records are matched, checked and saved
 * as a mapping script's are: the write door runs every rule, rejected rows go to --rejects. */
typedef struct kt_plugin_import_map {
    const char *name;   /* "hello_cards": lowercase letters, digits and '_' */
    const char *entity; /* the entity of records that name none: "person" */
    const char *match;  /* the fields that find the stored record a record is about, tried in
                           order, comma-separated ("external_id,email"); NULL: external_id */
    /* Makes the records of one row through ctx (none: the row is skipped). KT_PLUGIN_OK, or
     * KT_PLUGIN_FAIL with a message: the import stops and changes nothing. */
    int (*map)(void *ud, const kt_plugin_row *row, const kt_plugin_import_ctx *ctx, char *msg,
               size_t msg_size);
    void *ud;
} kt_plugin_import_map;

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
    /* Appended later in ABI 2: check KT_PLUGIN_HOST_HAS(host, register_rule) before calling;
     * an older kt's table ends before them. */
    int (*register_rule)(void *handle, const kt_plugin_rule *r);
    int (*register_report)(void *handle, const kt_plugin_report *r);
    /* Appended after them: check KT_PLUGIN_HOST_HAS(host, register_import_map). */
    int (*register_import_map)(void *handle, const kt_plugin_import_map *m);
} kt_plugin_host;

/* Whether the host's table has member m: a plugin built against this header may be loaded by
 * an older kt whose table is shorter. */
#define KT_PLUGIN_HOST_HAS(host, m)                                                                \
    ((host)->size >= offsetof(kt_plugin_host, m) + sizeof(((kt_plugin_host *)0)->m))

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
