/* Blocking keys of a record. A name prefix alone blocks thousands of people together, so the
 * name keys are combined: a key of one name field with a key of the other (the key space is
 * shared, so swapped names meet), and a name prefix with the date of birth (a typo in one name
 * still meets). Contact details (e-mail, phone) and exact values block on their own, and all the
 * values together make the fingerprint key of exact copies. */
#include <string.h>

#include "dedupe/dd_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/match.h"

#define FNV_OFFSET 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL

uint64_t dd_hash(const char *s, uint64_t h)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= FNV_PRIME;
    }
    return h;
}

static uint64_t one(const char *k)
{
    return dd_hash(k, FNV_OFFSET);
}

/* Order-free, so "n:ann"+"n:kow" = "n:kow"+"n:ann" (swapped first and last names). */
static uint64_t combo(const char *a, const char *b)
{
    if (strcmp(a, b) > 0) {
        const char *t = a;
        a = b;
        b = t;
    }
    return dd_hash(b, dd_hash("\x1f", dd_hash(a, FNV_OFFSET)));
}

typedef struct keyset {
    uint64_t *out;
    int n;
} keyset;

static void emit(keyset *k, uint64_t h)
{
    for (int i = 0; i < k->n; i++)
        if (k->out[i] == h) return;
    if (k->n < DD_MAX_KEYS) k->out[k->n++] = h;
}

/* Letters and digits only, ASCII lowered: "707 E. 37th St." and "707 e 37th st" are one. */
static uint64_t fold_into(const char *s, uint64_t h)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c - 'A' + 'a');
        if (c < 0x80 && !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9')) continue;
        h ^= c;
        h *= FNV_PRIME;
    }
    return h;
}

/* An exact copy shares every key of its original, but all of them may be in blocks too large
 * to say anything (31 sites of one charity, one name and city): this one key holds only copies. */
static int fingerprint(const kt_dedupe_rule *r, const char *const *raw, uint64_t *out)
{
    uint64_t h = dd_hash("fp\x1f", FNV_OFFSET), empty = 0;
    int any = 0;
    for (size_t f = 0; f < r->n; f++) {
        if (!raw[f] || fold_into(raw[f], empty) == empty) continue;
        char tag[24];
        tag[0] = '\x1e';
        size_t n = 1, i = f;
        do
            tag[n++] = (char)('0' + i % 10);
        while ((i /= 10) && n < sizeof tag - 1);
        tag[n] = '\0';
        h = fold_into(raw[f], dd_hash(tag, h));
        any = 1;
    }
    *out = h;
    return any;
}

typedef struct fkeys {
    char **keys;
    size_t n;
    size_t field;
} fkeys;

/* The keys of one part of a declared blocking rule from the field's raw value (none when it is
 * empty); *keys allocated as kt_match_keys' are. -1 when out of memory or the method fails. */
static int part_keys(const kt_dedupe_rule *r, size_t f, kt_dedupe_block_how how, const char *raw,
                     char ***keys, size_t *n)
{
    *keys = NULL;
    *n = 0;
    if (!raw || !*raw) return 0;
    const char *m = r->fields[f].method;
    kt_error err;
    if (how == KT_BLOCK_VALUE || how == KT_BLOCK_YEAR) {
        char *p = NULL;
        if (kt_match_prepare(m, raw, &p, &err)) return -1;
        if (!p || !*p || (how == KT_BLOCK_YEAR && strlen(p) < 4)) {
            kt_free(p);
            return 0;
        }
        if (how == KT_BLOCK_YEAR) p[4] = '\0';
        /* one block, pointer then text, as kt_match_keys gives them (kt_match_keys_free) */
        size_t len = strlen(p) + 1;
        char **block = kt_malloc(sizeof *block + len);
        if (block) {
            block[0] = (char *)(block + 1);
            memcpy(block[0], p, len);
        }
        kt_free(p);
        if (!block) return -1;
        *keys = block;
        *n = 1;
        return 0;
    }
    if (kt_match_keys(m, raw, keys, n, &err)) return -1;
    const char *kind = how == KT_BLOCK_SOUNDEX ? "s:" : how == KT_BLOCK_PREFIX ? "n:" : NULL;
    size_t w = 0;
    for (size_t i = 0; i < *n; i++) /* the texts stay in the block: only pointers move */
        if (!kind || !strncmp((*keys)[i], kind, 2)) (*keys)[w++] = (*keys)[i];
    *n = w;
    return 0;
}

/* A declared rule's keys: one per combination of its parts' keys, tagged with the rule (top
 * bits: DD_RULE_OF) so --stats can name it. */
