/* A stand-in for the core in plugin tests: records what a plugin's init registers and lets a
 * test call it by name. Tests include it once, after cmocka.h; it is not part of any plugin. */
#ifndef KT_FAKE_HOST_H
#define KT_FAKE_HOST_H

#include <stdio.h>
#include <string.h>

#include <kartoteka/plugin.h>

extern const kt_plugin_desc kt_plugin;

#define FAKE_MAX 32

static const kt_plugin_type *fake_types[FAKE_MAX];
static const kt_plugin_function *fake_functions[FAKE_MAX];
static size_t fake_ntypes, fake_nfunctions;
static const char *fake_setting_key, *fake_setting_value;

static int fake_register_type(void *h, const kt_plugin_type *t)
{
    if (fake_ntypes == FAKE_MAX) return KT_PLUGIN_FAIL;
    fake_types[fake_ntypes++] = t;
    return KT_PLUGIN_OK;
}

static int fake_register_function(void *h, const kt_plugin_function *f)
{
    if (fake_nfunctions == FAKE_MAX) return KT_PLUGIN_FAIL;
    fake_functions[fake_nfunctions++] = f;
    return KT_PLUGIN_OK;
}

static int fake_register_reader(void *h, const kt_plugin_reader *r)
{
    return KT_PLUGIN_FAIL;
}

static int fake_register_channel(void *h, const kt_plugin_channel *c)
{
    return KT_PLUGIN_FAIL;
}

static const char *fake_setting(void *h, const char *key)
{
    return fake_setting_key && strcmp(key, fake_setting_key) == 0 ? fake_setting_value : NULL;
}

/* Runs the plugin's init with one optional setting; returns its result and message. */
static int fake_init(const char *key, const char *value, char *msg, size_t msg_size)
{
    static const kt_plugin_host host = {KT_PLUGIN_ABI_VERSION,
                                        sizeof(kt_plugin_host),
                                        NULL,
                                        fake_register_type,
                                        fake_register_function,
                                        fake_register_reader,
                                        fake_register_channel,
                                        fake_setting,
                                        NULL,
                                        NULL,
                                        NULL};
    fake_ntypes = fake_nfunctions = 0;
    fake_setting_key = key;
    fake_setting_value = value;
    msg[0] = '\0';
    return kt_plugin.init(&host, msg, msg_size);
}

/* The value function registered as a type or function called name, or NULL; *ud (may be
 * NULL) gets what the plugin asked to have passed back to it. */
static kt_plugin_value_fn fake_fn_ud(const char *name, void **ud)
{
    void *none;
    if (!ud) ud = &none;
    for (size_t i = 0; i < fake_ntypes; i++)
        if (strcmp(fake_types[i]->name, name) == 0)
            return *ud = fake_types[i]->ud, fake_types[i]->normalise;
    for (size_t i = 0; i < fake_nfunctions; i++)
        if (strcmp(fake_functions[i]->name, name) == 0)
            return *ud = fake_functions[i]->ud, fake_functions[i]->fn;
    return NULL;
}


static char fake_out[256], fake_msg[512];
/* The field's kind property the next calls pass (kt_plugin_value_ctx.kind), NULL for none. */
static const char *fake_kind;

/* Calls name(in) with a country; returns the plugin's result, output in fake_out and message
 * in fake_msg. */
static int fake_call(const char *name, const char *in, const char *country)
{
    void *ud;
    kt_plugin_value_fn fn = fake_fn_ud(name, &ud);
    if (!fn) {
        snprintf(fake_msg, sizeof fake_msg, "no such function %s", name);
        return -1;
    }
    kt_plugin_value_ctx ctx = {country, "test.field", fake_kind};
    fake_out[0] = fake_msg[0] = '\0';
    return fn(ud, in, &ctx, fake_out, sizeof fake_out, fake_msg, sizeof fake_msg);
}

/* cmocka group setup: the plugin's init with no setting. */
static int fake_setup(void **state)
{
    char msg[256];
    return fake_init(NULL, NULL, msg, sizeof msg) == KT_PLUGIN_OK ? 0 : -1;
}

/* fn(in) for country gives want. */
#define FAKE_OK(fn, in, country, want)                                                             \
    do {                                                                                           \
        if (fake_call(fn, in, country) != KT_PLUGIN_OK) fail_msg("%s(%s): %s", fn, in, fake_msg);  \
        assert_string_equal(fake_out, want);                                                       \
    } while (0)

/* fn(in) for country is refused with a message holding needle. */
#define FAKE_BAD(fn, in, country, needle)                                                          \
    do {                                                                                           \
        if (fake_call(fn, in, country) != KT_PLUGIN_FAIL)                                          \
            fail_msg("%s(%s) accepted as %s", fn, in, fake_out);                                   \
        if (!strstr(fake_msg, needle))                                                             \
            fail_msg("%s(%s): '%s' lacks '%s'", fn, in, fake_msg, needle);                         \
    } while (0)

#endif
