#include <string.h>

#include "kartoteka/match.h"
#include "match/internal.h"
#include "text/utf8.h"

size_t kt_phone_digits(const char *s, char *out)
{
    size_t n = 0;
    if (!s) return 0;
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), i = 0;
    while (i < len && n < KT_PHONE_MAX) {
        int32_t cp = p[i];
        size_t k = 1;
        if (cp >= 0x80 && !(k = kt_utf8_decode(p + i, len - i, &cp))) k = 1, cp = 0;
        i += k;
        if (cp >= '0' && cp <= '9')
            out[n++] = (char)cp;
        else if (cp >= 0x0660 && cp <= 0x0669)
            out[n++] = (char)('0' + cp - 0x0660);
        else if (cp >= 0x06F0 && cp <= 0x06F9)
            out[n++] = (char)('0' + cp - 0x06F0);
    }
    out[n] = '\0';
    if (n >= 2 && out[0] == '0' && out[1] == '0') { /* 0048... is +48... */
        memmove(out, out + 2, n - 1);
        n -= 2;
    }
    return n;
}

/* Same length, and one digit different or two adjacent digits swapped. */
static int one_slip(const char *a, const char *b, size_t n)
{
    size_t diff[3], k = 0;
    for (size_t i = 0; i < n && k < 3; i++)
        if (a[i] != b[i]) diff[k++] = i;
    if (k == 1) return 1;
    return k == 2 && diff[1] == diff[0] + 1 && a[diff[0]] == b[diff[1]] && a[diff[1]] == b[diff[0]];
}

double kt_match_phone(const char *a, const char *b)
{
    char da[KT_PHONE_MAX + 1], db[KT_PHONE_MAX + 1];
    size_t na = kt_phone_digits(a, da), nb = kt_phone_digits(b, db);
    return kt_phone_compare_digits(da, na, db, nb);
}

/* Compares two numbers already reduced by kt_phone_digits: prepared values must not be reduced
 * a second time ("0000" is "00" once; read again it would lose its "00" too). */
double kt_phone_compare_digits(const char *da, size_t na, const char *db, size_t nb)
{
    if (!na || !nb) return KT_MATCH_MISSING;
    if (na == nb && memcmp(da, db, na) == 0) return 1;
    /* The last 9 digits are the subscriber number in most national plans: "+48 601..." and
     * "601..." or "8 912..." and "+7 912..." meet there. */
    const char *ta = da, *tb = db;
    size_t n = na;
    if (na >= 9 && nb >= 9) {
        ta = da + na - 9;
        tb = db + nb - 9;
        n = 9;
        if (memcmp(ta, tb, 9) == 0) return 0.95;
    } else if (na != nb) {
        return 0;
    }
    return one_slip(ta, tb, n) ? 0.5 : 0;
}
