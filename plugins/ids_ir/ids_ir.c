/* ids_ir: the Iranian national code (کد ملی): 10 digits, the last a check digit. People type
 * it with Persian (۰-۹) or Arabic-Indic (٠-٩) digits as often as ASCII ones; it is stored as
 * ASCII digits so every spelling is one value. */
#include <stdio.h>
#include <string.h>

#include <kartoteka/plugin.h>

#include "kt_chars.h"
#include "kt_reply.h"

static int national_code(void *ud, const char *in, const kt_plugin_value_ctx *ctx, char *out,
                         size_t out_size, char *msg, size_t msg_size)
{
    char d[16], bad[8];
    int n = ktc_digits(in, d, sizeof d, bad, sizeof bad);
    if (n < 0)
        return ktc_fail(msg, msg_size, "'%.80s' is not an Iranian national code: unexpected '%s'", in,
                    bad);
    /* Spreadsheets drop leading zeros; padding them back silently would also "repair" a
     * code with a digit missing, so the message says what to do instead. */
    if (n != 10)
        return ktc_fail(msg, msg_size, "an Iranian national code has 10 digits, got %d%s", n,
                    n == 8 || n == 9 ? " (if a spreadsheet dropped leading zeros, add them back)"
                                     : "");
    int same = 1;
    for (int i = 1; i < 10; i++)
        if (d[i] != d[0]) same = 0;
    if (same)
        return ktc_fail(msg, msg_size,
                    "'%.80s' is not a valid Iranian national code: codes of one repeated digit "
                    "are never issued",
                    in);
    int sum = 0;
    for (int i = 0; i < 9; i++)
        sum += (d[i] - '0') * (10 - i);
    int r = sum % 11;
    int check = r < 2 ? r : 11 - r;
    if (d[9] - '0' != check)
        return ktc_fail(msg, msg_size,
                    "'%.80s' is not a valid Iranian national code: the check digit should be %d, "
                    "not %c (a typo?)",
                    in, check, d[9]);
    if (out_size < 11) return ktc_fail(msg, msg_size, "the value does not fit in %zu bytes", out_size);
    memcpy(out, d, 11);
    return KT_PLUGIN_OK;
}

static const kt_plugin_type national_code_type = {
    "ir.national_code",
    "Iranian national code (کد ملی), 10 digits with a check digit; Persian digits accepted",
    KT_STORE_TEXT, national_code, NULL};

static int init(const kt_plugin_host *host, char *msg, size_t msg_size)
{
    if (host->register_type(host->handle, &national_code_type) != KT_PLUGIN_OK)
        return ktc_fail(msg, msg_size, "cannot register the field type 'ir.national_code'");
    return KT_PLUGIN_OK;
}

KT_PLUGIN_DECLARE = {
    KT_PLUGIN_ABI_VERSION,
    sizeof(kt_plugin_desc),
    "ids_ir",
    "1.0.0",
    "MIT",
    "Iranian identifiers: the national code (کد ملی)",
    init,
};
