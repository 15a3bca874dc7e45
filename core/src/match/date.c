#include <string.h>

#include "kartoteka/match.h"
#include "match/internal.h"

/* Reads 1..max digits at *s; returns how many, 0 when none. */
static size_t digits(const char **s, int max, int *v)
{
    size_t n = 0;
    *v = 0;
    while (n < (size_t)max && **s >= '0' && **s <= '9')
        *v = *v * 10 + (*(*s)++ - '0'), n++;
    return n;
}

static int sep(char c)
{
    return c == '-' || c == '/' || c == '.';
}

int kt_date_parse(const char *s, char ymd[9])
{
    int y, m, d, x;
    const char *p = s;
    while (*p == ' ' || *p == '\t')
        p++;
    const char *q = p;
    size_t n = digits(&q, 8, &x);
    if (n == 8) { /* YYYYMMDD */
        y = x / 10000, m = x / 100 % 100, d = x % 100;
    } else if (n == 4 && sep(*q)) { /* YYYY-MM-DD */
        y = x, q++;
        if (!digits(&q, 2, &m) || !sep(*q++) || !digits(&q, 2, &d)) return 0;
    } else if ((n == 1 || n == 2) && sep(*q)) { /* DD.MM.YYYY, as written in Poland and Russia */
        d = x, q++;
        if (!digits(&q, 2, &m) || !sep(*q++) || digits(&q, 4, &y) != 4) return 0;
    } else {
        return 0;
    }
    if (*q >= '0' && *q <= '9') return 0;
    if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1) return 0;
    ymd[0] = (char)('0' + y / 1000), ymd[1] = (char)('0' + y / 100 % 10);
    ymd[2] = (char)('0' + y / 10 % 10), ymd[3] = (char)('0' + y % 10);
    ymd[4] = (char)('0' + m / 10), ymd[5] = (char)('0' + m % 10);
    ymd[6] = (char)('0' + d / 10), ymd[7] = (char)('0' + d % 10);
    ymd[8] = '\0';
    return 1;
}

static double not_dates(const char *a, const char *b)
{
    kt_scratch fa, fb;
    kt_scratch_init(&fa);
    kt_scratch_init(&fb);
    double r = KT_MATCH_MISSING;
    int ra = kt_match_fold(a, &fa), rb = kt_match_fold(b, &fb);
    if (ra == 1 && rb == 1) r = (fa.len == fb.len && memcmp(fa.data, fb.data, fa.len) == 0);
    kt_scratch_free(&fa);
    kt_scratch_free(&fb);
    return r;
}

double kt_match_date(const char *a, const char *b)
{
    char x[9], y[9];
    if (!a || !b) return KT_MATCH_MISSING;
    if (!kt_date_parse(a, x) || !kt_date_parse(b, y)) return not_dates(a, b);
    if (memcmp(x, y, 8) == 0) return 1;
    if (memcmp(x, y, 4) == 0 && memcmp(x + 4, y + 6, 2) == 0 && memcmp(x + 6, y + 4, 2) == 0)
        return 0.8;
    int diff = 0;
    for (int i = 0; i < 8; i++)
        diff += x[i] != y[i];
    return diff == 1 ? 0.7 : 0;
}
