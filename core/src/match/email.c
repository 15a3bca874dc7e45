#include <string.h>
#include <strings.h>

#include "kartoteka/match.h"
#include "match/internal.h"

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Gmail ignores dots in the local part and googlemail.com is the same mailbox; everyone who
 * supports "+tag" delivers it to the untagged address. */
int kt_email_canon(const char *s, kt_scratch *out, size_t *at)
{
    out->len = 0;
    out->data[0] = '\0';
    *at = (size_t)-1;
    if (!s) return 0;
    const char *b = s, *e = s + strlen(s);
    for (;;) { /* "Anna <anna@x.pl>", " mailto: anna@x.pl", "mailto:<anna@x.pl>" */
        const char *was = b, *was_e = e;
        const char *lt = memchr(b, '<', (size_t)(e - b));
        const char *gt = lt ? memchr(lt, '>', (size_t)(e - lt)) : NULL;
        if (gt) b = lt + 1, e = gt;
        while (b < e && blank(*b))
            b++;
        while (e > b && blank(e[-1]))
            e--;
        if (e - b >= 7 && strncasecmp(b, "mailto:", 7) == 0) b += 7;
        if (b == was && e == was_e) break;
    }
    size_t len = (size_t)(e - b);
    if (!len) return 0;
    if (kt_scratch_reserve(out, len, NULL)) return -1;
    char *d = out->data;
    for (size_t i = 0; i < len; i++)
        d[i] = (b[i] >= 'A' && b[i] <= 'Z') ? b[i] + 32 : b[i];
    d[len] = '\0';
    char *sep = strrchr(d, '@');
    if (!sep) {
        out->len = len;
        return 1;
    }
    char *dom = sep + 1;
    size_t dl = strlen(dom);
    while (dl && dom[dl - 1] == '.')
        dom[--dl] = '\0';
    int gmail = strcmp(dom, "gmail.com") == 0 || strcmp(dom, "googlemail.com") == 0;
    size_t w = 0;
    for (char *p = d; p < sep; p++) {
        if (*p == '+' && w > 0) break;
        if (*p == '.' && gmail) continue;
        d[w++] = *p;
    }
    *at = w;
    d[w++] = '@';
    const char *domain = gmail ? "gmail.com" : dom;
    size_t n = gmail ? 9 : dl;
    memmove(d + w, domain, n); /* the domain only moves left: w <= its old offset */
    w += n;
    d[w] = '\0';
    out->len = w;
    return 1;
}

kt_status kt_match_email_canonical(const char *email, char **out, kt_error *err)
{
    kt_scratch sc;
    kt_scratch_init(&sc);
    size_t at;
    *out = NULL;
    kt_status rc = KT_OK;
    if (kt_email_canon(email, &sc, &at) < 0 || !(*out = kt_scratch_dup(&sc)))
        rc = kt_error_set(err, KT_NOMEM, "out of memory normalising an e-mail address");
    kt_scratch_free(&sc);
    return rc;
}

/* Do the two local parts carry the same digits in the same order? anna1@ and anna2@, or
 * jan.kowalski85@ and jan.kowalski91@, are different mailboxes of different people, not typos. */
static int same_digits(const char *a, size_t na, const char *b, size_t nb)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i < na && !(a[i] >= '0' && a[i] <= '9'))
            i++;
        while (j < nb && !(b[j] >= '0' && b[j] <= '9'))
            j++;
        if (i == na || j == nb) return i == na && j == nb;
        if (a[i++] != b[j++]) return 0;
    }
}

double kt_email_compare(const char *a, const char *b)
{
    if (strcmp(a, b) == 0) return 1;
    const char *sa = strrchr(a, '@'), *sb = strrchr(b, '@'); /* the canonical forms' only one */
    if (!sa || !sb || sa == a || sb == b) return 0;
    if (strcmp(sa, sb) != 0) return 0; /* domains */
    size_t ata = (size_t)(sa - a), atb = (size_t)(sb - b);
    if (!same_digits(a, ata, b, atb)) return 0;
    double jw = kt_jw_utf8(a, ata, b, atb);
    return jw < 0 ? KT_MATCH_MISSING : jw >= 0.9 ? 0.9 * jw : 0;
}

double kt_match_email(const char *a, const char *b)
{
    kt_scratch ca, cb;
    kt_scratch_init(&ca);
    kt_scratch_init(&cb);
    size_t ata, atb;
    double r = KT_MATCH_MISSING;
    if (kt_email_canon(a, &ca, &ata) == 1 && kt_email_canon(b, &cb, &atb) == 1)
        r = kt_email_compare(ca.data, cb.data);
    kt_scratch_free(&ca);
    kt_scratch_free(&cb);
    return r;
}
