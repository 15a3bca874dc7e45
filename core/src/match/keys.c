#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/match.h"
#include "match/internal.h"

/* Keys gather as "tag:text\0" runs in one scratch and leave as one block: the pointer array
 * followed by the strings, so the caller frees a single allocation. */
typedef struct keyset {
    kt_scratch buf;
    size_t n;
    int nomem;
} keyset;

static void add(keyset *k, const char *tag, const char *s, size_t n)
{
    if (k->n >= KT_MATCH_MAX_KEYS || k->nomem || !n) return;
    size_t tl = strlen(tag);
    /* no duplicates: a date whose day equals its month swaps to itself */
    const char *p = k->buf.data;
    for (size_t i = 0; i < k->n; i++, p += strlen(p) + 1)
        if (strlen(p) == tl + n && memcmp(p, tag, tl) == 0 && memcmp(p + tl, s, n) == 0) return;
    if (kt_scratch_reserve(&k->buf, tl + n + 1, NULL)) {
        k->nomem = 1;
        return;
    }
    memcpy(k->buf.data + k->buf.len, tag, tl);
    memcpy(k->buf.data + k->buf.len + tl, s, n);
    k->buf.len += tl + n;
    k->buf.data[k->buf.len++] = '\0';
    k->n++;
}

static size_t prefix_bytes(const char *s, size_t n, size_t cps)
{
    size_t i = 0;
    while (i < n && cps) {
        i++;
        while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        cps--;
    }
    return i;
}

static void word_keys(keyset *k, kt_word w)
{
    add(k, "n:", w.p, prefix_bytes(w.p, w.n, 3));
    char code[7];
    /* fewer than three classes ("anna" -> "5") would block half the register together */
    if (kt_match_sound(w.p, w.n, code, 6) >= 3) add(k, "s:", code, strlen(code));
}

static void name_keys(keyset *k, const kt_scratch *f)
{
    kt_word w[KT_MATCH_MAX_WORDS];
    size_t n = kt_match_words(f->data, f->len, w, KT_MATCH_MAX_WORDS), used = 0;
    kt_match_sort_words(w, n);
    for (size_t i = 0; i < n && used < 2; i++) {
        /* an initial ("J.") would put the name in a huge block */
        if (prefix_bytes(w[i].p, w[i].n, 1) == w[i].n) continue;
        word_keys(k, w[i]);
        used++;
    }
    if (!used && n) word_keys(k, w[0]); /* nothing but initials: better a big block than none */
}

static void date_keys(keyset *k, const char *value, const kt_scratch *f)
{
    char d[9];
    if (!kt_date_parse(value, d)) {
        add(k, "d:", f->data, f->len);
        return;
    }
    char iso[11] = {d[0], d[1], d[2], d[3], '-', d[4], d[5], '-', d[6], d[7], '\0'};
    add(k, "d:", iso, 10);
    if (d[6] < '1' || (d[6] == '1' && d[7] <= '2')) { /* the day could be a month */
        char sw[11] = {d[0], d[1], d[2], d[3], '-', d[6], d[7], '-', d[4], d[5], '\0'};
        add(k, "d:", sw, 10);
    }
}

static kt_status collect(const char *method, const char *value, keyset *k)
{
    kt_scratch f, t;
    kt_scratch_init(&f);
    kt_scratch_init(&t);
    if (strcmp(method, "email") == 0) {
        size_t at;
        int r = kt_email_canon(value, &t, &at);
        if (r < 0)
            k->nomem = 1;
        else if (r)
            add(k, "e:", t.data, t.len);
    } else if (strcmp(method, "phone") == 0) {
        char dg[KT_PHONE_MAX + 1];
        size_t n = kt_phone_digits(value, dg);
        add(k, "p:", n > 9 ? dg + n - 9 : dg, n > 9 ? 9 : n);
    } else {
        int r = kt_match_fold(value, &f);
        if (r < 0) k->nomem = 1;
        if (r != 1) goto out;
        const kt_legal_form *form;
        if (strcmp(method, "name") == 0) {
            name_keys(k, &f);
        } else if (strcmp(method, "company") == 0) {
            /* "ООО" or "Sp. z o.o." would put half the register in one block; the whole name
             * first, so that equal names meet however common their words ("and", a surname) */
            if (kt_company_core(f.data, f.len, &t, &form)) {
                k->nomem = 1;
            } else {
                add(k, "c:", t.data, t.len);
                name_keys(k, &t);
            }
        } else if (strcmp(method, "date") == 0) {
            date_keys(k, value, &f);
        } else if (strcmp(method, "text") == 0) {
            if (kt_match_sorted(f.data, f.len, &t))
                k->nomem = 1;
            else
                add(k, "t:", t.data, t.len);
        } else {
            add(k, "x:", f.data, f.len);
        }
    }
out:
    kt_scratch_free(&f);
    kt_scratch_free(&t);
    return k->nomem ? KT_NOMEM : KT_OK;
}

kt_status kt_match_keys(const char *method, const char *value, char ***keys, size_t *count,
                        kt_error *err)
{
    *keys = NULL;
    *count = 0;
    if (!kt_match_method_known(method))
        return kt_error_set(err, KT_INVALID,
                            "unknown match method '%s' (known: exact, email, phone, name, company, "
                            "date, text)",
                            method ? method : "(none)");
    if (!value || !*value) return KT_OK;
    keyset k;
    kt_scratch_init(&k.buf);
    k.n = 0;
    k.nomem = 0;
    kt_status rc = collect(method, value, &k);
    if (rc == KT_OK && k.n) {
        char **block = kt_malloc(k.n * sizeof(char *) + k.buf.len);
        if (!block) {
            rc = KT_NOMEM;
        } else {
            char *s = (char *)(block + k.n);
            memcpy(s, k.buf.data, k.buf.len);
            for (size_t i = 0; i < k.n; i++, s += strlen(s) + 1)
                block[i] = s;
            *keys = block;
            *count = k.n;
        }
    }
    if (rc == KT_NOMEM) kt_error_set(err, KT_NOMEM, "out of memory making blocking keys");
    kt_scratch_free(&k.buf);
    return rc;
}

void kt_match_keys_free(char **keys, size_t count)
{
    (void)count;
    kt_free(keys);
}
