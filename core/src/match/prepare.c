/* Preparing a value once and comparing prepared values: the dedupe engine compares each record
 * with many candidates, and folding both sides on every comparison would cost most of the time. */
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/match.h"
#include "match/internal.h"

static int folded_method(const char *m)
{
    return strcmp(m, "exact") == 0 || strcmp(m, "name") == 0 || strcmp(m, "text") == 0 ||
           strcmp(m, "company") == 0;
}

kt_status kt_match_prepare(const char *method, const char *value, char **out, kt_error *err)
{
    *out = NULL;
    if (!kt_match_method_known(method))
        return kt_error_set(err, KT_INVALID, "unknown match method '%s'",
                            method ? method : "(none)");
    kt_scratch sc;
    kt_scratch_init(&sc);
    int r;
    if (strcmp(method, "email") == 0) {
        size_t at;
        r = kt_email_canon(value, &sc, &at);
    } else if (strcmp(method, "phone") == 0) {
        char d[KT_PHONE_MAX + 1];
        size_t n = kt_phone_digits(value, d);
        r = n > 0;
        if (r) memcpy(sc.data, d, n + 1), sc.len = n; /* fits the inline storage */
    } else if (strcmp(method, "date") == 0 && value && kt_date_parse(value, sc.data)) {
        sc.len = 8;
        r = 1;
    } else if (strcmp(method, "date") == 0) {
        /* not a date: kept as it is, so the prepared score is the raw one (folding could turn
         * "\x117.05.1980" into a date the raw comparison never saw) */
        *out = value && *value ? kt_strdup(value) : NULL;
        kt_scratch_free(&sc);
        return value && *value && !*out ? kt_error_set(err, KT_NOMEM, "out of memory") : KT_OK;
    } else {
        r = kt_match_fold(value, &sc);
    }
    kt_status rc = KT_OK;
    if (r < 0 || (r > 0 && !(*out = kt_scratch_dup(&sc))))
        rc = kt_error_set(err, KT_NOMEM, "out of memory preparing a value to match");
    kt_scratch_free(&sc);
    return rc;
}

double kt_match_prepared(const char *method, const char *a, const char *b)
{
    if (method && strcmp(method, "phone") == 0)
        return kt_phone_compare_digits(a ? a : "", a ? strlen(a) : 0, b ? b : "",
                                       b ? strlen(b) : 0);
    if (method && strcmp(method, "email") == 0)
        return a && b && *a && *b ? kt_email_compare(a, b) : KT_MATCH_MISSING;
    if (!method || !folded_method(method)) return kt_match_score(method, a, b);
    if (!a || !b || !*a || !*b) return KT_MATCH_MISSING;
    if (method[0] == 'e') return strcmp(a, b) == 0;
    if (method[0] == 'n') return kt_match_name_folded(a, b);
    if (method[0] == 'c') return kt_match_company_folded(a, b);
    return kt_match_text_folded(a, b);
}
