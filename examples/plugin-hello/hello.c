/* hello: the smallest useful Kartoteka plugin. It registers a field type, "hello.upper", which
 * stores ASCII text in capitals; a rule, "hello.no_spam", which refuses a person with the value
 * "spam" in any field; a report, "hello_fill", which counts how many records fill each field;
 * and an import map, "hello_people", which makes a person of each row's "name" and "email".
 * Build it against an installed Kartoteka:
 *
 *     cc -shared -fPIC $(pkg-config --cflags kartoteka-plugin) -o hello.so hello.c
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <kartoteka/plugin.h>

/* A value function gets the value in `in` and writes the stored form to `out` (at most
 * out_size bytes with the NUL), or fails with a message for people in `msg`. */
static int upper(void *ud, const char *in, const kt_plugin_value_ctx *ctx, char *out,
                 size_t out_size, char *msg, size_t msg_size)
{
    (void)ud;  /* what the plugin passed when registering: nothing here */
    (void)ctx; /* the record's country and field name, for types that care */
    size_t i = 0;
    for (; in[i]; i++) {
        if (i + 1 >= out_size) {
            snprintf(msg, msg_size, "the value is longer than %zu bytes", out_size - 1);
            return KT_PLUGIN_FAIL;
        }
        char c = in[i];
        out[i] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
    }
    if (i == 0) {
        snprintf(msg, msg_size, "hello.upper wants some text");
        return KT_PLUGIN_FAIL;
    }
    out[i] = '\0';
    return KT_PLUGIN_OK;
}

/* Static: the registry keeps a pointer to it for as long as the plugin is loaded. */
static const kt_plugin_type upper_type = {
    "hello.upper", "text stored in capitals", KT_STORE_TEXT, upper, NULL,
};

/* A rule sees the record as it would be saved: every filled field as text. It passes, or
 * says the rule is broken (the save is refused, the message names the rule). */
static int no_spam(void *ud, const kt_plugin_record *rec, char *msg, size_t msg_size)
{
    (void)ud;
    for (size_t i = 0; i < rec->count; i++) {
        if (strcasecmp(rec->values[i], "spam") == 0) {
            snprintf(msg, msg_size, "%s is \"%s\": no spam here", rec->names[i], rec->values[i]);
            return KT_PLUGIN_RULE_BROKEN;
        }
    }
    return KT_PLUGIN_RULE_PASS;
}

static const kt_plugin_rule no_spam_rule = {
    "hello.no_spam", "person", "no spam here", 0, NULL, no_spam, NULL,
};

/* A report fills a table: columns, then rows of cells. It reads records through ctx->each,
 * read-only. This one counts, per field, the records that fill it. */
#define MAX_FIELDS 64

typedef struct fill {
    char names[MAX_FIELDS][64];
    long long counts[MAX_FIELDS];
    size_t n;
    long long records;
} fill;

static int count_record(void *ud, const kt_plugin_record *rec)
{
    fill *f = (fill *)ud;
    f->records++;
    for (size_t i = 0; i < rec->count; i++) {
        size_t j = 0;
        while (j < f->n && strcmp(f->names[j], rec->names[i]) != 0)
            j++;
        if (j == f->n) {
            if (f->n == MAX_FIELDS || strlen(rec->names[i]) >= sizeof f->names[0]) continue;
            snprintf(f->names[f->n++], sizeof f->names[0], "%s", rec->names[i]);
        }
        f->counts[j]++;
    }
    return 0; /* 0: go on; non-zero stops */
}

static int fill_run(void *ud, const kt_plugin_report_ctx *ctx, char *msg, size_t msg_size)
{
    (void)ud;
    const char *entity = ctx->param(ctx->handle, "entity"); /* kt report hello_fill --entity x */
    if (!entity) entity = "person";
    static fill f; /* a report runs once per kt call: static keeps it off the stack */
    memset(&f, 0, sizeof f);
    if (ctx->each(ctx->handle, entity, count_record, &f) != KT_PLUGIN_OK) {
        snprintf(msg, msg_size, "cannot read the %s records", entity);
        return KT_PLUGIN_FAIL;
    }
    void *h = ctx->handle;
    if (ctx->column(h, "field") || ctx->column(h, "filled") || ctx->column(h, "of")) {
        snprintf(msg, msg_size, "cannot make the table");
        return KT_PLUGIN_FAIL;
    }
    for (size_t i = 0; i < f.n; i++)
        if (ctx->row(h) || ctx->text(h, f.names[i]) || ctx->integer(h, f.counts[i]) ||
            ctx->integer(h, f.records))
            return KT_PLUGIN_FAIL;
    return KT_PLUGIN_OK;
}

