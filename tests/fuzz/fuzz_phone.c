/* libFuzzer target: the phone plugin's value functions (the phone type, phone.e164,
 * phone.national, phone.valid) in every country, with outputs too small on purpose. Its
 * source is compiled in (tests/fuzz/CMakeLists.txt), so it is instrumented like the core. */
#include "fuzz_plugin.h"

extern const kt_plugin_desc kt_plugin;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fuzz_nfns) fuzz_init_plugin(&kt_plugin);
    fuzz_plugin_values(data, size);
    return 0;
}