static int declared_keys(const kt_dedupe_rule *r, size_t rule, const char *const *raw, keyset *k)
{
    const kt_dedupe_block *b = &r->blocking[rule];
    char **keys[KT_DEDUPE_BLOCK_PARTS] = {0};
    size_t n[KT_DEDUPE_BLOCK_PARTS] = {0}, at[KT_DEDUPE_BLOCK_PARTS] = {0};
    int fail = 0, empty = 0;
    for (size_t p = 0; p < b->n && !fail; p++) {
        fail = part_keys(r, b->field[p], b->how[p], raw[b->field[p]], &keys[p], &n[p]) < 0;
        empty |= !n[p];
    }
    char tag[8] = {'b', (char)('a' + rule), '\0'};
    while (!fail && !empty && k->n < DD_MAX_KEYS) {
        uint64_t h = dd_hash(tag, FNV_OFFSET);
        for (size_t p = 0; p < b->n; p++)
            h = dd_hash(keys[p][at[p]], dd_hash("\x1f", h));
        emit(k, DD_TAGGED(h, rule + 1));
        size_t p = 0; /* the next combination, like an odometer */
        while (p < b->n && ++at[p] == n[p])
            at[p++] = 0;
        if (p == b->n) break;
    }
    for (size_t p = 0; p < b->n; p++)
        kt_match_keys_free(keys[p], n[p]);
    return fail ? -1 : 0;
}

int dd_record_keys(const kt_dedupe_rule *r, const char *const *raw, uint64_t *out)
{
    keyset k = {out, 0};
    if (r->nblocking) { /* declared: the fingerprint, then each rule's keys */
        uint64_t fp;
        if (fingerprint(r, raw, &fp)) emit(&k, DD_TAGGED(fp, 0));
        for (size_t i = 0; i < r->nblocking; i++)
            if (declared_keys(r, i, raw, &k)) return -1;
        return k.n;
    }
    uint64_t fp;
    if (fingerprint(r, raw, &fp)) emit(&k, fp); /* first: DD_FINGERPRINT */
    fkeys names[8], dates[2];
    size_t nn = 0, nd = 0, name_fields = 0;
    int fail = 0;
    for (size_t f = 0; f < r->n && !fail; f++) {
        const char *m = r->fields[f].method;
        int is_name = !strcmp(m, "name") || !strcmp(m, "company"), is_date = !strcmp(m, "date");
        name_fields += is_name;
        if (!raw[f] || !*raw[f]) continue;
        char **keys = NULL;
        size_t n = 0;
        kt_error err;
        if (kt_match_keys(m, raw[f], &keys, &n, &err)) {
            fail = 1;
            break;
        }
        if (is_name && nn < 8) {
            names[nn++] = (fkeys){keys, n, f};
            continue;
        }
        if (is_date && nd < 2) {
            dates[nd++] = (fkeys){keys, n, f};
            continue;
        }
        /* a date alone or free text alone blocks too many together at scale */
        if (!is_date && strcmp(m, "text") != 0)
            for (size_t i = 0; i < n; i++)
                emit(&k, one(keys[i]));
        kt_match_keys_free(keys, n);
    }
    if (!fail) {
        for (size_t a = 0; a < nn; a++)
            for (size_t b = a + 1; b < nn; b++)
                for (size_t i = 0; i < names[a].n; i++)
                    for (size_t j = 0; j < names[b].n; j++)
                        emit(&k, combo(names[a].keys[i], names[b].keys[j]));
        /* only one name given (or the whole name in one field): its words combined, and the
         * single keys when the rule compares one name field only (a company name) */
        if (nn == 1) {
            for (size_t i = 0; i < names[0].n; i++)
                for (size_t j = i + 1; j < names[0].n; j++)
                    if (strncmp(names[0].keys[i], names[0].keys[j], 2) == 0)
                        emit(&k, combo(names[0].keys[i], names[0].keys[j]));
            if (name_fields == 1 || names[0].n == 1)
                for (size_t i = 0; i < names[0].n; i++)
                    emit(&k, one(names[0].keys[i]));
        }
        for (size_t d = 0; d < nd; d++)
            for (size_t i = 0; i < dates[d].n; i++)
                for (size_t a = 0; a < nn; a++)
                    for (size_t j = 0; j < names[a].n; j++)
                        if (strncmp(names[a].keys[j], "n:", 2) == 0)
                            emit(&k, combo(dates[d].keys[i], names[a].keys[j]));
    }
    for (size_t a = 0; a < nn; a++)
        kt_match_keys_free(names[a].keys, names[a].n);
    for (size_t d = 0; d < nd; d++)
        kt_match_keys_free(dates[d].keys, dates[d].n);
    return fail ? -1 : k.n;
}
