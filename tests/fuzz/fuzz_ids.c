/* libFuzzer target: the national id plugins (ids_pl: PESEL, NIP, REGON, ...; ids_ru: INN,
 * SNILS, OGRN, ...; ids_ir: the national code, ...) on one input. Their sources are compiled in
 * with their descriptor renamed (tests/fuzz/CMakeLists.txt), so all three share one binary. */
#include "fuzz_plugin.h"

extern const kt_plugin_desc kt_plugin_ids_pl, kt_plugin_ids_ru, kt_plugin_ids_ir;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fuzz_nfns) {
        fuzz_init_plugin(&kt_plugin_ids_pl);
        fuzz_init_plugin(&kt_plugin_ids_ru);
        fuzz_init_plugin(&kt_plugin_ids_ir);
    }
    fuzz_plugin_values(data, size);
    return 0;
}
