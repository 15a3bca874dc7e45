/* Which 8-bit code page a sample is in, and how sure, by letter frequencies per language (the
 * way uchardet and Mozilla's detector work, with unigram tables small enough to read). Every
 * code page gets the score of its likeliest language: the sum, over the sample's high bytes,
 * of the log-probability of the character the byte is in that code page. Context counts: a
 * Latin-script language has its non-ASCII letters between ASCII ones ("Napierała"), Cyrillic
 * and Arabic words are runs of high bytes; a symbol inside a word ("Napiera³a") is near
 * impossible. Code pages that turn the sample into the very same text are one answer, so a
 * file whose only non-ASCII letter is "ó" is not "unsure". */
#include <math.h>
#include <string.h>

#include "read/charset_model.h"
#include "read/read_int.h"

enum { CTX_WORD, CTX_RUN, CTX_ALONE, CTX_N };

static int ascii_letter(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static double lang_share(const rd_cs_lang *l, unsigned cp)
{
    unsigned sum = 0, f = 0;
    for (unsigned i = 0; i < l->n; i++) {
        sum += l->letter[i].freq;
        if (l->letter[i].cp == cp) f = l->letter[i].freq;
    }
    return sum ? (double)f / sum : 0;
}

/* How likely a non-ASCII character of language l is this one, in this context. Only high
 * bytes are scored, so a language's letters count by their share among its non-ASCII
 * letters: Hungarian's many accents do not make it likelier than French. */
static double prob(const rd_cs_lang *l, int latin, int cls, unsigned cp, int ctx)
{
    switch (cls) {
    case RD_CS_LETTER: {
        double p = lang_share(l, cp) + 0.002;
        /* a Latin language's letters sit among ASCII ones; Cyrillic or Arabic ones do not */
        if (latin ? ctx == CTX_RUN : ctx == CTX_WORD) p *= 0.05;
        return p;
    }
    case RD_CS_PUNCT:
        return 0.02;
    case RD_CS_SYMBOL:
        return ctx == CTX_WORD ? 1e-5 : ctx == CTX_RUN ? 1e-3 : 0.01;
    default:
        return 1e-6;
    }
}

typedef struct sample {
    unsigned long count[CTX_N][128];
    int present[128];
} sample;

/* The log-likelihood of the sample in code page p, its languages mixed in the proportions
 * that fit it best (a few rounds of EM): a client list holds French and German names. */
static double page_score(const sample *sm, int p)
{
    const rd_cs_page *pg = &rd_cs_pages[p];
    int lang[RD_CS_LANGS], m = 0;
    for (int li = 0; li < RD_CS_LANGS; li++)
        if (rd_cs_langs[li].pages & (1u << p)) lang[m++] = li;
    if (!m) return -HUGE_VAL;
    double q[RD_CS_LANGS][CTX_N * 128], w[RD_CS_LANGS];
    for (int k = 0; k < m; k++) {
        w[k] = 1.0 / m;
        for (int b = 0; b < 128; b++)
            for (int c = 0; c < CTX_N; c++)
                q[k][c * 128 + b] =
                    sm->count[c][b] ? prob(&rd_cs_langs[lang[k]], p <= 2, pg->cls[b], pg->low[b], c)
                                    : 0;
    }
    double ll = 0;
    for (int round = 0; round < 25; round++) {
        double resp[RD_CS_LANGS] = {0}, total = 0;
        ll = 0;
        for (int i = 0; i < CTX_N * 128; i++) {
            unsigned long n = sm->count[i / 128][i % 128];
            if (!n) continue;
            double mix = 0;
            for (int k = 0; k < m; k++)
                mix += w[k] * q[k][i];
            ll += (double)n * log(mix);
            for (int k = 0; k < m; k++)
                resp[k] += (double)n * w[k] * q[k][i] / mix;
            total += (double)n;
        }
        for (int k = 0; k < m; k++)
            w[k] = resp[k] / total;
    }
    /* Each further language the mixture leans on costs a nat, so one language that explains
     * the sample beats a blend that merely can ("Wąsik" is Polish, not Polish with Czech). */
    int used = 0;
    for (int k = 0; k < m; k++)
        used += w[k] > 0.2;
    double best = ll - 1.5 * (used > 1 ? used - 1 : 0);
    for (int k = 0; k < m; k++) {
        double one = 0;
        for (int i = 0; i < CTX_N * 128; i++) {
            unsigned long n = sm->count[i / 128][i % 128];
            if (n) one += (double)n * log(q[k][i]);
        }
        if (one > best) best = one;
    }
    return best;
}

rd_guess rd_guess_8bit(const unsigned char *s, size_t n)
{
    sample sm;
    memset(&sm, 0, sizeof sm);
    for (size_t i = 0; i < n;) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && s[j] >= 0x80)
            j++;
        int word = (i > 0 && ascii_letter(s[i - 1])) || (j < n && ascii_letter(s[j]));
        int ctx = word ? CTX_WORD : j - i >= 3 ? CTX_RUN : CTX_ALONE;
        for (; i < j; i++) {
            sm.count[ctx][s[i] - 0x80]++;
            sm.present[s[i] - 0x80] = 1;
        }
    }
    double score[RD_CS_PAGES];
    int usable[RD_CS_PAGES];
    for (int p = 0; p < RD_CS_PAGES; p++) {
        usable[p] = 1;
        for (int b = 0; b < 128; b++)
            if (sm.present[b] && rd_cs_pages[p].cls[b] == RD_CS_UNDEFINED) usable[p] = 0;
        score[p] = usable[p] ? page_score(&sm, p) : -HUGE_VAL;
    }
    int best = -1, second = -1;
    for (int p = 0; p < RD_CS_PAGES; p++)
        if (usable[p] && (best < 0 || score[p] > score[best])) best = p;
    rd_guess g = {"CP1250", NULL, 1.0};
    if (best < 0) return g; /* no code page takes these bytes: iconv will name the bad one */
    /* Of the code pages that read the sample the same, the one whose languages fit best is
     * named, the first listed when it fits nearly as well (Polish "Józef" is CP1250). */
    for (int p = 0; p < best; p++) {
        int same = usable[p] && score[p] > score[best] - 1;
        for (int b = 0; b < 128 && same; b++)
            if (sm.present[b] && rd_cs_pages[p].low[b] != rd_cs_pages[best].low[b]) same = 0;
        if (same) {
            score[p] = score[best];
            best = p;
            break;
        }
    }
    g.encoding = rd_cs_pages[best].name;
    /* The others that read the sample differently share the rest of the confidence. */
    double den = 1;
    int counted[RD_CS_PAGES] = {0};
    counted[best] = 1;
    for (int p = 0; p < RD_CS_PAGES; p++) {
        if (!usable[p] || counted[p]) continue;
        int same_as_counted = 0;
        for (int q = 0; q < RD_CS_PAGES && !same_as_counted; q++) {
            if (!counted[q]) continue;
            int same = 1;
            for (int b = 0; b < 128 && same; b++)
                if (sm.present[b] && rd_cs_pages[p].low[b] != rd_cs_pages[q].low[b]) same = 0;
            same_as_counted = same;
        }
        counted[p] = 1;
        if (same_as_counted) continue;
        den += exp(score[p] - score[best]);
        if (second < 0 || score[p] > score[second]) second = p;
    }
    g.confidence = 1 / den;
    g.other = second >= 0 ? rd_cs_pages[second].name : NULL;
    return g;
}

const char *rd_guess_about(const char *encoding)
{
    for (int p = 0; p < RD_CS_PAGES; p++)
        if (!strcmp(rd_cs_pages[p].name, encoding)) return rd_cs_pages[p].about;
    return NULL;
}
