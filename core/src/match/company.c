/* Company names: the legal form is parsed out and compared apart, the rest compared as a name
 * and word by word. Jaro-Winkler alone rates "Sikorski-Gałka" and "Sikorski Sp. k." 0.897 for
 * the shared prefix; a company name with a word more is another company, so the score is also
 * capped by how many words the two share (soft Jaccard). */
#include <string.h>

#include "kartoteka/match.h"
#include "match/internal.h"

int kt_company_core(const char *s, size_t len, kt_scratch *out, const kt_legal_form **form)
{
    kt_word w[KT_MATCH_MAX_WORDS];
    size_t n = kt_legal_form_split(w, kt_match_words(s, len, w, KT_MATCH_MAX_WORDS), form);
    return kt_match_join(w, n, len, out);
}

double kt_match_company_folded(const char *a, const char *b)
{
    if (!a || !b || !*a || !*b) return KT_MATCH_MISSING;
    kt_scratch ca, cb;
    kt_scratch_init(&ca);
    kt_scratch_init(&cb);
    const kt_legal_form *fa, *fb;
    double r = KT_MATCH_MISSING;
    if (kt_company_core(a, strlen(a), &ca, &fa) == 0 &&
        kt_company_core(b, strlen(b), &cb, &fb) == 0 && ca.len && cb.len) {
        r = kt_match_name_folded(ca.data, cb.data);
        double words = kt_match_soft_jaccard(ca.data, ca.len, cb.data, cb.len);
        if (words >= 0 && words < r) r = words;
        if (r > 0) r *= kt_legal_form_factor(fa, fb);
    }
    kt_scratch_free(&ca);
    kt_scratch_free(&cb);
    return r;
}

double kt_match_company(const char *a, const char *b)
{
    return kt_match_fold_both(a, b, kt_match_company_folded);
}
