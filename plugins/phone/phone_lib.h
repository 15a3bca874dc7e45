/* The phone plugin's window on Google's libphonenumber (phone_lib.cc, C++): plain C in and out,
 * no exception and no C++ type crosses it, and nothing outside this plugin links it. */
#ifndef KT_PHONE_LIB_H
#define KT_PHONE_LIB_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How a read number is written back. PHONE_HOME: national when the number belongs to the
 * region it was read in, international otherwise (what a record's page shows). */
typedef enum phone_form { PHONE_E164, PHONE_NATIONAL, PHONE_INTERNATIONAL, PHONE_HOME } phone_form;

/* A number that passed the numbering plan. */
typedef struct phone_number {
    const char *type; /* static: "mobile", "fixed_line", ... (one of phone_types) */
    int extension;    /* 1 when the input carried an extension (kept as ";ext=N" in E.164) */
} phone_number;

/* The names phone_number.type takes, NULL-terminated. Static. */
extern const char *const phone_types[];

/* Reads `in` (UTF-8; digits in any script, decoration, "+CC" or "00CC", a trunk prefix, an
 * extension) as a number dialled in `region` (ISO 3166 alpha-2, upper case; NULL when only an
 * international spelling can be read). On success writes the number in `form` to out and fills
 * *n; on failure writes why for people to msg ("not a number in use in Poland", the lengths a
 * country uses). Returns KT_PLUGIN_OK or KT_PLUGIN_FAIL. */
int phone_read(const char *in, const char *region, phone_form form, phone_number *n, char *out,
               size_t out_size, char *msg, size_t msg_size);

/* 1 when libphonenumber knows the region's numbering plan ("PL"), else 0. */
int phone_region_known(const char *region);

#ifdef __cplusplus
}
#endif
#endif
