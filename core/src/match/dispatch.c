#include <string.h>

#include "kartoteka/match.h"
#include "match/internal.h"

double kt_match_exact(const char *a, const char *b)
{
    kt_scratch fa, fb;
    kt_scratch_init(&fa);
    kt_scratch_init(&fb);
    double r = KT_MATCH_MISSING;
    if (kt_match_fold(a, &fa) == 1 && kt_match_fold(b, &fb) == 1)
        r = fa.len == fb.len && memcmp(fa.data, fb.data, fa.len) == 0;
    kt_scratch_free(&fa);
    kt_scratch_free(&fb);
    return r;
}

static const struct {
    const char *name;
    double (*score)(const char *, const char *);
} methods[] = {
    {"exact", kt_match_exact},     {"email", kt_match_email}, {"phone", kt_match_phone},
    {"name", kt_match_name},       {"date", kt_match_date},   {"text", kt_match_text},
    {"company", kt_match_company},
};

int kt_match_method_known(const char *method)
{
    if (!method) return 0;
    for (size_t i = 0; i < sizeof methods / sizeof *methods; i++)
        if (strcmp(methods[i].name, method) == 0) return 1;
    return 0;
}

double kt_match_score(const char *method, const char *a, const char *b)
{
    if (!method) return KT_MATCH_MISSING;
    for (size_t i = 0; i < sizeof methods / sizeof *methods; i++)
        if (strcmp(methods[i].name, method) == 0) return methods[i].score(a, b);
    return KT_MATCH_MISSING;
}
