/* Internal to the registry: applying and checking a field's properties. */
#ifndef KT_REGISTRY_FIELD_PROPS_H
#define KT_REGISTRY_FIELD_PROPS_H

#include "kartoteka/registry.h"

/* Applies the properties present in props_json to f (others unchanged). */
kt_status kt_field_apply_props(kt_field *f, const char *props_json, kt_error *err);
/* Checks that the properties fit the type (options for enum/set, ref for ref). */
kt_status kt_field_check_props(const kt_field *f, kt_error *err);
void kt_field_free_options(char **opts, size_t n);

#endif