static const kt_plugin_report fill_report = {
    "hello_fill", "How many records fill each field", "entity", fill_run, NULL,
};

/* An import map makes the records of one row through ctx: `kt import people.csv --map
 * hello_people`. The import matches, checks (every rule, this plugin's too) and saves them as it
 * does a mapping script's. This one reads "name" ("Ola Nowak": first and last name) and
 * "email"; a row without a name makes no record and is skipped. */
static const char *cell(const kt_plugin_row *row, const char *key)
{
    for (size_t i = 0; row->keys && i < row->count; i++)
        if (strcmp(row->keys[i], key) == 0) return row->values[i];
    return NULL;
}

static int people_map(void *ud, const kt_plugin_row *row, const kt_plugin_import_ctx *ctx,
                      char *msg, size_t msg_size)
{
    (void)ud;
    const char *name = cell(row, "name");
    if (!name || !name[0]) return KT_PLUGIN_OK;
    const char *space = strchr(name, ' ');
    size_t n = space ? (size_t)(space - name) : strlen(name);
    char first[128];
    if (n >= sizeof first) {
        snprintf(msg, msg_size, "the first name is longer than %zu bytes", sizeof first - 1);
        return KT_PLUGIN_FAIL; /* the import stops and changes nothing */
    }
    memcpy(first, name, n);
    first[n] = '\0';
    void *h = ctx->handle;
    if (ctx->record(h, NULL) || ctx->set(h, "first_name", first) ||
        ctx->set(h, "last_name", space ? space + 1 : NULL) ||
        ctx->set(h, "email", cell(row, "email"))) {
        snprintf(msg, msg_size, "cannot make the record");
        return KT_PLUGIN_FAIL;
    }
    return KT_PLUGIN_OK;
}

/* A re-import finds the person by e-mail first, then by external id. */
static const kt_plugin_import_map people_import = {
    "hello_people", "person", "email,external_id", people_map, NULL,
};

static int init(const kt_plugin_host *host, char *msg, size_t msg_size)
{
    /* host->setting(host->handle, "key") reads `plugin "hello" { key = "..." }` here. */
    if (host->register_type(host->handle, &upper_type) != KT_PLUGIN_OK) {
        snprintf(msg, msg_size, "cannot register the field type 'hello.upper'");
        return KT_PLUGIN_FAIL;
    }
    /* An older kt's host table ends before register_rule: ask before calling. */
    if (!KT_PLUGIN_HOST_HAS(host, register_report)) return KT_PLUGIN_OK;
    if (host->register_rule(host->handle, &no_spam_rule) != KT_PLUGIN_OK ||
        host->register_report(host->handle, &fill_report) != KT_PLUGIN_OK) {
        snprintf(msg, msg_size, "cannot register the rule or the report");
        return KT_PLUGIN_FAIL;
    }
    if (!KT_PLUGIN_HOST_HAS(host, register_import_map)) return KT_PLUGIN_OK;
    if (host->register_import_map(host->handle, &people_import) != KT_PLUGIN_OK) {
        snprintf(msg, msg_size, "cannot register the import map");
        return KT_PLUGIN_FAIL;
    }
    return KT_PLUGIN_OK;
}

/* The one exported symbol. The name must equal the file's base name: hello.so. */
KT_PLUGIN_DECLARE = {
    KT_PLUGIN_ABI_VERSION,
    sizeof(kt_plugin_desc),
    "hello",
    "0.1.0",
    "MIT",
    "an example: a field type, a rule, a report and an import map",
    init,
};
