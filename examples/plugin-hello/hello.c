/* hello: the smallest useful Kartoteka plugin. It registers one field type, "hello.upper",
 * which stores ASCII text in capitals. Build it against an installed Kartoteka:
 *
 *     cc -shared -fPIC $(pkg-config --cflags kartoteka-plugin) -o hello.so hello.c
 */
#include <stdio.h>

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

static int init(const kt_plugin_host *host, char *msg, size_t msg_size)
{
    /* host->setting(host->handle, "key") reads `plugin "hello" { key = "..." }` here. */
    if (host->register_type(host->handle, &upper_type) != KT_PLUGIN_OK) {
        snprintf(msg, msg_size, "cannot register the field type 'hello.upper'");
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
    "an example: the field type hello.upper",
    init,
};
